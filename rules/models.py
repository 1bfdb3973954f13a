"""Policy data: the working-day calendar's overrides (eligibility rule sets follow)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose official schedule (国务院办公厅放假通知) has been entered by a bureau.

    Once a year is marked complete here it is known even where the chinese-calendar package
    does not cover it: Monday to Friday work, except the CalendarDay rows entered for it.
    In any year a CalendarDay row decides its own date (rules/workdays.py).
    """

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    document_no = models.CharField(_("放假通知文号"), max_length=60, blank=True)
    published_on = models.DateField(_("通知发布日期"), null=True, blank=True)
    complete = models.BooleanField(_("已完整录入"), default=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One day whose status differs from a plain Monday-to-Friday week: a holiday or a make-up workday."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日（休息）")
        WORKDAY = "workday", _("调休上班日")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("节日名称"), max_length=40, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
