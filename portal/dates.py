"""Calendar arithmetic shared by every app: the same day N months or years on (民法典第二百零二条)."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(value: dt.date, months: int) -> dt.date:
    """Same day ``months`` later; the month's last day where it has no such day (民法典第二百零二条)."""
    index = value.year * 12 + (value.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def add_years(value: dt.date, years: int) -> dt.date:
    return add_months(value, 12 * years)
