"""Date arithmetic for "满N年" and the years of work and of holding a title.

Rules (docs/eligibility.md, "Counting years"):

- "满N年" / "N年以上": ``add_years(start, N) <= as_of``. 民法典第二百零一条: the day a period starts is not
  counted; 第一千二百五十九条: "以上" includes the number itself, so "2年以上" is the same as "满2年".
- A start on 29 February reaches its anniversary on 28 February of a common year (民法典第二百零二条:
  without a corresponding day, the last day of that month ends the period).
- Years of work are the days inside the periods that count (gaps excluded, overlaps merged), clipped to
  ``as_of``. They are compared as if worked in one stretch ending on ``as_of``: the "effective start" is
  ``as_of - days + 1``, so one unbroken period gives back its own start date exactly.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from portal.dates import add_months, add_years  # noqa: F401  (the rules' date arithmetic)

ONE_DAY = dt.timedelta(days=1)


def full_years_reached(start: dt.date, years: int, as_of: dt.date) -> bool:
    """Whether "满 ``years`` 年" holds on ``as_of`` for a period starting on ``start``."""
    return add_years(start, years) <= as_of


@dataclass(frozen=True)
class Span:
    """Whole years and months (and remaining days) from an effective start to ``as_of``."""

    years: int
    months: int
    days: int

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months

    def __str__(self) -> str:
        return format_span(self)


def span_between(start: dt.date, end: dt.date) -> Span:
    """Largest whole months m with add_months(start, m) <= end, split into years and months."""
    if end < start:
        return Span(0, 0, 0)
    months = (end.year - start.year) * 12 + (end.month - start.month)
    while months > 0 and add_months(start, months) > end:
        months -= 1
    days = (end - add_months(start, months)).days
    return Span(months // 12, months % 12, days)


def format_span(span: Span) -> str:
    if span.years and span.months:
        return f"{span.years}年{span.months}个月"
    if span.years:
        return f"{span.years}年"
    if span.months:
        return f"{span.months}个月"
    return "不足1个月" if span.days else "0个月"


def monthday(year: int, text: str) -> dt.date:
    """ "MM-DD" in ``year``; 02-29 falls on 28 February in a common year (民法典第二百零二条)."""
    month, day = (int(x) for x in text.split("-"))
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def cn_date(value: dt.date | None) -> str:
    if value is None:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日"


@dataclass(frozen=True)
class Interval:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def merge_intervals(
    periods: Iterable[tuple[dt.date, dt.date | None]], *, since: dt.date | None, as_of: dt.date
) -> list[Interval]:
    """Clip each (start, end-or-None) period to [since, as_of] and merge overlaps and adjoining days."""
    clipped: list[Interval] = []
    for start, end in periods:
        first = max(start, since) if since else start
        last = min(end, as_of) if end else as_of
        if first <= last:
            clipped.append(Interval(first, last))
    clipped.sort(key=lambda i: i.start)
    merged: list[Interval] = []
    for interval in clipped:
        if merged and interval.start <= merged[-1].end + ONE_DAY:
            if interval.end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, interval.end)
        else:
            merged.append(interval)
    return merged


@dataclass(frozen=True)
class Duration:
    """Time inside counted periods, measured up to ``as_of``."""

    days: int
    as_of: dt.date
    ongoing: bool  # the last counted period runs up to as_of (an open-ended period)
    first_day: dt.date | None

    @property
    def effective_start(self) -> dt.date | None:
        if self.days <= 0:
            return None
        return self.as_of - dt.timedelta(days=self.days - 1)

    @property
    def span(self) -> Span:
        start = self.effective_start
        return span_between(start, self.as_of) if start else Span(0, 0, 0)

    def reaches(self, years: int) -> bool:
        start = self.effective_start
        return start is not None and full_years_reached(start, years, self.as_of)

    def reached_on(self, years: int) -> dt.date | None:
        """The day ``years`` full years are reached if the open-ended period simply continues."""
        start = self.effective_start
        if start is None or not self.ongoing:
            return None
        return add_years(start, years)

    def __str__(self) -> str:
        return format_span(self.span)


def duration(
    periods: Iterable[tuple[dt.date, dt.date | None]],
    *,
    since: dt.date | None,
    as_of: dt.date,
) -> Duration:
    periods = list(periods)
    merged = merge_intervals(periods, since=since, as_of=as_of)
    days = sum(i.days for i in merged)
    ongoing = any(end is None and start <= as_of for start, end in periods)
    return Duration(
        days=days, as_of=as_of, ongoing=ongoing and days > 0, first_day=merged[0].start if merged else None
    )
