"""The working-day calendar's pages: which years are covered, and entering a year's State Council notice
(pasted, previewed, then saved). For city and province bureau officers and the admin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal import clock

from . import calendar_schedule, permissions, workdays
from .forms import CalendarEntryForm, schedule_preview
from .models import CalendarDay, CalendarYear


@login_required
@require_GET
def calendar_years(request):
    permissions.require_calendar_editor(request.user)
    calendar = workdays.get_calendar()
    saved = {row.year: row for row in CalendarYear.objects.all()}
    rows = [
        {
            "year": year,
            "known": calendar.is_year_known(year),
            "in_package": year in workdays.PACKAGE_YEARS,
            "saved": saved.get(year),
            "days": CalendarDay.objects.filter(date__year=year).count(),
        }
        for year in permissions.calendar_years_offered()
    ]
    return render(
        request,
        "rules/calendar.html",
        {"rows": rows, "gaps": workdays.calendar_gaps(clock.today()), "package": workdays.PACKAGE_NAME},
    )


@login_required
@require_GET
def calendar_year(request, year: int):
    year = permissions.calendar_year_for(request.user, year)
    form = CalendarEntryForm(year=year, initial=CalendarEntryForm.initial_for(year))
    return render(request, "rules/calendar_year.html", _year_context(year, form))


@login_required
@require_POST
def calendar_preview(request, year: int):
    year = permissions.calendar_year_for(request.user, year)
    form = CalendarEntryForm(request.POST, year=year)
    if not form.is_valid():
        return render(request, "rules/calendar_year.html", _year_context(year, form), status=400)
    return render(
        request,
        "rules/calendar_preview.html",
        {"year": year, "preview": schedule_preview(form), "confirmed": form.confirmed_data()},
    )


@login_required
@require_POST
def calendar_save(request, year: int):
    year = permissions.calendar_year_for(request.user, year)
    form = CalendarEntryForm(request.POST, year=year)
    if not form.is_valid():
        return render(request, "rules/calendar_year.html", _year_context(year, form), status=400)
    who = request.user.get_full_name() or request.user.get_username()
    calendar_schedule.calendar_year_save_schedule(
        year=year,
        holidays=form.holidays,
        workdays=form.workdays,
        complete=True,
        document_no=form.cleaned_data["document_no"],
        published_on=form.cleaned_data["published_on"],
        note=_("%(who)s于%(day)s在工作日历页面录入") % {"who": who, "day": f"{clock.today():%Y-%m-%d}"},
    )
    messages.success(
        request,
        _("%(year)s年放假安排已保存：放假%(off)s天，调休上班%(on)s天。%(year)s年的工作日现在可以计算。")
        % {"year": year, "off": len(form.holidays), "on": len(form.workdays)},
    )
    return redirect("rules:calendar")


def _year_context(year: int, form: CalendarEntryForm) -> dict:
    return {"year": year, "form": form, "in_package": year in workdays.PACKAGE_YEARS}
