"""Entering a year's holiday schedule on the portal's calendar page: the State Council notice pasted as it
is published (国务院办公厅关于XXXX年部分节假日安排的通知), or the simple date lists of the admin form.

A notice is written one item per festival, e.g.

    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。

The sentence with 放假 gives the days off (a single day or a range, weekends inside included); the one
with 上班 lists the make-up working days. "共N天" is checked against the range read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from rules import calendar_schedule, workdays
from rules.admin_calendar import format_schedule_text, parse_schedule_text
from rules.models import CalendarDay, CalendarYear

_ITEM = re.compile(r"([一二三四五六七八九十]{1,3})、\s*([^:：，。,\n]{1,16}?)\s*[:：]")
_PARENTHESES = re.compile(r"\([^)]*\)")
_DATE = r"(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日"
_RANGE = re.compile(_DATE + r"\s*(?:至|到|~|-|—)\s*" + _DATE)
_ONE_DATE = re.compile(_DATE)
_TOTAL = re.compile(r"共\s*(\d{1,2})\s*天")
_NOTICE_YEAR = re.compile(r"关于\s*(\d{4})\s*年\s*部分节假日安排")
_DOCUMENT_NO = re.compile(r"国办发(?:明电)?\s*[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号")
_SIGNED_ON = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$", re.MULTILINE)
_END_OF_ITEMS = re.compile(r"节假日期间")  # the closing paragraph after the last item


@dataclass
class NoticeSchedule:
    holidays: list[calendar_schedule.ScheduleDay] = field(default_factory=list)
    workdays: list[calendar_schedule.ScheduleDay] = field(default_factory=list)
    notice_year: int | None = None
    document_no: str = ""
    published_on: dt.date | None = None


def _date(parts: tuple, *, year: int, month: int | None) -> dt.date | None:
    y, m, d = parts
    month = int(m) if m else month
    if month is None:
        return None
    try:
        return dt.date(int(y) if y else year, month, int(d))
    except ValueError:
        return None


def parse_notice_text(text: str, year: int) -> NoticeSchedule:
    """The days off and the make-up working days of a pasted notice; ValidationError listing what failed."""
    result = NoticeSchedule()
    if match := _DOCUMENT_NO.search(text):
        result.document_no = re.sub(r"\s+", "", match[0])
    # NFKC makes full-width digits, brackets and colons plain; the notice mixes both.
    plain = unicodedata.normalize("NFKC", text)
    if match := _NOTICE_YEAR.search(plain):
        result.notice_year = int(match[1])
    signed = _SIGNED_ON.findall(plain)
    if signed:
        with contextlib.suppress(ValueError):  # not a date: the field stays empty for the user to fill
            result.published_on = dt.date(*map(int, signed[-1]))
    body = _PARENTHESES.sub("", plain)
    if end := _END_OF_ITEMS.search(body):
        body = body[: end.start()]
    items = list(_ITEM.finditer(body))
    errors: list[str] = []
    for n, item in enumerate(items):
        name = item[2].strip()
        text_of_item = body[item.end() : items[n + 1].start() if n + 1 < len(items) else len(body)]
        errors += _read_item(name, text_of_item, year, result)
    if not items:
        errors.append(
            "未能识别通知中的放假安排：请粘贴通知正文中“一、元旦：……放假”等各项，或改用下方的日期清单逐项录入。"
        )
    if errors:
        raise forms.ValidationError(errors)
    return result


def _read_item(name: str, text: str, year: int, result: NoticeSchedule) -> list[str]:
    errors = []
    for sentence in re.split(r"[。；;\n]", text):
        if "放假" in sentence:
            span = _RANGE.search(sentence)
            if span:
                first = _date(span.groups()[:3], year=year, month=None)
                last = first and _date(span.groups()[3:], year=first.year, month=first.month)
                if first and last and last < first:  # "12月31日至1月2日": the range crosses into January
                    last = last.replace(year=last.year + 1)
            else:
                single = _ONE_DATE.search(sentence)
                first = last = single and _date(single.groups(), year=year, month=None)
            if not first or not last or (last - first).days > 31:
                errors.append(f"“{name}”：无法识别放假日期（“{sentence.strip()}”）。")
                continue
            days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
            total = _TOTAL.search(sentence)
            if total and int(total[1]) != len(days):
                errors.append(
                    f"“{name}”：{first:%m月%d日}至{last:%m月%d日}共{len(days)}天，与通知所写“共{total[1]}天”不符，请核对。"
                )
                continue
            result.holidays += [calendar_schedule.ScheduleDay(day, name) for day in days]
        elif "上班" in sentence:
            month = None
            for parts in _ONE_DATE.findall(sentence):
                day = _date(parts, year=year, month=month)
                if day is None:
                    errors.append(f"“{name}”：无法识别调休上班日期（“{sentence.strip()}”）。")
                    break
                month = day.month
                result.workdays.append(calendar_schedule.ScheduleDay(day, name))
    return errors


class CalendarEntryForm(forms.Form):
    """One year's schedule, from the pasted notice or from the two date lists (not both)."""

    document_no = forms.CharField(
        label=_("放假通知文号"), max_length=60, required=False, help_text=_("例如 国办发明电〔2025〕7号")
    )
    published_on = forms.DateField(
        label=_("通知发布日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notice_text = forms.CharField(
        label=_("通知全文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("把国务院办公厅放假通知的正文整段粘贴到这里；也可以不粘贴，改为在下面两栏逐项录入。"),
    )
    holidays_text = forms.CharField(
        label=_("放假日期（休息）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("每行一个节日：节日名称 + 日期或区间，区间包括周末，例如“春节 02-06~02-13”。"),
    )
    workdays_text = forms.CharField(
        label=_("调休上班日期"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("通知中写明“上班”的周六、周日，例如“春节 02-14 02-20”。"),
    )

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    @classmethod
    def initial_for(cls, year: int) -> dict:
        """What is entered for the year already, in the lists' form."""
        saved = CalendarYear.objects.filter(year=year).first()
        by_kind: dict[str, list[tuple[dt.date, str]]] = {kind: [] for kind in CalendarDay.Kind.values}
        for row in CalendarDay.objects.filter(date__year=year):
            by_kind[row.kind].append((row.date, row.name))
        return {
            "document_no": saved.document_no if saved else "",
            "published_on": saved.published_on if saved else None,
            "holidays_text": format_schedule_text(by_kind[CalendarDay.Kind.HOLIDAY]),
            "workdays_text": format_schedule_text(by_kind[CalendarDay.Kind.WORKDAY]),
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        notice = cleaned.get("notice_text", "").strip()
        lists = cleaned.get("holidays_text", "").strip() or cleaned.get("workdays_text", "").strip()
        if notice and lists:
            raise forms.ValidationError(
                "请只用一种方式录入：粘贴通知全文，或填写两栏日期清单（粘贴通知时请清空日期清单）。"
            )
        if not notice and not lists:
            raise forms.ValidationError("请粘贴通知全文，或在日期清单中录入放假日期和调休上班日期。")
        if notice:
            self._from_notice(notice, cleaned)
        else:
            self._from_lists(cleaned)
        if hasattr(self, "holidays"):
            problems = calendar_schedule.schedule_problems(
                year=self.year, holidays=self.holidays, workdays=self.workdays, complete=True
            )
            if problems:
                raise forms.ValidationError(problems)
        return cleaned

    def _from_notice(self, text: str, cleaned: dict) -> None:
        try:
            parsed = parse_notice_text(text, self.year)
        except forms.ValidationError as exc:
            self.add_error("notice_text", exc)
            return
        if parsed.notice_year and parsed.notice_year != self.year:
            self.add_error(
                "notice_text", f"这是{parsed.notice_year}年的放假通知，而本页录入的是{self.year}年的安排。"
            )
            return
        self.holidays, self.workdays = parsed.holidays, parsed.workdays
        cleaned["document_no"] = cleaned.get("document_no") or parsed.document_no
        cleaned["published_on"] = cleaned.get("published_on") or parsed.published_on

    def _from_lists(self, cleaned: dict) -> None:
        parsed = {}
        for name in ("holidays_text", "workdays_text"):
            try:
                parsed[name] = parse_schedule_text(cleaned.get(name, ""), self.year)
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        if len(parsed) == 2:
            self.holidays, self.workdays = parsed["holidays_text"], parsed["workdays_text"]

    def confirmed_data(self) -> dict:
        """What the preview posts on to be saved: the lists as read, so the save reads exactly them."""
        return {
            "document_no": self.cleaned_data.get("document_no", ""),
            "published_on": self.cleaned_data.get("published_on") or "",
            "holidays_text": format_schedule_text((d.date, d.name) for d in self.holidays),
            "workdays_text": format_schedule_text((d.date, d.name) for d in self.workdays),
        }


@dataclass(frozen=True)
class PreviewDay:
    date: dt.date
    weekday: str
    working: bool
    name: str
    package_says: bool | None


@dataclass(frozen=True)
class SchedulePreview:
    year: int
    days: list[PreviewDay]
    holiday_count: int
    workday_count: int
    working_days_in_year: int
    removed: list[dt.date]  # entered before, not in this schedule: saving deletes them


def schedule_preview(form: CalendarEntryForm) -> SchedulePreview:
    year = form.year
    holidays = {d.date: d.name for d in form.holidays}
    workdays_ = {d.date: d.name for d in form.workdays}
    calendar = workdays.get_calendar().with_year(year, holidays, workdays_)
    entered = sorted({**holidays, **workdays_})
    before = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    return SchedulePreview(
        year=year,
        days=[
            PreviewDay(
                date=day,
                weekday=workdays.weekday_name(day),
                working=day in workdays_,
                name=workdays_.get(day) or holidays.get(day, ""),
                package_says=workdays.package_is_working_day(day),
            )
            for day in entered
        ],
        holiday_count=len(holidays),
        workday_count=len(workdays_),
        working_days_in_year=calendar.count_working_days(dt.date(year, 1, 1), dt.date(year, 12, 31)),
        removed=sorted(before - set(entered)),
    )
