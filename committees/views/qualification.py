"""The committee office's queue and qualification check (资格审查), the upward route, and 初定."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications import returns, workflow
from applications.audit_forms import ReturnReasonForm
from applications.exceptions import DomainError
from applications.models import Application
from applications.permissions import Actor, applications_visible_to
from applications.queues import queue_page
from applications.states import State
from portal import clock
from portal.actions import act, report_error
from portal.forms import form_errors_text
from portal.models import Role
from portal.roles import org_ids
from rules.vocab import DeclarationType

from .. import permissions, selectors, services
from ..exceptions import PermissionDenied
from ..forms import FilingForm, NoteForm, PublicityForm, ReasonForm
from ..models import UpwardRecommendation
from .common import PAGE_SIZE, chosen_applications, is_uuid, office_committee

# ---------------------------------------------------------------- the office's queue


@login_required
@require_GET
def queue(request):
    committee = office_committee(request)
    state = request.GET.get("state") or State.QUALIFICATION_REVIEW
    if state not in selectors.QUEUE_STATES:
        raise Http404
    counts = selectors.queue_counts(committee, state)
    branches = selectors.committee_queue(committee, state)
    page = queue_page(
        branches,
        request.GET,
        link="committees:qualification",
        query=urlencode({"committee": committee.pk, "state": state}),
        # The tabs count what the committee holds; a queue that also lists what others sent to it
        # (recommended upward) counts its own branches together.
        total=counts[state] if len(branches) == 1 else -1,
    )
    counts[state] = page.total
    return render(
        request,
        "committees/queue.html",
        {
            "committee": committee,
            "state": state,
            "page": page,
            "tabs": [
                (s, State(s).label, selectors.tab_count(counts, s, state)) for s in selectors.QUEUE_STATES
            ],
            "publicity_form": PublicityForm(
                initial={"posted_on": clock.today(), "working_days": 5, "title": _("职称评审公示")}
            ),
            "open_meetings": committee.meetings.filter(status="created").order_by("held_on"),
            "batch_actions": _queue_actions(state),
            "filing_form": FilingForm(initial={"title": _("职称评审结果备案表")}),
        },
    )


def _queue_actions(state: str) -> set[str]:
    """What the office may do with a selection in this queue: its moves from the table, and the
    results filing that prepares the bureau's approval."""
    actions = workflow.batch_actions(state, Actor.COMMITTEE)
    if state in workflow.MOVES["approve"].sources:
        actions.add("file_results")
    return actions


@login_required
@require_POST
def publicise(request, stage: str):
    committee = office_committee(request)
    back = redirect(
        f"{reverse('committees:queue')}?committee={committee.pk}&state="
        f"{State.QUALIFIED if stage == 'pre_review' else State.PASSED}"
    )
    form = PublicityForm(request.POST)
    chosen = chosen_applications(request, permissions.committee_applications(request.user))
    if chosen is None:
        return back
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return back
    fn = services.pre_review_publicise if stage == "pre_review" else services.results_publicise
    try:
        notice = fn(committee=committee, applications=chosen, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        report_error(request, exc)
        return back
    messages.success(request, _("已发布公示，公示期至%(end)s。") % {"end": notice.end_date.isoformat()})
    return redirect("applications:audit_notice", pk=notice.pk)


@login_required
@require_GET
def qualification_detail(request, pk):
    application = permissions.application_for_clerk(request.user, pk)
    eligibility, eligibility_error = (
        selectors.eligibility_for(application)
        if application.state == State.QUALIFICATION_REVIEW
        else (None, "")
    )
    upward = (
        UpwardRecommendation.objects.filter(application=application)
        .select_related("from_committee", "to_committee")
        .first()
    )
    return render(
        request,
        "committees/qualification.html",
        {
            "actions": {m.action for m in workflow.available_moves(application, request.user)},
            "application": application,
            "eligibility": eligibility,
            "eligibility_error": eligibility_error,
            "evidence": application.evidence.all(),
            "events": application.events.select_related("actor"),
            "upward": upward,
            "recommend_only": services.is_recommend_only(application),
            "note_form": NoteForm(),
            "reason_form": ReasonForm(),
            "return_form": ReturnReasonForm(items=returns.items_for(application)),
        },
    )


def _act(request, pk, **action):
    """The office's decision on an application it holds (`act` with `action`); back to the application's
    qualification page."""
    return act(
        request,
        fetch=lambda: permissions.application_for_clerk(request.user, pk),
        redirect_to=reverse("committees:qualification", kwargs={"pk": pk}),
        **action,
    )


@login_required
@require_POST
def qualification_pass(request, pk):
    return _act(
        request,
        pk,
        form_class=NoteForm,
        call=lambda a, f: services.qualification_pass(
            application=a, actor=request.user, note=f.cleaned_data["note"]
        ),
        success=_("资格审查通过。"),
    )


@login_required
@require_POST
def qualification_return(request, pk):
    return _act(
        request,
        pk,
        form_class=ReturnReasonForm,
        form_kwargs=lambda application: {"items": returns.items_for(application)},
        call=lambda a, f: services.qualification_return(
            application=a, actor=request.user, reason=f.cleaned_data["reason"], defects=f.defects()
        ),
        success=_("已退回推荐单位。"),
    )


@login_required
@require_POST
def qualification_reject(request, pk):
    return _act(
        request,
        pk,
        form_class=ReasonForm,
        call=lambda a, f: services.qualification_reject(
            application=a, actor=request.user, reason=f.cleaned_data["reason"]
        ),
        success=_("已作资格审查不通过处理。"),
    )


@login_required
@require_POST
def recognise(request, pk):
    return _act(
        request,
        pk,
        form_class=ReasonForm,
        call=lambda a, f: services.application_recognise(
            application=a, actor=request.user, reason=f.cleaned_data["reason"]
        ),
        success=_("已认定通过。"),
    )


def _upward_to_clerk(user, pk) -> UpwardRecommendation:
    upward = UpwardRecommendation.objects.filter(application_id=pk).first() if is_uuid(pk) else None
    if upward is None or not permissions.is_clerk_of(user, upward.to_committee_id):
        permissions.application_for_clerk(user, pk)  # 404 for outsiders, 403 for other committees
        raise PermissionDenied("该申报未推荐至您所在的评委会。")
    return upward


@login_required
@require_POST
def upward_receive(request, pk):
    return act(
        request,
        fetch=lambda: _upward_to_clerk(request.user, pk),
        call=lambda upward, _form: services.upward_receive(
            application=upward.application, actor=request.user
        ),
        success=_("已接收，进入本评委会资格审查。"),
        redirect_to=reverse("committees:qualification", kwargs={"pk": pk}),
    )


# ---------------------------------------------------------------- 初定 by the filing bureau


def _initial_queue(user):
    bureaus = org_ids(user, Role.OFFICER)
    return Application.objects.filter(
        committee__parent_bureau__in=bureaus,
        declaration_type=DeclarationType.INITIAL,
        state=State.QUALIFIED,
    )


@login_required
@require_GET
def initial_queue(request):
    if not org_ids(request.user, Role.OFFICER):
        raise PermissionDenied()
    qs = (
        _initial_queue(request.user)
        .select_related("archive", "qualification", "specialty", "recommending_org", "plan__committee")
        .order_by("submitted_at", "number")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "committees/initial_queue.html", {"page": page, "form": ReasonForm()})


def _initial_for(user, pk) -> Application:
    application = _initial_queue(user).filter(pk=pk).first() if is_uuid(pk) else None
    if application is None:
        if is_uuid(pk) and applications_visible_to(user).filter(pk=pk).exists():
            raise PermissionDenied()
        raise Http404
    return application


@login_required
@require_POST
def initial_determine(request, pk):
    return act(
        request,
        fetch=lambda: _initial_for(request.user, pk),
        form_class=ReasonForm,
        call=lambda application, form: services.application_initial_determine(
            application=application, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success=_("已初定通过。"),
        redirect_to="committees:initial_queue",
    )
