"""The demo's clock: where a new demo starts, and what `load_demo --now / --real-time` set."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from portal import clock
from rules import workdays

from .tables import PLAN_YEAR, SHANGHAI

# The demo's plans, their deadlines and the publicities and meetings after them take about this long.
DEMO_SPAN_DAYS = 120
# Where the demo starts when the real date's next months lie in a year without a holiday schedule:
# early September of the plan year, so declarations, the National Day break and the results fit in it;
# a quarter of an hour before midnight, so that the employer publicity ending that day (at 24:00) ends
# minutes after loading and a newcomer sees the sweep move its applications on.
DEFAULT_DEMO_START = dt.datetime(PLAN_YEAR, 9, 1, 23, 45, tzinfo=SHANGHAI)
# The hour of a start given as a date only (`load_demo --now 2026-09-01`).
DATE_ONLY_HOUR = 9


def parse_demo_start(text: str) -> dt.datetime:
    """ "2026-09-01" (09:00 that day) or "2026-09-01T14:30", Beijing time."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"演示起始时刻格式错误：“{text}”，应为 2026-09-01 或 2026-09-01T09:00。") from None
    if len(text.strip()) <= len("2026-09-01"):
        value = value.replace(hour=DATE_ONLY_HOUR)
    return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)


def demo_clock_prepare(*, start: dt.datetime | None = None, real_time: bool = False) -> str:
    """Choose the demo's clock before the data is loaded; returns what to tell the user.

    --now sets it; --real-time removes it; otherwise a running demo keeps its clock, and a new one runs
    on the real date unless the next DEMO_SPAN_DAYS reach a year whose holidays nobody has entered:
    then it starts at DEFAULT_DEMO_START, so the demo never depends on the real date being covered.
    """
    if real_time:
        removed = clock.demo_clock_clear()
        return "已删除演示时钟，按实际时间运行。" if removed else "按实际时间运行。"
    if start is not None:
        clock.demo_clock_set(start)
        return f"演示时钟已设为 {start:%Y-%m-%d %H:%M}（北京时间），此后照常流逝。"
    if clock.demo_clock() is not None:
        return (
            f"演示时钟继续有效：门户现在的时间是 {timezone.localtime(clock.now(), SHANGHAI):%Y-%m-%d %H:%M}。"
        )
    today = clock.today()
    last = today + dt.timedelta(days=DEMO_SPAN_DAYS)
    missing = [year for year in range(today.year, last.year + 1) if not workdays.is_year_known(year)]
    if not missing:
        return ""
    if getattr(settings, "DEMO_CLOCK_FILE", None) is None:
        return f"注意：{missing[0]}年的放假安排尚未录入，跨入该年的公示将无法发布。"
    clock.demo_clock_set(DEFAULT_DEMO_START)
    return (
        f"今天起{DEMO_SPAN_DAYS}天内将跨入尚未录入放假安排的{missing[0]}年，演示时钟已自动设为 "
        f"{DEFAULT_DEMO_START:%Y-%m-%d %H:%M}（北京时间），此后照常流逝。"
        "可用 --now 选择其他起始时刻，或用 --real-time 按实际时间运行。"
    )
