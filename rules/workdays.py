"""The working-day calendar (工作日历): one service for every period counted in working days.

Sources of truth, in order of precedence for a given date:

1. a CalendarDay row (entered by a bureau in the admin) decides that date;
2. otherwise, in a year the chinese-calendar package covers, the package decides (statutory
   holidays and make-up workdays, 调休上班日, from the State Council notices);
3. otherwise, in a year a bureau has marked complete (CalendarYear.complete), Monday to Friday
   are working days and Saturday and Sunday are not;
4. any other year is unknown: every function raises UnknownCalendarYear instead of guessing
   from weekends, so no publicity is ever started into a year whose schedule nobody entered.

Make-up workdays count as working days (the portal's decision, docs/working-days.md). Counting
rules and their legal sources are in docs/working-days.md.

Speed: a WorkCalendar is an immutable snapshot. get_calendar() reads the override rows (two small
queries) and reuses the snapshot built from them while they are unchanged. The rows themselves
are the cache key, so no process ever computes with stale overrides; there is no "updated" column
to key a cheaper query on, and a count/max(id) key would miss in-place edits. Code that computes
many periods (a sweep) takes one snapshot with get_calendar() and calls its methods.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import chinese_calendar
from chinese_calendar import constants as _package_data
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rules.models import CalendarDay, CalendarYear

SHANGHAI = ZoneInfo("Asia/Shanghai")
PACKAGE_NAME = "chinesecalendar"
PACKAGE_VERSION: str = chinese_calendar.__version__
# The package's own notion of coverage (chinese_calendar.utils._validate_date): whole years from the
# first to the last year that has a holiday in its data.
PACKAGE_YEARS = range(min(_package_data.holidays).year, max(_package_data.holidays).year + 1)
CALENDAR_VERSION_MAX_LENGTH = 64
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class WorkCalendarError(Exception):
    """A working-day computation or schedule entry was refused; the message is for the user."""


class UnknownCalendarYear(WorkCalendarError):
    """Neither the chinese-calendar package nor a complete CalendarYear covers this year."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"{year}年的法定节假日和调休安排尚未录入，无法计算工作日。"
            f"（{PACKAGE_NAME} {PACKAGE_VERSION} 只包含 {PACKAGE_YEARS.start}–{PACKAGE_YEARS.stop - 1} 年。）"
            "请市、省人力社保部门经办人员或系统管理员在工作日历页面"
            f"（{reverse('rules:calendar_year', args=[year])}）"
            f"按国务院办公厅放假通知录入{year}年的安排（也可在管理后台“工作日历年度”中录入并勾选“已完整录入”）。"
        )


class PublicityStartRule(models.TextChoices):
    """When day 1 of a publicity is; domain.md b.3 and "Decisions the portal takes"."""

    START_DAY_COUNTS = "start_day_counts", _("发布当日为工作日的计为第1个工作日，否则自其后第1个工作日起算")
    NEXT_WORKING_DAY = "next_working_day", _("自发布次日起的第1个工作日起算（民法典第二百零一条）")


def _require_date(value: object, what: str = "日期") -> dt.date:
    # A datetime is a date subclass, but which date it means depends on the time zone (UTC or
    # Shanghai); make the caller decide instead of silently using the UTC date.
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(
            f"{what}必须是 datetime.date（不是 {type(value).__name__}）；请先换算为北京时间的日期。"
        )
    return value


def weekday_name(day: dt.date) -> str:
    return WEEKDAY_NAMES[day.weekday()]


def package_is_working_day(day: dt.date) -> bool | None:
    """What the chinese-calendar package alone says about a day; None for a year it does not cover."""
    if day.year not in PACKAGE_YEARS:
        return None
    # chinese_calendar.is_workday(day), minus its per-call range check that scans all its data
    # (~18 µs a day, which a year-long count would pay 365 times).
    return day in _package_data.workdays or (day.weekday() < 5 and day not in _package_data.holidays)


@dataclass(frozen=True)
class PublicityPeriod:
    """A publicity period as computed: what a publicity record stores with itself."""

    posted_on: dt.date
    rule: str
    working_days: int
    days: tuple[dt.date, ...]  # the working days counted, in order
    calendar_version: str

    @property
    def first_day(self) -> dt.date:
        return self.days[0]

    @property
    def end_date(self) -> dt.date:
        return self.days[-1]

    @property
    def ends_at(self) -> dt.datetime:
        return period_end_datetime(self.end_date)


class WorkCalendar:
    """The calendar at one moment: the package plus the override rows read then. Immutable."""

    def __init__(self, overrides: Mapping[dt.date, bool], entered_years: Iterable[int]):
        self._overrides: dict[dt.date, bool] = dict(overrides)  # date -> is a working day
        self.entered_years: frozenset[int] = frozenset(entered_years)
        self.version: str = self._make_version()

    @classmethod
    def from_rows(cls, days: Iterable[tuple[dt.date, str]], complete_years: Iterable[int]) -> WorkCalendar:
        return cls({day: kind == CalendarDay.Kind.WORKDAY for day, kind in days}, complete_years)

    def _make_version(self) -> str:
        base = f"{PACKAGE_NAME}-{PACKAGE_VERSION}"
        if not self._overrides and not self.entered_years:
            return base
        lines = [f"year {year}" for year in sorted(self.entered_years)]
        lines += [f"{day.isoformat()} {int(working)}" for day, working in sorted(self._overrides.items())]
        digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:12]
        return f"{base}+ov-{digest}"

    # Coverage ------------------------------------------------------------------------------------

    def is_year_known(self, year: int) -> bool:
        return year in PACKAGE_YEARS or year in self.entered_years

    def covered_years(self) -> list[int]:
        return sorted(set(PACKAGE_YEARS) | self.entered_years)

    def override_for(self, day: dt.date) -> bool | None:
        return self._overrides.get(day)

    def with_year(self, year: int, holidays: Iterable[dt.date], workdays: Iterable[dt.date]) -> WorkCalendar:
        """This calendar with `year`'s days replaced and the year complete: what saving a schedule gives."""
        overrides = {day: working for day, working in self._overrides.items() if day.year != year}
        overrides.update(dict.fromkeys(holidays, False))
        overrides.update(dict.fromkeys(workdays, True))
        return WorkCalendar(overrides, self.entered_years | {year})

    # Days ----------------------------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        _require_date(day)
        if not self.is_year_known(day.year):
            raise UnknownCalendarYear(day.year)
        override = self._overrides.get(day)
        if override is not None:
            return override
        package = package_is_working_day(day)
        return package if package is not None else day.weekday() < 5

    def iter_working_days(self, start: dt.date, *, include_start: bool, step: int = 1) -> Iterator[dt.date]:
        """Working days from `start` on (or backwards with step=-1); raises on reaching an unknown year."""
        _require_date(start)
        one_day = dt.timedelta(days=step)
        day = start if include_start else start + one_day
        while True:
            if self.is_working_day(day):
                yield day
            day += one_day

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (n > 0) or before it (n < 0); `day` itself is not counted."""
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"工作日数必须是整数（收到 {n!r}）。")
        if n == 0:
            raise ValueError("工作日数不能为 0。")
        counted = self.iter_working_days(day, include_start=False, step=1 if n > 0 else -1)
        for _i in range(abs(n) - 1):
            next(counted)
        return next(counted)

    def count_working_days(self, first: dt.date, last: dt.date) -> int:
        """Working days from `first` to `last`, both included."""
        _require_date(first, "起始日期")
        _require_date(last, "结束日期")
        if last < first:
            raise ValueError(f"起始日期 {first} 晚于结束日期 {last}。")
        count, day = 0, first
        while day <= last:
            count += self.is_working_day(day)
            day += dt.timedelta(days=1)
        return count

    # Publicity -----------------------------------------------------------------------------------

    def publicity_period(self, start: dt.date, working_days: int, rule: str) -> PublicityPeriod:
        if rule not in PublicityStartRule.values:
            raise ValueError(
                f"未知的公示起算规则：{rule!r}（可选：{', '.join(PublicityStartRule.values)}）。"
            )
        if isinstance(working_days, bool) or not isinstance(working_days, int) or working_days < 1:
            raise ValueError(f"公示期的工作日数必须是不小于 1 的整数（收到 {working_days!r}）。")
        include_start = rule == PublicityStartRule.START_DAY_COUNTS
        counted = self.iter_working_days(start, include_start=include_start)
        days = tuple(next(counted) for _i in range(working_days))
        return PublicityPeriod(
            posted_on=start,
            rule=str(rule),
            working_days=working_days,
            days=days,
            calendar_version=self.version,
        )

    def publicity_end(self, start: dt.date, working_days: int, rule: str) -> dt.date:
        return self.publicity_period(start, working_days, rule).end_date


# The per-process snapshot with the rows it was built from, as one tuple: replacing one reference
# is atomic, so threads need no lock (at worst two threads build the same snapshot at once).
_cached: tuple[tuple, WorkCalendar] | None = None


def get_calendar() -> WorkCalendar:
    """The calendar as the database says now (two small queries; the build is reused)."""
    global _cached
    days = tuple(CalendarDay.objects.order_by("date").values_list("date", "kind"))
    years = tuple(CalendarYear.objects.filter(complete=True).order_by("year").values_list("year", flat=True))
    key = (days, years)
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    calendar = WorkCalendar.from_rows(days, years)
    _cached = (key, calendar)
    return calendar


def is_working_day(day: dt.date) -> bool:
    return get_calendar().is_working_day(day)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (n > 0) or before it (n < 0); `day` itself is not counted."""
    return get_calendar().add_working_days(day, n)


def count_working_days(first: dt.date, last: dt.date) -> int:
    """Working days from `first` to `last`, both ends included (0 when none)."""
    return get_calendar().count_working_days(first, last)


def publicity_period(start: dt.date, working_days: int, rule: str) -> PublicityPeriod:
    """Day 1 to the last day of an N-working-day publicity, with the calendar version used.

    rule START_DAY_COUNTS: day 1 is `start` when it is a working day, else the next working day.
    rule NEXT_WORKING_DAY: day 1 is the first working day after `start` (Civil Code Art. 201).
    """
    return get_calendar().publicity_period(start, working_days, rule)


def publicity_end(start: dt.date, working_days: int, rule: str) -> dt.date:
    """The last working day of the publicity; it closes at period_end_datetime() of that day."""
    return get_calendar().publicity_end(start, working_days, rule)


def period_end_datetime(end_date: dt.date) -> dt.datetime:
    """24:00 of `end_date` in Beijing time (Civil Code Art. 203), i.e. 00:00 of the next day there."""
    _require_date(end_date, "截止日期")
    return dt.datetime.combine(end_date + dt.timedelta(days=1), dt.time.min, tzinfo=SHANGHAI)


def covered_years() -> list[int]:
    return get_calendar().covered_years()


def is_year_known(year: int) -> bool:
    return get_calendar().is_year_known(year)


def calendar_version() -> str:
    """e.g. "chinesecalendar-1.11.0" or "chinesecalendar-1.11.0+ov-3f9a2c1b7e4d" (at most 64 chars)."""
    return get_calendar().version


def coverage_warnings(today: dt.date, calendar: WorkCalendar | None = None) -> list[str]:
    """Warnings for the admin and for `manage.py workdays years` when this or next year is unknown."""
    calendar = calendar or get_calendar()
    warnings = []
    if not calendar.is_year_known(today.year):
        warnings.append(
            f"本年度（{today.year}年）的放假安排尚未录入：所有以工作日计算的期限（如公示期）都无法计算，"
            f"新的公示不能发布。请立即按国务院办公厅放假通知录入{today.year}年的安排。"
        )
    if not calendar.is_year_known(today.year + 1):
        warnings.append(
            f"下一年度（{today.year + 1}年）的放假安排尚未录入：跨入{today.year + 1}年的公示期无法计算。"
            f"国务院办公厅发布{today.year + 1}年部分节假日安排的通知后，请当天录入。"
        )
    return warnings


# From 1 October the admin and the bureaus are warned while next year's schedule is missing: the State
# Council publishes it around October–November, and a publicity posted in mid-December already runs
# into January.
WARN_NEXT_YEAR_FROM = (10, 1)


def calendar_gaps(today: dt.date) -> list[int]:
    """The years that should be entered by now and are not: this year, and from 1 October next year.

    No query while the package covers them (the usual case), one small query otherwise; for banners
    shown on every page of the admin and the bureaus.
    """
    wanted = [today.year]
    if (today.month, today.day) >= WARN_NEXT_YEAR_FROM:
        wanted.append(today.year + 1)
    unknown = [year for year in wanted if year not in PACKAGE_YEARS]
    if not unknown:
        return []
    entered = set(CalendarYear.objects.filter(year__in=unknown, complete=True).values_list("year", flat=True))
    return [year for year in unknown if year not in entered]
