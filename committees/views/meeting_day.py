"""A review meeting on its day: the start, attendance, the vote, recusals, closing, the materials."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications.exceptions import DomainError
from applications.models import Application, Evidence
from applications.permissions import granted_reader
from portal.actions import act, report_error
from portal.forms import form_errors_text

from .. import permissions, services
from ..exceptions import PermissionDenied
from ..forms import AttendanceForm, BallotForm, CloseForm, ReasonForm, RecusalForm
from .common import CLERK, EXPERT, back_to_meeting, clerk_action, meeting_url


@login_required
@require_POST
def meeting_start(request, pk):
    return clerk_action(
        request,
        pk,
        call=lambda m, _form: services.meeting_start(meeting=m, actor=request.user),
        success=_("会议已开始，抽取结果和随机种子已公开。"),
    )


@login_required
@require_POST
def meeting_cancel(request, pk):
    return clerk_action(
        request,
        pk,
        form_class=ReasonForm,
        call=lambda m, form: services.meeting_cancel(
            meeting=m, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success=_("会议已取消，评审名单中的申报已退回待安排评审，已通知相关专家。"),
    )


@login_required
@require_POST
def meeting_attendance(request, pk):
    def record(meeting, form):
        services.meeting_record_attendance(meeting=meeting, actor=request.user, present=form.present())
        return services.meeting_quorum(meeting)

    return clerk_action(
        request,
        pk,
        form_class=AttendanceForm,
        form_kwargs=lambda meeting: {"experts": [e.expert for e in services.panel_entries(meeting)]},
        call=record,
        success=lambda quorum: (
            _("出席情况已登记：出席%(p)s人，法定人数%(n)s人。") % {"p": quorum.present, "n": quorum.needed}
        ),
    )


@login_required
@require_POST
def meeting_open_voting(request, pk):
    return clerk_action(
        request,
        pk,
        call=lambda m, _form: services.meeting_open_voting(meeting=m, actor=request.user),
        success=_("已开始表决。"),
    )


@login_required
@require_POST
def meeting_recusal(request, pk):
    """The office records a recusal; an expert may withdraw themselves (40号令 申请回避, M)."""
    access = permissions.meeting_for(request.user, pk)
    if CLERK not in access.roles and EXPERT not in access.roles:
        raise PermissionDenied()
    form = RecusalForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return back_to_meeting(pk)
    expert = access.expert
    if CLERK in access.roles and form.cleaned_data.get("expert"):
        expert = services.panel_entries(access.meeting).filter(expert_id=form.cleaned_data["expert"]).first()
        expert = expert.expert if expert else None
    application = Application.objects.filter(pk=form.cleaned_data["application"]).first()
    if expert is None or application is None:
        messages.error(request, _("请选择执行委员和申报。"))
        return back_to_meeting(pk)
    try:
        services.recusal_add(
            meeting=access.meeting,
            expert=expert,
            application=application,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        report_error(request, exc)
    else:
        messages.success(request, _("已登记回避。"))
    return back_to_meeting(pk)


@login_required
@require_POST
def meeting_ballot(request, pk):
    return act(
        request,
        fetch=lambda: permissions.meeting_for(request.user, pk, role=EXPERT).meeting,
        form_class=BallotForm,
        call=lambda meeting, form: services.ballot_cast(
            meeting=meeting,
            application=form.cleaned_data["application"],
            user=request.user,
            choice=form.cleaned_data["choice"],
        ),
        success=_("已投票。"),
        redirect_to=meeting_url(pk),
    )


@login_required
@require_POST
def meeting_close(request, pk):
    return clerk_action(
        request,
        pk,
        form_class=CloseForm,
        call=lambda m, f: services.meeting_close(meeting=m, actor=request.user, **f.cleaned_data),
        success=_("表决结束，结果已计算。"),
    )


@login_required
@require_GET
def meeting_evidence(request, pk, evidence):
    """Materials of the meeting's applications, for the panel and the office once the meeting starts."""
    access = permissions.meeting_for(request.user, pk)
    if EXPERT not in access.roles and CLERK not in access.roles:
        raise PermissionDenied()
    item = Evidence.objects.filter(
        pk=evidence,
        application__meeting_items__meeting=access.meeting,
        application__meeting_items__removed_at__isnull=True,
    ).first()
    if item is None or access.meeting.started_at is None:
        raise Http404
    # An expert reads only while granted: not after the close, nor from an application they are recused from.
    if CLERK not in access.roles and not granted_reader(request.user, item.application):
        raise Http404
    response = FileResponse(item.file.open("rb"), content_type=item.content_type, filename=item.served_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
