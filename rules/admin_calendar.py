"""Admin for the working-day calendar: a bureau enters a year's holiday schedule (国务院办公厅关于
XXXX年部分节假日安排的通知) on the day it is published, and corrects single days.

Imported by rules/admin.py; importing this module registers CalendarYear and CalendarDay.

CalendarDay has no foreign key to CalendarYear (a day belongs to the year of its date), so Django's
InlineModelAdmin cannot be used. The year's change page edits its days as two text areas instead,
written the way the notice is (one line per festival), and lists the saved days below them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from portal import clock
from rules import calendar_schedule, workdays
from rules.models import CalendarDay, CalendarYear

# Parsing the schedule text -------------------------------------------------------------------------

_RANGE_SEPARATOR = re.compile(r"\s*(?:~|～|至|到)\s*")
_TOKEN_SEPARATOR = re.compile(r"[\s,，、;；]+")
_LEADING_NAME = re.compile(r"^([^\d\s:：,，、]+)[\s:：]*")
_DATE = re.compile(r"^(?:(\d{4})[-/.])?(\d{1,2})[-/.](\d{1,2})$")
_LONGEST_RUN = 31  # days; a longer range in one line is almost certainly a typo


def _parse_day(token: str, year: int) -> dt.date | None:
    match = _DATE.match(token)
    if not match:
        return None
    try:
        return dt.date(int(match[1] or year), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_schedule_text(text: str, year: int) -> list[calendar_schedule.ScheduleDay]:
    """Lines such as "春节 2027-02-06~2027-02-13" or "春节：02-14、02-20" -> one ScheduleDay per date.

    A leading word is the festival's name; dates may omit the year (the form's year is meant);
    "~", "至" or "到" joins the first and last day of a run. Raises ValidationError listing every bad line.
    """
    days: list[calendar_schedule.ScheduleDay] = []
    errors: list[str] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = _RANGE_SEPARATOR.sub("~", raw.strip())
        if not line:
            continue
        name_match = _LEADING_NAME.match(line)
        name = name_match[1] if name_match else ""
        tokens = [t for t in _TOKEN_SEPARATOR.split(line[name_match.end() if name_match else 0 :]) if t]
        if not tokens:
            errors.append(f"第{lineno}行：缺少日期。")
        for token in tokens:
            first_text, _sep, last_text = token.partition("~")
            first = _parse_day(first_text, year)
            last = _parse_day(last_text, first.year if first else year) if last_text else first
            if first is None or last is None:
                errors.append(
                    f"第{lineno}行：无法识别“{token}”，日期应写作 {year}-02-06、02-06 或 02-06~02-13。"
                )
                continue
            if not 0 <= (last - first).days < _LONGEST_RUN:
                errors.append(
                    f"第{lineno}行：区间“{token}”的结束日期应不早于开始日期，且不超过 {_LONGEST_RUN} 天。"
                )
                continue
            days.extend(
                calendar_schedule.ScheduleDay(first + dt.timedelta(days=i), name)
                for i in range((last - first).days + 1)
            )
    if errors:
        raise forms.ValidationError(errors)
    return days


def format_schedule_text(entries: Iterable[tuple[dt.date, str]]) -> str:
    """The inverse of parse_schedule_text: one line per name, consecutive dates joined as runs."""
    runs: dict[str, list[list[dt.date]]] = {}
    for day, name in sorted(entries):
        name_runs = runs.setdefault(name, [])
        if name_runs and name_runs[-1][-1] + dt.timedelta(days=1) == day:
            name_runs[-1].append(day)
        else:
            name_runs.append([day])
    lines = []
    for name, name_runs in sorted(runs.items(), key=lambda item: item[1][0][0]):
        parts = [f"{r[0]}~{r[-1]}" if len(r) > 1 else str(r[0]) for r in name_runs]
        lines.append(" ".join(([name] if name else []) + parts))
    return "\n".join(lines)


# The year's form -----------------------------------------------------------------------------------


class CalendarYearForm(forms.ModelForm):
    holidays_text = forms.CharField(
        label="放假日期（休息）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 60}),
        help_text="按通知逐项录入，每行一个节日：节日名称 + 日期或区间，区间包括周末。例如："
        "“元旦 01-01”“春节 02-06~02-13”。日期可写 2027-02-06 或 02-06。",
    )
    workdays_text = forms.CharField(
        label="调休上班日期",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="通知中写明“上班”的周六、周日，例如“春节 02-14 02-20”。",
    )

    class Meta:
        model = CalendarYear
        fields = ["year", "document_no", "published_on", "complete", "note"]
        help_texts = {
            "complete": "勾选后，该年即使不在 chinese-calendar 软件包内也可计算工作日："
            "未录入的日期按周一至周五上班、周六周日休息计算。只在整份通知录入完毕后勾选。",
            "document_no": "例如 国办发明电〔2025〕7号",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            rows = CalendarDay.objects.filter(date__year=self.instance.year)
            by_kind: dict[str, list[tuple[dt.date, str]]] = {kind: [] for kind in CalendarDay.Kind.values}
            for row in rows:
                by_kind[row.kind].append((row.date, row.name))
            self.initial.setdefault("holidays_text", format_schedule_text(by_kind[CalendarDay.Kind.HOLIDAY]))
            self.initial.setdefault("workdays_text", format_schedule_text(by_kind[CalendarDay.Kind.WORKDAY]))

    def clean(self) -> dict:
        cleaned = super().clean()
        year = cleaned.get("year", self.instance.year if self.instance.pk else None)
        if year is None:
            return cleaned
        parsed = {}
        for field in ("holidays_text", "workdays_text"):
            try:
                parsed[field] = parse_schedule_text(cleaned.get(field, ""), year)
            except forms.ValidationError as exc:
                self.add_error(field, exc)
        if len(parsed) == 2:
            self.schedule = (parsed["holidays_text"], parsed["workdays_text"])
            problems = calendar_schedule.schedule_problems(
                year=year,
                holidays=parsed["holidays_text"],
                workdays=parsed["workdays_text"],
                complete=cleaned.get("complete", False),
            )
            if not self.instance.pk:
                problems += self._unlisted_existing_days(
                    year, parsed["holidays_text"] + parsed["workdays_text"]
                )
            if problems:
                raise forms.ValidationError(problems)
        return cleaned

    @staticmethod
    def _unlisted_existing_days(year: int, entered: list[calendar_schedule.ScheduleDay]) -> list[str]:
        # Saving replaces the year's days. On the change form they are shown in the text areas; on
        # the add form they are not, so days entered one by one earlier must not vanish unseen.
        listed = {entry.date for entry in entered}
        unlisted = [
            str(day)
            for day in CalendarDay.objects.filter(date__year=year).values_list("date", flat=True)
            if day not in listed
        ]
        if not unlisted:
            return []
        return [
            f"以下日期已在“节假日/调休日”中单独录入，但不在本次录入中：{'、'.join(unlisted)}。请一并录入或先删除。"
        ]


def _coverage_warnings(request: HttpRequest) -> None:
    for message in workdays.coverage_warnings(clock.today()):
        messages.warning(request, message)


def _kind_count(kind: str) -> Coalesce:
    per_year = (
        CalendarDay.objects.filter(date__year=OuterRef("year"), kind=kind)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(per_year, output_field=IntegerField()), Value(0))


def _status_word(working: bool | None) -> str:
    return "—" if working is None else ("上班" if working else "休息")


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    form = CalendarYearForm
    list_display = [
        "year",
        "complete",
        "coverage",
        "holiday_count",
        "workday_count",
        "document_no",
        "published_on",
    ]
    list_filter = ["complete"]
    ordering = ["-year"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarYear]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                holiday_count=_kind_count(CalendarDay.Kind.HOLIDAY),
                workday_count=_kind_count(CalendarDay.Kind.WORKDAY),
            )
        )

    def get_fieldsets(self, request: HttpRequest, obj: CalendarYear | None = None):
        fieldsets = [
            ("通知", {"fields": ["year", "document_no", "published_on", "note"]}),
            ("放假安排", {"fields": ["holidays_text", "workdays_text", "complete"]}),
        ]
        if obj is not None:
            fieldsets.append(("已保存的日期", {"fields": ["coverage", "days_table"]}))
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: CalendarYear | None = None):
        # The days belong to the year by their dates; renaming the year would orphan them.
        return ["year", "coverage", "days_table"] if obj is not None else []

    @admin.display(description="计算依据")
    def coverage(self, obj: CalendarYear) -> str:
        if obj.year in workdays.PACKAGE_YEARS:
            return f"{workdays.PACKAGE_NAME} {workdays.PACKAGE_VERSION}（本表日期按日覆盖软件包）"
        return "本表（已完整录入）" if obj.complete else "未覆盖：该年的工作日无法计算"

    @admin.display(description="放假日数", ordering="holiday_count")
    def holiday_count(self, obj: CalendarYear) -> int:
        return obj.holiday_count

    @admin.display(description="调休上班日数", ordering="workday_count")
    def workday_count(self, obj: CalendarYear) -> int:
        return obj.workday_count

    @admin.display(description="日期明细")
    def days_table(self, obj: CalendarYear) -> str:
        rows = CalendarDay.objects.filter(date__year=obj.year)
        if not rows:
            return "（未录入日期）"
        body = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:rules_calendarday_change", args=[row.pk]),
                    row.date,
                    workdays.weekday_name(row.date),
                    row.get_kind_display(),
                    row.name,
                    _status_word(workdays.package_is_working_day(row.date)),
                )
                for row in rows
            ),
        )
        return format_html(
            "<table><thead><tr><th>日期</th><th>星期</th><th>类型</th><th>名称</th><th>软件包</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            body,
        )

    def save_model(
        self, request: HttpRequest, obj: CalendarYear, form: CalendarYearForm, change: bool
    ) -> None:
        holidays, workdays_ = form.schedule
        saved = calendar_schedule.calendar_year_save_schedule(
            year=obj.year,
            holidays=holidays,
            workdays=workdays_,
            complete=obj.complete,
            document_no=obj.document_no,
            published_on=obj.published_on,
            note=obj.note,
        )
        obj.pk = saved.pk
        obj._state.adding = False
        changed = package_differences(obj.year)
        if changed:
            messages.warning(
                request,
                f"{obj.year}年已由 {workdays.PACKAGE_NAME} 软件包覆盖，以下日期与软件包不同，将以本表为准："
                + "；".join(changed),
            )

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        _coverage_warnings(request)
        return super().changelist_view(request, extra_context)


def package_differences(year: int) -> list[str]:
    """The saved days of `year` that change what the package says, e.g.
    "2026-10-08（周四）软件包：休息，本表：上班"."""
    differences = []
    for row in CalendarDay.objects.filter(date__year=year):
        package = workdays.package_is_working_day(row.date)
        working = row.kind == CalendarDay.Kind.WORKDAY
        if package is not None and package != working:
            differences.append(
                f"{row.date}（{workdays.weekday_name(row.date)}）软件包：{_status_word(package)}，"
                f"本表：{_status_word(working)}"
            )
    return differences


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "name", "package_says", "effect"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]
    ordering = ["date"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarDay]:
        complete = CalendarYear.objects.filter(year=ExtractYear(OuterRef("date")), complete=True)
        return super().get_queryset(request).annotate(year_complete=Exists(complete))

    @admin.display(description="星期")
    def weekday(self, obj: CalendarDay) -> str:
        return workdays.weekday_name(obj.date)

    @admin.display(description="软件包")
    def package_says(self, obj: CalendarDay) -> str:
        return _status_word(workdays.package_is_working_day(obj.date))

    @admin.display(description="作用")
    def effect(self, obj: CalendarDay) -> str:
        package = workdays.package_is_working_day(obj.date)
        if package is None and not obj.year_complete:
            return f"{obj.date.year}年未完整录入，暂不能计算"
        usual = package if package is not None else obj.date.weekday() < 5
        return "改变了该日" if usual != (obj.kind == CalendarDay.Kind.WORKDAY) else "与原安排相同"

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        _coverage_warnings(request)
        return super().changelist_view(request, extra_context)
