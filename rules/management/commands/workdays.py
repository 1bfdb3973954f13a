"""`manage.py workdays`: answer working-day questions from the portal's calendar (rules/workdays.py).

- `workdays end 2025-09-25 5` prints 2025-09-30, the last day of a 5-working-day period; the start
  day counts when it is a working day (`--rule next_working_day` starts on the next working day).
- `workdays between 2025-09-25 2025-10-12` prints 8, the working days with both dates included.
- `workdays years` lists the years the calendar knows and its version, and warns of gaps.

Global options go before the action: `workdays -v 2 end 2025-09-25 5` lists the days counted.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal import clock
from rules import workdays


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期格式错误：“{text}”，应为 YYYY-MM-DD，例如 2025-09-25。") from None


def _parse_count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise CommandError(f"工作日数必须是不小于 1 的整数：“{text}”。")
    return n


class Command(BaseCommand):
    help = (
        "按工作日历计算工作日：公示期的最后一天（end）、两日期间的工作日数（between）、已覆盖年度（years）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{end,between,years}")
        end = actions.add_parser("end", help="从起始日起 N 个工作日的最后一天（起始日为工作日的计入）。")
        end.add_argument("start", help="起始日期 YYYY-MM-DD")
        end.add_argument("n", help="工作日数 N（≥1）")
        end.add_argument(
            "--rule",
            choices=workdays.PublicityStartRule.values,
            default=workdays.PublicityStartRule.START_DAY_COUNTS,
            help="起算规则，默认 start_day_counts（起始日为工作日的计为第1天）",
        )
        between = actions.add_parser("between", help="两日期之间的工作日数，两端都计入。")
        between.add_argument("first", help="起始日期 YYYY-MM-DD（计入）")
        between.add_argument("last", help="结束日期 YYYY-MM-DD（计入）")
        actions.add_parser("years", help="列出工作日历已覆盖的年度和日历版本。")

    def handle(self, *args, **options) -> None:
        # Arguments are checked before the database is read, so a typo never waits on it.
        try:
            if options["action"] == "end":
                start, n = _parse_date(options["start"]), _parse_count(options["n"])
                period = workdays.get_calendar().publicity_period(start, n, options["rule"])
                self._print_period(period, options["verbosity"])
            elif options["action"] == "between":
                first, last = _parse_date(options["first"]), _parse_date(options["last"])
                if last < first:
                    raise CommandError(f"起始日期 {first} 晚于结束日期 {last}。")
                self.stdout.write(str(workdays.get_calendar().count_working_days(first, last)))
            else:
                self._years(workdays.get_calendar())
        except workdays.UnknownCalendarYear as exc:
            raise CommandError(str(exc)) from exc

    def _print_period(self, period: workdays.PublicityPeriod, verbosity: int) -> None:
        self.stdout.write(period.end_date.isoformat())
        if verbosity >= 2:
            for i, day in enumerate(period.days, start=1):
                self.stdout.write(f"  第{i}个工作日：{day}（{workdays.weekday_name(day)}）")
            self.stdout.write(f"  截止时间：{period.ends_at.isoformat()}（北京时间24:00）")
            self.stdout.write(f"  日历版本：{period.calendar_version}")

    def _years(self, calendar: workdays.WorkCalendar) -> None:
        years = calendar.covered_years()
        package = workdays.PACKAGE_YEARS
        self.stdout.write(
            f"软件包 {workdays.PACKAGE_NAME} {workdays.PACKAGE_VERSION}：{package.start}–{package.stop - 1}"
        )
        entered = sorted(calendar.entered_years)
        self.stdout.write(f"后台完整录入的年度：{'、'.join(map(str, entered)) or '无'}")
        self.stdout.write(f"可计算的年度：{_ranges(years)}")
        self.stdout.write(f"日历版本：{calendar.version}")
        for warning in workdays.coverage_warnings(clock.today(), calendar):
            self.stderr.write(warning)


def _ranges(years: list[int]) -> str:
    """[2004, 2005, 2006, 2027] -> "2004–2006、2027"."""
    parts: list[str] = []
    for year in years:
        if parts and year == int(parts[-1].split("–")[-1]) + 1:
            parts[-1] = f"{parts[-1].split('–')[0]}–{year}"
        else:
            parts.append(str(year))
    return "、".join(parts)
