"""A review meeting up to its day: the list, creation, its page, its applications, conflicts, filing, draw."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.exceptions import DomainError
from applications.models import Application, Evidence
from applications.states import State
from portal import clock
from portal.actions import act, report_batch, report_error
from portal.forms import form_add_error

from .. import permissions, services
from ..exceptions import PermissionDenied
from ..forms import (
    AttendanceForm,
    CloseForm,
    DismissForm,
    FilingForm,
    MeetingForm,
    NoteForm,
    PublicityForm,
    ReasonForm,
    RecusalForm,
    UnassignForm,
)
from ..models import Conflict, Meeting, MeetingResult, Recusal
from ..workflow import MEETING
from .common import (
    BUREAU,
    CLERK,
    EXPERT,
    PAGE_SIZE,
    back_to_meeting,
    chosen_applications,
    clerk_action,
    meeting_url,
    office_committee,
)
from .draw_record import draw_context


@login_required
@require_GET
def meeting_list(request):
    qs = permissions.meetings_visible_to(request.user).select_related("committee").order_by("-held_on", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/meetings.html",
        {"page": page, "is_clerk": bool(permissions.clerk_committees(request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request):
    committee = office_committee(request)
    form = MeetingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                meeting = services.meeting_create(
                    committee=committee, actor=request.user, **form.cleaned_data
                )
            except DomainError as exc:
                if isinstance(exc, PermissionDenied):
                    raise
                form_add_error(form, exc)
            else:
                messages.success(request, _("评审会议已创建，请安排评审对象后报人力社保部门备案。"))
                return redirect("committees:meeting", pk=meeting.pk)
    return render(
        request, "committees/meeting_new.html", {"form": form, "committee": committee}, status=status
    )


@login_required
@require_GET
def meeting_detail(request, pk):
    access = permissions.meeting_for(request.user, pk)
    meeting = access.meeting
    items = list(services.live_items(meeting))
    context = {
        "meeting": meeting,
        "roles": access.roles,
        "items": items,
        # The record's moves this user may take now: the page offers exactly these.
        "meeting_actions": {m.action for m in MEETING.available(meeting, request.user)},
        **draw_context(meeting),
    }
    if access.roles & {CLERK, BUREAU, permissions.AUDITOR}:
        context["conflicts"] = Conflict.objects.filter(meeting=meeting).select_related(
            "expert", "application__archive", "dismissed_by"
        )
        context["recusals"] = Recusal.objects.filter(meeting=meeting).select_related(
            "expert", "application__archive"
        )
        context["quorum"] = services.meeting_quorum(meeting)
        if meeting.status == Meeting.Status.CLOSED:
            context["results"] = MeetingResult.objects.filter(meeting=meeting).select_related(
                "application__archive", "application__qualification"
            )
            context["checks"] = services.ballot_boxes_check(meeting)
        elif meeting.status == Meeting.Status.VOTING:
            # During the vote only how many have voted, never a running tally.
            context["progress"] = {c.application_id: c.receipts for c in services.ballot_boxes_check(meeting)}
    if CLERK in access.roles:
        panel = [e.expert for e in services.panel_entries(meeting)] if meeting.started_at else []
        context.update(
            attendance_form=AttendanceForm(
                experts=panel,
                initial={
                    f"expert_{a.expert_id}": (a.mode if a.present else AttendanceForm.ABSENT)
                    for a in meeting.attendance.all()
                },
            ),
            panel=panel,
            dismiss_form=DismissForm(),
            unassign_form=UnassignForm(),
            recusal_form=RecusalForm(),
            close_form=CloseForm(),
            cancel_form=ReasonForm(),
            publicity_form=PublicityForm(
                initial={"posted_on": clock.today(), "working_days": 5, "title": _("职称评审结果公示")}
            ),
            filing_form=FilingForm(initial={"title": f"{meeting.title}评审结果备案表"}),
            passed=[i.application for i in items if i.application.state == State.PASSED],
            publicity_done=[
                i.application for i in items if i.application.state == State.RESULT_PUBLICITY_DONE
            ],
        )
    if BUREAU in access.roles:
        context["file_form"] = NoteForm()
    if EXPERT in access.roles:
        context.update(
            expert=access.expert,
            voted=services.voted_application_ids(meeting, access.expert),
            recused_ids=set(
                Recusal.objects.filter(meeting=meeting, expert=access.expert).values_list(
                    "application_id", flat=True
                )
            ),
            present=meeting.attendance.filter(expert=access.expert, present=True).exists(),
            evidence=Evidence.objects.filter(application__in=[i.application for i in items]).order_by(
                "application_id", "uploaded_at"
            ),
            recusal_form=RecusalForm(),
        )
        if meeting.status == Meeting.Status.CLOSED:
            context["results"] = MeetingResult.objects.filter(meeting=meeting).select_related(
                "application__archive"
            )
    return render(request, "committees/meeting.html", context)


@login_required
@require_POST
def meeting_assign(request, pk):
    access = permissions.meeting_for(request.user, pk, role=CLERK)
    chosen = chosen_applications(request, permissions.committee_applications(request.user))
    if chosen is not None:
        try:
            done, failed = services.meeting_assign(
                meeting=access.meeting, applications=chosen, actor=request.user
            )
        except DomainError as exc:
            report_error(request, exc)
        else:
            report_batch(request, done, failed, _("已安排%(n)s份申报。"))
    return back_to_meeting(pk)


@login_required
@require_POST
def meeting_unassign(request, pk):
    def call(meeting, form):
        application = Application.objects.filter(pk=form.cleaned_data["application"]).first()
        if application is None:
            raise Http404
        return services.meeting_unassign(
            meeting=meeting, application=application, actor=request.user, reason=form.cleaned_data["reason"]
        )

    return clerk_action(request, pk, form_class=UnassignForm, call=call, success=_("已移出评审名单。"))


@login_required
@require_POST
def meeting_check_conflicts(request, pk):
    return clerk_action(
        request,
        pk,
        call=lambda m, _form: services.meeting_check_conflicts(meeting=m, actor=request.user),
        success=lambda n: _("利益冲突比对完成，新发现%(n)s项。") % {"n": n},
    )


def _conflict_for_clerk(user, pk) -> Conflict:
    """A conflict found for a meeting (else 404), for the meeting's office (else 403)."""
    conflict = Conflict.objects.select_related("meeting").filter(pk=pk).first()
    if conflict is None:
        raise Http404
    permissions.meeting_for(user, conflict.meeting_id, role=CLERK)
    return conflict


@login_required
@require_POST
def conflict_dismiss(request, pk):
    return act(
        request,
        fetch=lambda: _conflict_for_clerk(request.user, pk),
        form_class=DismissForm,
        call=lambda conflict, form: services.conflict_dismiss(
            conflict=conflict, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success=_("已排除该冲突，理由已记录。"),
        redirect_to=lambda conflict: meeting_url(conflict.meeting_id),
    )


@login_required
@require_POST
def meeting_file(request, pk):
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return act(
        request,
        fetch=lambda: permissions.meeting_for(request.user, pk, role=BUREAU).meeting,
        call=lambda meeting, _form: services.meeting_file(meeting=meeting, actor=request.user, note=note),
        success=_("已备案确认。"),
        redirect_to=meeting_url(pk),
    )


@login_required
@require_POST
def meeting_draw(request, pk):
    return clerk_action(
        request,
        pk,
        call=lambda m, _form: services.meeting_draw_experts(meeting=m, actor=request.user),
        success=_("已随机抽取专家；抽取结果在会议开始前保密。"),
    )
