"""Entering a year's holiday schedule (a State Council notice) into the working-day calendar: the checks
an entry must pass and the save that replaces the year's CalendarDay rows. Counting is in rules.workdays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from rules.models import CalendarDay, CalendarYear
from rules.workdays import PACKAGE_YEARS, WorkCalendarError, package_is_working_day, weekday_name

# 全国年节及纪念日放假办法 (4th revision, 2024-11-10): 元旦 1, 春节 4, 清明 1, 劳动节 2, 端午 1,
# 中秋 1, 国庆 3 days off from 2025 on. A complete year's holiday list cannot be shorter.
STATUTORY_HOLIDAY_DAYS = 13


class CalendarScheduleError(WorkCalendarError, ValueError):
    """A year's schedule as entered contradicts itself or the calendar; one message per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("；".join(problems))


@dataclass(frozen=True)
class ScheduleDay:
    date: dt.date
    name: str = ""


def schedule_problems(
    *, year: int, holidays: Iterable[ScheduleDay], workdays: Iterable[ScheduleDay], complete: bool
) -> list[str]:
    """What is wrong with a year's schedule as entered (an empty list when nothing is)."""
    holidays, workdays = list(holidays), list(workdays)
    problems = []
    for entry in holidays + workdays:
        if entry.date.year != year:
            problems.append(
                f"{entry.date} 不在{year}年内（上一年12月的调整请在上一年度或“节假日/调休日”中录入）。"
            )
    for day in sorted({e.date for e in holidays} & {e.date for e in workdays}):
        problems.append(f"{day} 同时被录入为放假日和调休上班日。")
    for entry in workdays:
        # A Monday-to-Friday "make-up workday" changes nothing unless it cancels a package holiday.
        if entry.date.weekday() < 5 and package_is_working_day(entry.date) is not False:
            problems.append(
                f"{entry.date}（{weekday_name(entry.date)}）本来就是工作日，调休上班日应为周六或周日。"
            )
    if complete and year not in PACKAGE_YEARS:
        holiday_dates = {e.date for e in holidays}
        if dt.date(year, 1, 1) not in holiday_dates:
            problems.append(f"已完整录入的年度必须包含元旦（{year}-01-01）放假。")
        if len(holiday_dates) < STATUTORY_HOLIDAY_DAYS:
            problems.append(
                f"只录入了 {len(holiday_dates)} 个放假日，少于全年法定节假日 {STATUTORY_HOLIDAY_DAYS} 天"
                "（《全国年节及纪念日放假办法》），请核对是否漏录。"
            )
    return problems


def calendar_year_save_schedule(
    *,
    year: int,
    holidays: Iterable[ScheduleDay],
    workdays: Iterable[ScheduleDay],
    complete: bool,
    document_no: str = "",
    published_on: dt.date | None = None,
    note: str = "",
) -> CalendarYear:
    """Record a State Council holiday notice: the year's row and all of its days, replacing what was there.

    The CalendarDay rows dated in `year` become exactly `holidays` and `workdays`.
    """
    holidays, workdays = list(holidays), list(workdays)
    problems = schedule_problems(year=year, holidays=holidays, workdays=workdays, complete=complete)
    if problems:
        raise CalendarScheduleError(problems)
    rows: dict[dt.date, CalendarDay] = {}
    for kind, entries in ((CalendarDay.Kind.HOLIDAY, holidays), (CalendarDay.Kind.WORKDAY, workdays)):
        for entry in entries:
            rows.setdefault(entry.date, CalendarDay(date=entry.date, kind=kind, name=entry.name[:40]))
    with transaction.atomic():
        calendar_year, _created = CalendarYear.objects.update_or_create(
            year=year,
            defaults={
                "complete": complete,
                "document_no": document_no,
                "published_on": published_on,
                "note": note,
            },
        )
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(rows[day] for day in sorted(rows))
    return calendar_year
