"""A closed meeting's results: publicity, the filing, the Excel export and the statistics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications.exceptions import DomainError
from applications.models import Application
from applications.states import State
from portal.actions import report_error
from portal.forms import form_errors_text

from .. import excel, permissions, selectors, services
from ..exceptions import PermissionDenied
from ..forms import FilingForm, PublicityForm
from ..models import MeetingResult
from .common import BUREAU, CLERK, back_to_meeting


def _meeting_applications(meeting, state: str) -> list[Application]:
    return [i.application for i in services.live_items(meeting) if i.application.state == state]


@login_required
@require_POST
def meeting_publicise(request, pk):
    access = permissions.meeting_for(request.user, pk, role=CLERK)
    form = PublicityForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return back_to_meeting(pk)
    try:
        notice = services.results_publicise(
            committee=access.meeting.committee,
            actor=request.user,
            applications=_meeting_applications(access.meeting, State.PASSED),
            **form.cleaned_data,
        )
    except DomainError as exc:
        report_error(request, exc)
        return back_to_meeting(pk)
    messages.success(
        request, _("评审结果公示已发布，公示期至%(end)s。") % {"end": notice.end_date.isoformat()}
    )
    return redirect("applications:audit_notice", pk=notice.pk)


@login_required
@require_POST
def meeting_filing(request, pk):
    access = permissions.meeting_for(request.user, pk, role=CLERK)
    form = FilingForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return back_to_meeting(pk)
    try:
        filing = services.filing_create(
            committee=access.meeting.committee,
            meeting=access.meeting,
            actor=request.user,
            applications=_meeting_applications(access.meeting, State.RESULT_PUBLICITY_DONE),
            **form.cleaned_data,
        )
    except DomainError as exc:
        report_error(request, exc)
        return back_to_meeting(pk)
    return redirect("committees:filing", pk=filing.pk)


def _results_access(request, pk):
    """The office, the filing bureau and the region's auditor read a meeting's results (not the panel)."""
    access = permissions.meeting_for(request.user, pk)
    if not access.roles & {CLERK, BUREAU, permissions.AUDITOR}:
        raise PermissionDenied()
    return access.meeting


@login_required
@require_GET
def meeting_results_export(request, pk):
    meeting = _results_access(request, pk)
    results = MeetingResult.objects.filter(meeting=meeting).select_related(
        "application__archive",
        "application__qualification",
        "application__specialty",
        "application__recommending_org",
        "application__workplace",
    )
    return excel.results_export(meeting, results)


@login_required
@require_GET
def meeting_stats(request, pk):
    meeting = _results_access(request, pk)
    return render(
        request, "committees/stats.html", {"meeting": meeting, "stats": selectors.meeting_stats(meeting)}
    )


@login_required
@require_GET
def meeting_stats_export(request, pk):
    meeting = _results_access(request, pk)
    return excel.stats_export(meeting, selectors.meeting_stats(meeting))
