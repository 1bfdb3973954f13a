"""The working-day calendar (rules/workdays.py), its command and its admin form.

Expected dates are written by hand from the State Council notices, not computed by the code:
2024: 国办发明电〔2023〕7号; 2025: 国办发明电〔2024〕12号 (domain.md b.3); 2026: 国办发明电〔2025〕7号.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import chinese_calendar
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rules import calendar_schedule, workdays
from rules.admin_calendar import CalendarYearForm, format_schedule_text, parse_schedule_text
from rules.calendar_schedule import ScheduleDay
from rules.models import CalendarDay, CalendarYear
from rules.workdays import PublicityStartRule, UnknownCalendarYear

pytestmark = pytest.mark.django_db

D = dt.date
START_DAY_COUNTS = PublicityStartRule.START_DAY_COUNTS
NEXT_WORKING_DAY = PublicityStartRule.NEXT_WORKING_DAY


def _days(*spans: str, year: int) -> set[dt.date]:
    """Spans such as 02-10~02-17 or 02-04 -> the dates, inclusive."""
    out: set[dt.date] = set()
    for span in spans:
        first, _sep, last = span.partition("~")
        day, end = D.fromisoformat(f"{year}-{first}"), D.fromisoformat(f"{year}-{last or first}")
        while day <= end:
            out.add(day)
            day += dt.timedelta(days=1)
    return out


# The notices, as published: days off (including the weekends inside each break) and the
# weekend days worked (调休上班).
OFFICIAL = {
    2024: (
        _days(
            "01-01", "02-10~02-17", "04-04~04-06", "05-01~05-05", "06-10", "09-15~09-17", "10-01~10-07",
            year=2024,
        ),
        _days("02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12", year=2024),
    ),
    2025: (
        _days("01-01", "01-28~02-04", "04-04~04-06", "05-01~05-05", "05-31~06-02", "10-01~10-08", year=2025),
        _days("01-26", "02-08", "04-27", "09-28", "10-11", year=2025),
    ),
    2026: (
        _days(
            "01-01~01-03", "02-15~02-23", "04-04~04-06", "05-01~05-05",
            "06-19~06-21", "09-25~09-27", "10-01~10-07",
            year=2026,
        ),
        _days("01-04", "02-14", "02-28", "05-09", "09-20", "10-10", year=2026),
    ),
}  # fmt: skip


def workdays_cmd(*args: str) -> str:
    out = io.StringIO()
    call_command("workdays", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


# TEST DATA, not the official 2027 schedule (unpublished when this was written): a plausible notice
# with 19 days off and one make-up Saturday.
HYPOTHETICAL_2027_HOLIDAYS = "元旦 01-01~01-03\n春节 02-05~02-12\n清明节 04-03~04-05\n劳动节 05-01~05-05"
HYPOTHETICAL_2027_WORKDAYS = "春节 02-20"


@pytest.fixture
def year_2027() -> CalendarYear:
    return calendar_schedule.calendar_year_save_schedule(
        year=2027,
        holidays=parse_schedule_text(HYPOTHETICAL_2027_HOLIDAYS, 2027),
        workdays=parse_schedule_text(HYPOTHETICAL_2027_WORKDAYS, 2027),
        complete=True,
        document_no="测试数据",
    )


# The official schedules -------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_every_day_of_the_year_follows_the_state_council_notice(year):
    days_off, weekend_workdays = OFFICIAL[year]
    calendar = workdays.get_calendar()
    day = D(year, 1, 1)
    while day.year == year:
        expected = day in weekend_workdays or (day.weekday() < 5 and day not in days_off)
        assert calendar.is_working_day(day) == expected, day
        day += dt.timedelta(days=1)


def test_without_overrides_every_package_day_agrees_with_chinese_calendar():
    calendar = workdays.get_calendar()
    day = D(2004, 1, 1)
    while day.year <= 2026:
        assert calendar.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        # 261 weekdays − 19 weekdays off + 8 make-up days (counted by hand from the notice).
        ("2024-01-01", "2024-12-31", "251"),
        # 261 − 18 + 5.
        ("2025-01-01", "2025-12-31", "248"),
        # 261 − 19 + 6.
        ("2026-01-01", "2026-12-31", "248"),
        # 09-25, 26, 28 (Sun, make-up), 29, 30, then 10-09, 10, 11 (Sat, make-up); 10-01..08 off.
        ("2025-09-25", "2025-10-12", "8"),
        # 02-14 (Sat, make-up), 02-24..27, 02-28 (Sat, make-up); 02-15..23 off.
        ("2026-02-14", "2026-02-28", "6"),
        # 09-29 (Sun, make-up), 09-30, 10-08..11, 10-12 (Sat, make-up).
        ("2024-09-29", "2024-10-12", "7"),
        ("2025-10-01", "2025-10-01", "0"),
        ("2025-09-28", "2025-09-28", "1"),
    ],
)
def test_between_counts_working_days_with_both_ends_included(first, last, expected):
    assert workdays_cmd("between", first, last) == expected


@pytest.mark.parametrize(
    ("start", "expected", "why"),
    [
        # domain.md b.3, National Day 2025.
        ("2025-09-25", "2025-09-30", "09-25 Thu, 26, 28 Sun make-up, 29, 30"),
        ("2025-10-04", "2025-10-14", "posted on a holiday: 10-09, 10, 11 Sat make-up, 13, 14"),
        # domain.md b.3, Spring Festival 2025 and Labour Day 2025.
        ("2025-01-24", "2025-02-06", "01-24 Fri, 26 Sun make-up, 27, then 02-05, 06"),
        ("2025-02-08", "2025-02-13", "posted on the make-up Saturday: 02-08, 10, 11, 12, 13"),
        ("2025-04-30", "2025-05-09", "04-30, then 05-06..09"),
        # New Year 2025, across the year end.
        ("2024-12-31", "2025-01-07", "12-31, 01-02, 03, 06, 07"),
        # 2024: National Day, Spring Festival (除夕 02-09 is a working day), New Year.
        ("2024-09-26", "2024-10-08", "09-26, 27, 29 Sun make-up, 30, 10-08"),
        ("2024-10-12", "2024-10-17", "10-12 Sat make-up, 14, 15, 16, 17"),
        ("2024-02-07", "2024-02-19", "02-07, 08, 09, 18 Sun make-up, 19"),
        ("2023-12-28", "2024-01-04", "12-28, 29, 01-02, 03, 04"),
        # 2026: New Year (make-up Sunday 01-04), Spring Festival (make-up Saturdays 02-14, 02-28).
        ("2025-12-30", "2026-01-06", "12-30, 31, 01-04 Sun make-up, 05, 06"),
        ("2026-02-12", "2026-02-25", "02-12, 13, 14 Sat make-up, 24, 25"),
        ("2026-02-26", "2026-03-03", "02-26, 27, 28 Sat make-up, 03-02, 03"),
        # 2026: Mid-Autumn and National Day (make-up Sunday 09-20, Saturday 10-10).
        ("2026-09-18", "2026-09-23", "09-18, 20 Sun make-up, 21, 22, 23"),
        ("2026-09-23", "2026-09-30", "09-23, 24, 28, 29, 30"),
        ("2026-09-28", "2026-10-09", "09-28, 29, 30, 10-08, 09"),
        ("2026-10-08", "2026-10-13", "10-08, 09, 10 Sat make-up, 12, 13"),
    ],
)
def test_end_of_a_five_working_day_publicity_matches_the_official_schedule(start, expected, why):
    assert workdays_cmd("end", start, "5") == expected, why


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # domain.md b.3, column "next day first, make-up days count".
        ("2025-09-25", D(2025, 10, 9)),  # 09-26, 28*, 29, 30, 10-09
        ("2025-01-24", D(2025, 2, 7)),  # 01-26*, 27, 02-05, 06, 07
        ("2025-04-30", D(2025, 5, 12)),  # 05-06, 07, 08, 09, 12
        # Posted on a holiday: the same as start_day_counts.
        ("2025-10-04", D(2025, 10, 14)),  # 10-09, 10, 11*, 13, 14
        ("2024-12-31", D(2025, 1, 8)),  # 01-02, 03, 06, 07, 08
        ("2024-09-26", D(2024, 10, 9)),  # 09-27, 29*, 30, 10-08, 09
        ("2024-02-07", D(2024, 2, 20)),  # 02-08, 09, 18*, 19, 20
        ("2025-12-30", D(2026, 1, 7)),  # 12-31, 01-04*, 05, 06, 07
        ("2026-02-12", D(2026, 2, 26)),  # 02-13, 14*, 24, 25, 26
        ("2026-09-28", D(2026, 10, 10)),  # 09-29, 30, 10-08, 09, 10* (ends on a make-up Saturday)
    ],
)
def test_next_working_day_rule_starts_counting_the_day_after_posting(start, expected):
    assert workdays.publicity_end(D.fromisoformat(start), 5, NEXT_WORKING_DAY) == expected
    assert workdays_cmd("end", start, "5", "--rule", "next_working_day") == expected.isoformat()


def test_publicity_period_records_the_days_counted_and_the_calendar_version():
    period = workdays.publicity_period(D(2025, 9, 25), 5, START_DAY_COUNTS)

    assert period.days == (D(2025, 9, 25), D(2025, 9, 26), D(2025, 9, 28), D(2025, 9, 29), D(2025, 9, 30))
    assert period.calendar_version == "chinesecalendar-1.11.0"


def test_a_period_ends_at_midnight_beijing_time_after_its_last_day():
    ends_at = workdays.period_end_datetime(D(2025, 9, 30))

    assert ends_at == dt.datetime(2025, 9, 30, 16, 0, tzinfo=dt.UTC)
    assert ends_at.utcoffset() == dt.timedelta(hours=8)


def test_one_working_day_posted_on_a_working_day_ends_that_day():
    assert workdays.publicity_end(D(2025, 9, 28), 1, START_DAY_COUNTS) == D(2025, 9, 28)
    assert workdays.publicity_end(D(2025, 9, 28), 1, NEXT_WORKING_DAY) == D(2025, 9, 29)


def test_add_working_days_goes_both_ways_without_counting_the_day_itself():
    assert workdays.add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert workdays.add_working_days(D(2025, 10, 9), -1) == D(2025, 9, 30)
    assert workdays.add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)


def test_it_refuses_bad_arguments():
    with pytest.raises(ValueError, match="公示起算规则"):
        workdays.publicity_end(D(2025, 9, 25), 5, "posting_day")
    with pytest.raises(ValueError, match="不小于 1"):
        workdays.publicity_end(D(2025, 9, 25), 0, START_DAY_COUNTS)
    with pytest.raises(TypeError, match="北京时间"):
        workdays.is_working_day(dt.datetime(2025, 9, 25, 20, tzinfo=dt.UTC))
    with pytest.raises(ValueError, match="晚于"):
        workdays.count_working_days(D(2025, 9, 26), D(2025, 9, 25))


# Years the calendar does not know --------------------------------------------------------------


def test_a_year_nobody_entered_is_refused_loudly():
    assert not workdays.is_year_known(2027)
    with pytest.raises(UnknownCalendarYear, match="2027年的法定节假日和调休安排尚未录入") as exc:
        workdays.publicity_end(D(2026, 12, 28), 5, START_DAY_COUNTS)
    assert exc.value.year == 2027
    with pytest.raises(UnknownCalendarYear):
        workdays.add_working_days(D(2004, 1, 2), -5)


def test_an_incomplete_year_stays_unknown_even_with_days_entered():
    CalendarYear.objects.create(year=2027, complete=False)
    CalendarDay.objects.create(date=D(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")

    with pytest.raises(UnknownCalendarYear):
        workdays.is_working_day(D(2027, 1, 4))


def test_a_complete_year_in_the_override_table_becomes_computable(year_2027):
    assert workdays.is_year_known(2027)
    assert workdays.covered_years() == [*range(2004, 2028)]
    # 12-28 Mon, 29, 30, 31; 01-01..03 off; 01-04 Mon.
    assert workdays_cmd("end", "2026-12-28", "5") == "2027-01-04"
    # 02-17 Wed, 18, 19, 20 (the entered make-up Saturday), 22 Mon.
    assert workdays.publicity_end(D(2027, 2, 17), 5, START_DAY_COUNTS) == D(2027, 2, 22)
    # Days not entered follow Monday to Friday.
    assert not workdays.is_working_day(D(2027, 3, 6))


def test_an_override_day_flips_what_the_package_says():
    CalendarDay.objects.create(date=D(2025, 9, 29), kind=CalendarDay.Kind.HOLIDAY, name="测试")
    CalendarDay.objects.create(date=D(2025, 10, 8), kind=CalendarDay.Kind.WORKDAY, name="测试")

    # 09-25, 26, 28, 30, then 10-08 (now a working day).
    assert workdays_cmd("end", "2025-09-25", "5") == "2025-10-08"
    assert workdays.count_working_days(D(2025, 9, 29), D(2025, 10, 8)) == 2


def test_no_process_computes_with_stale_overrides():
    day = D(2025, 10, 8)
    assert not workdays.is_working_day(day)

    row = CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.WORKDAY)
    assert workdays.is_working_day(day)
    # An in-place edit keeps the row count and the largest id: still seen.
    row.kind = CalendarDay.Kind.HOLIDAY
    row.save()
    assert not workdays.is_working_day(D(2025, 10, 8))
    row.date = D(2025, 10, 9)
    row.save()
    assert not workdays.is_working_day(D(2025, 10, 9))
    row.delete()
    assert workdays.is_working_day(D(2025, 10, 9))


def test_the_calendar_is_rebuilt_only_when_the_overrides_change(django_assert_num_queries):
    with django_assert_num_queries(2):
        first = workdays.get_calendar()
    assert workdays.get_calendar() is first

    CalendarDay.objects.create(date=D(2025, 10, 8), kind=CalendarDay.Kind.WORKDAY)
    assert workdays.get_calendar() is not first


def test_the_calendar_version_names_the_package_and_the_overrides(year_2027):
    version = workdays.calendar_version()
    assert version.startswith("chinesecalendar-1.11.0+ov-")
    assert len(version) <= workdays.CALENDAR_VERSION_MAX_LENGTH

    CalendarDay.objects.filter(date=D(2027, 2, 20)).update(kind=CalendarDay.Kind.HOLIDAY)
    assert workdays.calendar_version() != version


# The command's errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["end", "2025-13-01", "5"], "日期格式错误"),
        (["end", "2025-09-25", "0"], "不小于 1"),
        (["end", "2025-09-25", "five"], "不小于 1"),
        (["end", "2026-12-28", "5"], "2027年的法定节假日和调休安排尚未录入"),
        (["between", "2025-10-02", "2025-10-01"], "晚于"),
        (["between", "2026-12-01", "2027-01-31"], "2027年"),
    ],
)
def test_the_command_fails_with_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message) as exc:
        workdays_cmd(*args)
    assert exc.value.returncode == 1


def test_the_command_exits_non_zero_with_the_message_on_stderr():
    # A bad date is refused before the database is read, so a plain subprocess shows the real exit.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "workdays", "end", "2025-02-30", "5"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert "日期格式错误：“2025-02-30”" in result.stderr and result.stdout == ""


def test_years_lists_coverage_and_warns_about_a_missing_next_year(monkeypatch):
    monkeypatch.setattr("portal.clock.today", lambda: D(2026, 11, 22))
    out, err = io.StringIO(), io.StringIO()

    call_command("workdays", "years", stdout=out, stderr=err)

    assert "可计算的年度：2004–2026" in out.getvalue()
    assert "下一年度（2027年）的放假安排尚未录入" in err.getvalue()


# Entering a year's schedule ------------------------------------------------------------------------


def test_schedule_text_reads_the_way_the_notice_is_written():
    days = parse_schedule_text("春节：02-15至02-17、2026-02-23\n\n2026-10-01", 2026)

    assert days == [
        ScheduleDay(D(2026, 2, 15), "春节"),
        ScheduleDay(D(2026, 2, 16), "春节"),
        ScheduleDay(D(2026, 2, 17), "春节"),
        ScheduleDay(D(2026, 2, 23), "春节"),
        ScheduleDay(D(2026, 10, 1), ""),
    ]
    assert format_schedule_text((d.date, d.name) for d in days) == (
        "春节 2026-02-15~2026-02-17 2026-02-23\n2026-10-01"
    )


def test_the_admin_form_saves_a_new_year_and_its_days():
    form = CalendarYearForm(
        data={
            "year": "2027",
            "document_no": "测试数据",
            "complete": "on",
            "holidays_text": HYPOTHETICAL_2027_HOLIDAYS,
            "workdays_text": HYPOTHETICAL_2027_WORKDAYS,
        }
    )
    assert form.is_valid(), form.errors
    holidays, weekend_workdays = form.schedule
    calendar_schedule.calendar_year_save_schedule(
        year=2027, holidays=holidays, workdays=weekend_workdays, complete=True, document_no="测试数据"
    )

    assert CalendarDay.objects.filter(date__year=2027, kind=CalendarDay.Kind.HOLIDAY).count() == 19
    assert CalendarDay.objects.get(date=D(2027, 2, 20)).kind == CalendarDay.Kind.WORKDAY


def test_the_admin_form_shows_the_saved_days_and_replaces_them_on_save(year_2027):
    form = CalendarYearForm(instance=year_2027)
    assert form.initial["workdays_text"] == "春节 2027-02-20"

    calendar_schedule.calendar_year_save_schedule(
        year=2027,
        holidays=parse_schedule_text(HYPOTHETICAL_2027_HOLIDAYS, 2027),
        workdays=[],
        complete=True,
    )
    assert not CalendarDay.objects.filter(date=D(2027, 2, 20)).exists()


@pytest.mark.parametrize(
    ("holidays", "weekend_workdays", "message"),
    [
        (HYPOTHETICAL_2027_HOLIDAYS, "春节 02-17", "本来就是工作日"),
        (HYPOTHETICAL_2027_HOLIDAYS, "春节 02-06", "同时被录入"),
        ("春节 02-05~02-12", "", "必须包含元旦"),
        ("元旦 01-01", "", "少于全年法定节假日"),
        ("元旦 2026-01-01", "", "不在2027年内"),
        ("元旦 01-32", "", "无法识别"),
    ],
)
def test_the_admin_form_refuses_a_schedule_that_cannot_be_right(holidays, weekend_workdays, message):
    form = CalendarYearForm(
        data={"year": "2027", "complete": "on", "holidays_text": holidays, "workdays_text": weekend_workdays}
    )

    assert not form.is_valid()
    assert message in str(form.errors)


# The admin pages ---------------------------------------------------------------------------------


@pytest.fixture
def late_2026(monkeypatch):
    monkeypatch.setattr("portal.clock.today", lambda: D(2026, 11, 22))


def test_the_admin_warns_while_next_year_is_not_entered(admin_client, late_2026):
    years_page = admin_client.get("/admin/rules/calendaryear/")
    days_page = admin_client.get("/admin/rules/calendarday/")

    assert "下一年度（2027年）的放假安排尚未录入" in years_page.content.decode()
    assert "下一年度（2027年）的放假安排尚未录入" in days_page.content.decode()


def test_a_bureau_enters_next_years_schedule_in_the_admin(admin_client, late_2026):
    response = admin_client.post(
        "/admin/rules/calendaryear/add/",
        {
            "year": "2027",
            "document_no": "测试数据",
            "complete": "on",
            "holidays_text": HYPOTHETICAL_2027_HOLIDAYS,
            "workdays_text": HYPOTHETICAL_2027_WORKDAYS,
        },
    )

    assert response.status_code == 302, response.content.decode()
    assert workdays.publicity_end(D(2026, 12, 28), 5, START_DAY_COUNTS) == D(2027, 1, 4)
    listing = admin_client.get("/admin/rules/calendaryear/").content.decode()
    assert "放假安排尚未录入" not in listing


def test_the_admin_change_page_lists_the_years_days(admin_client, year_2027):
    page = admin_client.get(f"/admin/rules/calendaryear/{year_2027.pk}/change/").content.decode()

    assert "2027-02-20" in page and "周六" in page


def test_a_correction_to_a_package_year_is_saved_with_a_warning(admin_client, year_2027):
    response = admin_client.post(
        "/admin/rules/calendaryear/add/",
        {"year": "2026", "holidays_text": "国庆节 10-08", "workdays_text": ""},
        follow=True,
    )

    assert "2026-10-08（周四）软件包：上班，本表：休息" in response.content.decode()
    assert workdays.publicity_end(D(2026, 10, 8), 5, START_DAY_COUNTS) == D(2026, 10, 14)


def test_changing_a_year_in_the_admin_replaces_its_days(admin_client, year_2027):
    response = admin_client.post(
        f"/admin/rules/calendaryear/{year_2027.pk}/change/",
        {
            "document_no": "测试数据",
            "complete": "on",
            "holidays_text": HYPOTHETICAL_2027_HOLIDAYS,
            "workdays_text": "春节 02-13",
        },
    )

    assert response.status_code == 302, response.content.decode()
    assert list(CalendarDay.objects.filter(kind=CalendarDay.Kind.WORKDAY).values_list("date", flat=True)) == [
        D(2027, 2, 13)
    ]


def test_adding_a_year_does_not_silently_drop_days_entered_one_by_one():
    CalendarDay.objects.create(date=D(2027, 2, 20), kind=CalendarDay.Kind.WORKDAY)
    form = CalendarYearForm(
        data={
            "year": "2027",
            "complete": "on",
            "holidays_text": HYPOTHETICAL_2027_HOLIDAYS,
            "workdays_text": "",
        }
    )

    assert not form.is_valid()
    assert "2027-02-20" in str(form.errors)
