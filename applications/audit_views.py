"""Pages of HR and bureau officers: the queue, audits, publicity, objections and exports."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import clock
from portal.actions import act, report_batch, report_error
from portal.forms import form_errors_text
from portal.models import Organisation, Role

from . import audit, exports, permissions, publicity, queues, returns, services, workflow
from .audit_forms import (
    EntrustForm,
    PublicityForm,
    ReasonForm,
    ReturnForm,
    ReturnReasonForm,
    UploadForm,
)
from .exceptions import DomainError, PermissionDenied
from .models import (
    AuthorisationLetter,
    PublicityStage,
)
from .queue_branches import Branch
from .states import State

QUEUE_STATES = {
    Role.HR: [State.EMPLOYER_AUDIT, State.EMPLOYER_PUBLICITY, State.EMPLOYER_PUBLICITY_DONE],
    Role.OFFICER: [State.BUREAU_REVIEW],
}


# Each role's queue: the holder columns it is listed by (one index each) and the states in which that
# alone makes the application visible to it (permissions.applications_visible_to).
_HOLDERS = {
    Role.HR: (("recommending_org", "workplace"), permissions.EMPLOYER_STATES),
    Role.OFFICER: (("receiving_bureau", "employer_bureau"), permissions.BUREAU_STATES),
}


def _queue(user, role: str):
    orgs = permissions.org_ids(user, role)
    if not orgs:
        raise PermissionDenied("您没有审核推荐的权限。")
    first, second = _HOLDERS[role][0]
    q = Q(**{f"{first}__in": orgs}) | Q(**{f"{second}__in": orgs})
    return permissions.applications_visible_to(user).filter(q)


def _branches(user, role: str, state: str) -> list:
    """The queue in one state as one query per holder column; in a state outside the role's window the
    user sees only what they see otherwise (e.g. their own application), so that filter stays."""
    orgs = permissions.org_ids(user, role)
    if not orgs:
        raise PermissionDenied("您没有审核推荐的权限。")
    columns, window = _HOLDERS[role]
    if state in window:
        return [Branch(column, tuple(orgs), state) for column in columns]
    visible = permissions.applications_visible_to(user)
    return [visible.filter(state=state, **{f"{column}__in": orgs}) for column in columns]


def _role_of(request) -> str:
    role = request.GET.get("role") or request.POST.get("role")
    if role in QUEUE_STATES and permissions.has_role(request.user, role):
        return role
    for candidate in QUEUE_STATES:
        if permissions.has_role(request.user, candidate):
            return candidate
    raise PermissionDenied("您没有审核推荐的权限。")


@login_required
@require_GET
def queue(request):
    role = _role_of(request)
    state = request.GET.get("state") or QUEUE_STATES[role][0]
    if state not in State.values:
        raise Http404
    page = queues.queue_page(
        _branches(request.user, role, state),
        request.GET,
        link="applications:detail",
        query=urlencode({"role": role, "state": state}),
    )
    states = [(s, State(s).label) for s in QUEUE_STATES[role]] + [
        (State.QUALIFICATION_REVIEW, State.QUALIFICATION_REVIEW.label),
        (State.RETURNED, State.RETURNED.label),
    ]
    return render(
        request,
        "applications/audit/queue.html",
        {
            "page": page,
            "role": role,
            "state": state,
            "states": states,
            "batch_actions": workflow.batch_actions(
                state, permissions.Actor.EMPLOYER if role == Role.HR else permissions.Actor.BUREAU
            ),
            "publicity_form": PublicityForm(
                initial={"posted_on": clock.today(), "working_days": 5, "title": _("职称申报人员公示")}
            ),
        },
    )


def _selected(request, role: str):
    queue = _queue(request.user, role)  # 403 for anyone without the role, before anything else
    ids = request.POST.getlist("applications")
    if not ids:
        raise DomainError(_("请至少选择一份申报。"))
    try:
        chosen = list(
            queue.filter(pk__in=ids).select_related("plan", "recommending_org", "workplace", "archive")
        )
    except ValidationError as exc:
        raise Http404 from exc
    if len(chosen) != len(set(ids)):
        raise Http404
    return chosen


def _back(role: str, state: str):
    return redirect(f"{reverse('applications:audit_queue')}?role={role}&state={state}")


@login_required
@require_POST
def publicise(request):
    role = Role.HR
    form = PublicityForm(request.POST)
    try:
        chosen = _selected(request, role)
        if not form.is_valid():
            raise DomainError(form_errors_text(form))
        publisher_ids = {a.recommending_org_id for a in chosen}
        if len(publisher_ids) != 1:
            raise DomainError(_("一次公示只能包含同一推荐单位的申报。"))
        publisher = Organisation.objects.get(pk=publisher_ids.pop())
        notice = publicity.publicity_start(
            stage=PublicityStage.EMPLOYER,
            applications=chosen,
            actor=request.user,
            publisher=publisher,
            **form.cleaned_data,
        )
    except DomainError as exc:
        report_error(request, exc)
        return _back(role, State.EMPLOYER_AUDIT)
    messages.success(request, _("已发布公示，公示期至%(end)s。") % {"end": notice.end_date.isoformat()})
    return redirect("applications:audit_notice", pk=notice.pk)


def _bulk_action(request, role: str, fn, state: str, success: str):
    try:
        chosen = _selected(request, role)
    except DomainError as exc:
        report_error(request, exc)
    else:
        done, failed = audit.bulk(fn, chosen, actor=request.user)
        report_batch(request, done, failed, success)
    return _back(role, state)


@login_required
@require_POST
def recommend(request):
    return _bulk_action(
        request, Role.HR, audit.employer_recommend, State.EMPLOYER_PUBLICITY_DONE, _("已推荐%(n)s份申报。")
    )


@login_required
@require_POST
def bureau_recommend(request):
    return _bulk_action(
        request, Role.OFFICER, audit.bureau_recommend, State.BUREAU_REVIEW, _("已推荐%(n)s份申报至评委会。")
    )


def _audit_action(request, pk, role: str, **action):
    """An audit step on one application by HR or the bureau (`act` with `action`); back to its page."""
    return act(
        request,
        fetch=lambda: permissions.application_for(request.user, pk, role=role),
        redirect_to=reverse("applications:detail", kwargs={"pk": pk}),
        **action,
    )


@login_required
@require_POST
def employer_return(request, pk):
    return _audit_action(
        request,
        pk,
        Role.HR,
        form_class=ReturnForm,
        form_kwargs=lambda application: {"items": returns.items_for(application)},
        call=lambda a, f: audit.employer_return(
            application=a,
            actor=request.user,
            items=f.items(),
            defects=f.defects(),
            note=f.cleaned_data["note"],
        ),
        success=_("已退回申报人修改。"),
    )


@login_required
@require_POST
def employer_reject(request, pk):
    return _audit_action(
        request,
        pk,
        Role.HR,
        form_class=ReasonForm,
        call=lambda a, f: audit.employer_reject(
            application=a, actor=request.user, reason=f.cleaned_data["reason"]
        ),
        success=_("已作审核不通过处理。"),
    )


@login_required
@require_POST
def bureau_return(request, pk):
    return _audit_action(
        request,
        pk,
        Role.OFFICER,
        form_class=ReturnReasonForm,
        form_kwargs=lambda application: {"items": returns.items_for(application)},
        call=lambda a, f: audit.bureau_return(
            application=a, actor=request.user, reason=f.cleaned_data["reason"], defects=f.defects()
        ),
        success=_("已退回用人单位。"),
    )


@login_required
@require_POST
def bureau_entrust(request, pk):
    application = permissions.application_for(request.user, pk, role=Role.OFFICER)
    form = EntrustForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("applications:detail", pk=pk)
    try:
        letter = None
        if form.cleaned_data.get("letter"):
            letter = services.evidence_upload(
                archive=application.archive, upload=form.cleaned_data["letter"], material_code=""
            )
        audit.bureau_entrust(
            application=application,
            actor=request.user,
            to_plan=form.cleaned_data["to_plan"],
            letter_no=form.cleaned_data["letter_no"],
            letter_date=form.cleaned_data["letter_date"],
            letter=letter,
        )
    except DomainError as exc:
        report_error(request, exc)
    except ValidationError as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
    else:
        messages.success(request, _("已委托评审并推荐至受托评委会。"))
    return redirect("applications:detail", pk=pk)


@login_required
@require_GET
def queue_export(request):
    role = _role_of(request)
    state = request.GET.get("state") or QUEUE_STATES[role][0]
    qs = (
        _queue(request.user, role)
        .filter(state=state)
        .select_related("plan", "qualification", "specialty", "archive", "recommending_org")
        .order_by("number")
    )
    return exports.workbook_response(
        "申报名单",
        exports.APPLICATION_HEADER,
        exports.application_rows(qs.iterator()),
        f"applications-{state}.xlsx",
    )


@login_required
@require_http_methods(["GET", "POST"])
def authorisation(request):
    hr_orgs = Organisation.objects.filter(pk__in=permissions.org_ids(request.user, Role.HR))
    officer_orgs = permissions.org_ids(request.user, Role.OFFICER)
    if not hr_orgs and not officer_orgs:
        raise PermissionDenied()
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        org = hr_orgs.filter(pk=request.POST.get("organisation")).first()
        if org is None:
            raise Http404
        if form.is_valid():
            try:
                audit.authorisation_upload(
                    organisation=org, actor=request.user, upload=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("授权委托书已上传，等待人力社保部门确认。"))
                return redirect("applications:authorisation")
    pending = AuthorisationLetter.objects.filter(
        confirmed_at__isnull=True, organisation__parent_bureau__in=officer_orgs
    ).select_related("organisation", "uploaded_by")
    return render(
        request,
        "applications/audit/authorisation.html",
        {"hr_orgs": hr_orgs, "pending": pending, "form": form},
    )


@login_required
@require_POST
def authorisation_confirm(request, pk):
    letter = get_object_or_404(
        AuthorisationLetter.objects.filter(
            organisation__parent_bureau__in=permissions.org_ids(request.user, Role.OFFICER)
        ),
        pk=pk,
    )
    audit.authorisation_confirm(letter=letter, actor=request.user)
    messages.success(request, _("已确认%(org)s的授权委托书。") % {"org": letter.organisation.name})
    return redirect("applications:authorisation")
