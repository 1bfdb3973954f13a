"""Pages of a review meeting: creation, list, filing, conflicts, the draw, attendance, recusals,
secret ballots, closing, results, statistics, and the drawn expert's own invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.exceptions import DomainError
from applications.models import Application, Evidence
from applications.states import State
from portal import clock
from portal.actions import act, report_batch, report_error
from portal.forms import form_add_error, form_errors_text

from . import excel, permissions, selectors, services
from .exceptions import PermissionDenied
from .forms import (
    AttendanceForm,
    BallotForm,
    CloseForm,
    DeclareForm,
    DeclineForm,
    DismissForm,
    FilingForm,
    MeetingForm,
    NoteForm,
    PublicityForm,
    RecusalForm,
    UnassignForm,
)
from .models import Conflict, Meeting, MeetingResult, Recusal
from .views import PAGE_SIZE, _committee, chosen_applications

CLERK, BUREAU, EXPERT = permissions.CLERK, permissions.BUREAU, permissions.EXPERT


def _meeting_url(pk) -> str:
    return reverse("committees:meeting", kwargs={"pk": pk})


def _back(pk):
    return redirect(_meeting_url(pk))


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
    committee = _committee(request)
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


def _draw_context(meeting: Meeting) -> dict:
    record = meeting.draw if hasattr(meeting, "draw") else None
    if record is None:
        return {"draw": None}
    entries = list(record.entries.select_related("expert", "replaces").order_by("position"))
    context = {
        "draw": record,
        "draw_counts": {
            "panel": sum(e.drawn_as == "panel" for e in entries),
            "reserves": sum(e.drawn_as == "reserve" for e in entries),
            "declined": sum(e.declined_at is not None for e in entries),
            "excluded": len(record.exclusions),
            "pool": len(record.pool),
        },
    }
    # The names are confidential until the meeting starts, for the office too.
    if meeting.draw_revealed:
        names = {s["id"]: s["name"] for s in record.pool}
        context.update(
            entries=entries, exclusions=[{**x, "name": names.get(x["id"], "")} for x in record.exclusions]
        )
    return context


@login_required
@require_GET
def meeting_detail(request, pk):
    access = permissions.meeting_for(request.user, pk)
    meeting = access.meeting
    items = list(services.live_items(meeting))
    context = {"meeting": meeting, "roles": access.roles, "items": items, **_draw_context(meeting)}
    if CLERK in access.roles or BUREAU in access.roles:
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


def _clerk_action(request, pk, **action):
    """The office's step on its meeting (`act` with `action`); back to the meeting's page."""
    return act(
        request,
        fetch=lambda: permissions.meeting_for(request.user, pk, role=CLERK).meeting,
        redirect_to=_meeting_url(pk),
        **action,
    )


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
    return _back(pk)


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

    return _clerk_action(request, pk, form_class=UnassignForm, call=call, success=_("已移出评审名单。"))


@login_required
@require_POST
def meeting_check_conflicts(request, pk):
    return _clerk_action(
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
        redirect_to=lambda conflict: _meeting_url(conflict.meeting_id),
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
        redirect_to=_meeting_url(pk),
    )


@login_required
@require_POST
def meeting_draw(request, pk):
    return _clerk_action(
        request,
        pk,
        call=lambda m, _form: services.meeting_draw_experts(meeting=m, actor=request.user),
        success=_("已随机抽取专家；抽取结果在会议开始前保密。"),
    )


@login_required
@require_POST
def meeting_start(request, pk):
    return _clerk_action(
        request,
        pk,
        call=lambda m, _form: services.meeting_start(meeting=m, actor=request.user),
        success=_("会议已开始，抽取结果和随机种子已公开。"),
    )


@login_required
@require_POST
def meeting_attendance(request, pk):
    def record(meeting, form):
        services.meeting_record_attendance(meeting=meeting, actor=request.user, present=form.present())
        return services.meeting_quorum(meeting)

    return _clerk_action(
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
    return _clerk_action(
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
        return _back(pk)
    expert = access.expert
    if CLERK in access.roles and form.cleaned_data.get("expert"):
        expert = services.panel_entries(access.meeting).filter(expert_id=form.cleaned_data["expert"]).first()
        expert = expert.expert if expert else None
    application = Application.objects.filter(pk=form.cleaned_data["application"]).first()
    if expert is None or application is None:
        messages.error(request, _("请选择执行委员和申报。"))
        return _back(pk)
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
    return _back(pk)


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
        redirect_to=_meeting_url(pk),
    )


@login_required
@require_POST
def meeting_close(request, pk):
    return _clerk_action(
        request,
        pk,
        form_class=CloseForm,
        call=lambda m, f: services.meeting_close(meeting=m, actor=request.user, **f.cleaned_data),
        success=_("表决结束，结果已计算。"),
    )


def _meeting_applications(meeting, state: str) -> list[Application]:
    return [i.application for i in services.live_items(meeting) if i.application.state == state]


@login_required
@require_POST
def meeting_publicise(request, pk):
    access = permissions.meeting_for(request.user, pk, role=CLERK)
    form = PublicityForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return _back(pk)
    try:
        notice = services.results_publicise(
            committee=access.meeting.committee,
            actor=request.user,
            applications=_meeting_applications(access.meeting, State.PASSED),
            **form.cleaned_data,
        )
    except DomainError as exc:
        report_error(request, exc)
        return _back(pk)
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
        return _back(pk)
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
        return _back(pk)
    return redirect("committees:filing", pk=filing.pk)


def _results_access(request, pk):
    access = permissions.meeting_for(request.user, pk)
    if CLERK not in access.roles and BUREAU not in access.roles:
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
    response = FileResponse(item.file.open("rb"), content_type=item.content_type, filename=item.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- the expert's own pages


def _expert(user):
    expert = permissions.expert_of(user)
    if expert is None:
        raise PermissionDenied("您不是评审专家。")
    return expert


@login_required
@require_GET
def my_meetings(request):
    expert = _expert(request.user)
    page = Paginator(selectors.invitations_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/my_meetings.html",
        {"page": page, "expert": expert, "decline_form": DeclineForm(), "declare_form": DeclareForm()},
    )


@login_required
@require_POST
def invitation_decline(request, pk):
    return act(
        request,
        fetch=lambda: permissions.draw_entry_for_expert(request.user, pk),
        form_class=DeclineForm,
        call=lambda entry, form: services.draw_entry_decline(
            entry=entry, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success=_("已登记不能参会，将由备选专家依次递补。"),
        redirect_to="committees:my_meetings",
    )


@login_required
@require_POST
def declare_relative(request):
    return act(
        request,
        fetch=lambda: _expert(request.user),
        form_class=DeclareForm,
        call=lambda expert, form: services.expert_declare_conflict(
            expert=expert, actor=request.user, **form.cleaned_data
        ),
        success=_("回避事项已申报。"),
        redirect_to="committees:my_meetings",
    )
