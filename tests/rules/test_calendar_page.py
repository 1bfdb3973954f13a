"""The year boundary: the warning from 1 October while next year's holidays are missing, the page where a
city or province bureau (or the admin) enters the State Council notice, and who may use it."""

from __future__ import annotations

import datetime as dt

import chinese_calendar.constants as package
import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from portal.models import OrgKind, Role
from rules import workdays
from rules.forms import parse_notice_text
from rules.models import CalendarDay, CalendarYear
from tests import factories

pytestmark = pytest.mark.django_db

# 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号), the items as published.
NOTICE_2026 = """国务院办公厅关于2026年部分节假日安排的通知
国办发明电〔2025〕7号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅
2025年11月4日
"""
# 国办发明电〔2024〕12号, as a web page often gives it: full-width digits in one item, one item per line.
NOTICE_2025 = """一、元旦：1月1日（周三）放假1天，不调休。
二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
三、清明节：４月４日（周五）至６日（周日）放假，共３天。
四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
"""
# TEST DATA, not an official notice: a plausible 2027 schedule in the notice's words.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月6日（农历除夕、周六）至13日（周六）放假调休，共8天。2月14日（周日）、2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
"""


def at_beijing(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def district_officer(world):
    district = factories.OrganisationFactory(
        name="柯城区人力资源和社会保障局", kind=OrgKind.DISTRICT_BUREAU, credit_code=None
    )
    return world.user("district_officer", Role.OFFICER, district)


@pytest.fixture
def admin_user():
    return factories.UserFactory(username="root", is_superuser=True, is_staff=True)


def page(client: Client, url: str = "/plans/") -> str:
    return client.get(url).content.decode()


# Reading the notice --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "year"), [(NOTICE_2026, 2026), (NOTICE_2025, 2025)])
def test_a_pasted_notice_gives_the_same_days_as_the_package(text, year):
    parsed = parse_notice_text(text, year)
    assert sorted(d.date for d in parsed.holidays) == sorted(d for d in package.holidays if d.year == year)
    assert sorted(d.date for d in parsed.workdays) == sorted(d for d in package.workdays if d.year == year)


def test_the_notice_gives_its_number_date_and_festival_names():
    parsed = parse_notice_text(NOTICE_2026, 2026)
    assert (parsed.document_no, parsed.published_on, parsed.notice_year) == (
        "国办发明电〔2025〕7号",
        dt.date(2025, 11, 4),
        2026,
    )
    assert {d.name for d in parsed.workdays if d.date == dt.date(2026, 2, 28)} == {"春节"}


def test_a_total_that_does_not_match_the_range_is_refused():
    with pytest.raises(forms.ValidationError, match="共9天，与通知所写“共8天”不符"):
        parse_notice_text("二、春节：2月15日（周日）至23日（周一）放假调休，共8天。", 2026)
    with pytest.raises(forms.ValidationError, match="未能识别"):
        parse_notice_text("春节放假，具体另行通知。", 2026)


# The warning ---------------------------------------------------------------------------------------


def test_the_warning_starts_on_1_october(world, frozen_clock):
    officer = world.client_for(world.officer)
    frozen_clock.set(at_beijing(dt.date(2026, 9, 30), hour=23))
    assert "2027年的法定节假日和调休安排尚未录入" not in page(officer)

    frozen_clock.set(at_beijing(dt.date(2026, 10, 1), hour=0))
    text = page(officer)
    assert "2027年的法定节假日和调休安排尚未录入" in text
    assert reverse("rules:calendar_year", args=[2027]) in text


def test_the_warning_is_for_the_admin_and_the_bureaus_only(world, frozen_clock, district_officer, admin_user):
    frozen_clock.set(at_beijing(dt.date(2026, 11, 30)))
    district = page(world.client_for(district_officer))
    assert (
        "2027年的法定节假日和调休安排尚未录入" in district
        and "请联系市人力社保局或系统管理员录入" in district
    )
    assert reverse("rules:calendar_year", args=[2027]) not in district
    assert "2027年" in page(world.client_for(admin_user), reverse("admin:index"))
    for user in (world.applicant, world.hr, world.clerk):
        assert "放假安排尚未录入" not in page(world.client_for(user))
    assert "放假安排尚未录入" not in page(Client())


def test_the_warning_is_gone_once_next_year_is_entered(world, frozen_clock):
    frozen_clock.set(at_beijing(dt.date(2026, 11, 30)))
    officer = world.client_for(world.officer)
    response = officer.post(reverse("rules:calendar_preview", args=[2027]), {"notice_text": NOTICE_2027})
    confirmed = {
        name: response.context["confirmed"][name]
        for name in ("holidays_text", "workdays_text", "document_no")
    }
    officer.post(reverse("rules:calendar_save", args=[2027]), confirmed)
    assert "2027年的法定节假日和调休安排尚未录入" not in page(officer)


def test_an_unentered_current_year_is_always_warned_about(world, frozen_clock):
    frozen_clock.set(at_beijing(dt.date(2027, 3, 1)))
    assert workdays.calendar_gaps(dt.date(2027, 3, 1)) == [2027]
    assert "2027年的法定节假日和调休安排尚未录入" in page(world.client_for(world.officer))


# The entry page --------------------------------------------------------------------------------------


def test_a_notice_is_previewed_then_saved(world, frozen_clock):
    frozen_clock.set(at_beijing(dt.date(2026, 11, 30)))
    officer = world.client_for(world.officer)
    assert officer.get(reverse("rules:calendar_year", args=[2027])).status_code == 200

    preview = officer.post(reverse("rules:calendar_preview", args=[2027]), {"notice_text": NOTICE_2027})
    assert preview.status_code == 200
    assert "放假19天，调休上班4天" in preview.content.decode()
    assert not CalendarYear.objects.exists()  # nothing saved by the preview

    confirmed = dict(preview.context["confirmed"])
    saved = officer.post(reverse("rules:calendar_save", args=[2027]), confirmed)
    assert saved.status_code == 302 and saved.url == reverse("rules:calendar")
    year = CalendarYear.objects.get(year=2027)
    assert year.complete and world.officer.get_full_name() in year.note
    assert CalendarDay.objects.filter(date__year=2027, kind=CalendarDay.Kind.WORKDAY).count() == 4
    assert workdays.publicity_end(dt.date(2026, 12, 28), 5, "start_day_counts") == dt.date(2027, 1, 4)


def test_the_date_lists_work_too_and_mistakes_are_shown(world, frozen_clock):
    officer = world.client_for(world.officer)
    url = reverse("rules:calendar_preview", args=[2027])
    wrong = officer.post(url, {"holidays_text": "元旦 01-01~01-03", "workdays_text": "春节 02-17"})
    assert wrong.status_code == 400
    text = wrong.content.decode()
    assert "本来就是工作日" in text and "少于全年法定节假日" in text

    both = officer.post(url, {"notice_text": NOTICE_2027, "holidays_text": "元旦 01-01"})
    assert both.status_code == 400 and "请只用一种方式录入" in both.content.decode()

    other_year = officer.post(url, {"notice_text": NOTICE_2026})
    assert "这是2026年的放假通知，而本页录入的是2027年的安排" in other_year.content.decode()


@pytest.mark.parametrize(
    ("name", "allowed"),
    [("rules:calendar_year", 200), ("rules:calendar_preview", 200), ("rules:calendar_save", 302)],
)
def test_who_may_enter_the_schedule(world, district_officer, admin_user, name, allowed):
    url = reverse(name, args=[2027])
    method = "get" if name == "rules:calendar_year" else "post"
    data = {"notice_text": NOTICE_2027} if method == "post" else None
    for user in (district_officer, world.applicant, world.hr, world.clerk, world.auditor):
        assert getattr(world.client_for(user), method)(url, data).status_code == 403
    assert getattr(Client(), method)(url, data).status_code == 302  # to the login page
    assert not CalendarYear.objects.exists()
    for user in (world.officer, world.other_officer, admin_user):
        assert getattr(world.client_for(user), method)(url, data).status_code == allowed


def test_years_not_offered_and_wrong_methods(world):
    officer = world.client_for(world.officer)
    assert officer.get(reverse("rules:calendar_year", args=[1999])).status_code == 404
    assert officer.get(reverse("rules:calendar_year", args=[2040])).status_code == 404
    assert officer.get(reverse("rules:calendar_preview", args=[2027])).status_code == 405
    assert officer.get(reverse("rules:calendar_save", args=[2027])).status_code == 405
    assert officer.post(reverse("rules:calendar_year", args=[2027])).status_code == 405
    assert officer.post(reverse("rules:calendar")).status_code == 405


def test_the_overview_lists_the_years_and_what_covers_them(world, frozen_clock):
    frozen_clock.set(at_beijing(dt.date(2026, 11, 30)))
    text = page(world.client_for(world.officer), reverse("rules:calendar"))
    assert "平台内置的放假安排" in text and "未录入：该年的工作日无法计算" in text
    assert world.client_for(world.applicant).get(reverse("rules:calendar")).status_code == 403
