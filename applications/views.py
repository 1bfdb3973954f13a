from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.actions import act
from portal.client_ip import client_ip
from portal.forms import form_add_error
from portal.models import Role
from rules.vocab import DeclarationType

from . import eligibility, permissions, returns, services, workflow
from .audit_forms import EntrustForm, ReasonForm, ReturnForm, ReturnReasonForm
from .changes import changes_for
from .exceptions import DomainError
from .forms import (
    ApplicationCreateForm,
    ApplicationEditForm,
    EvidenceAttachForm,
    EvidenceForm,
    SelfCheckForm,
    WithdrawForm,
)
from .standing import standing
from .states import EDITABLE_STATES, State


def _client_ip(request) -> str | None:
    return client_ip(request) or None


@login_required
@require_GET
def dashboard(request):
    qs = (
        permissions.applications_visible_to(request.user)
        .filter(applicant=request.user)
        .select_related("plan", "qualification", "specialty")
    )
    page = Paginator(qs, 10).get_page(request.GET.get("page"))
    archive = services.archive_get_or_create(user=request.user)
    return render(
        request,
        "applications/dashboard.html",
        {"page": page, "archive": archive, "open_plans": services.plans_open()[:5]},
    )


def _eligibility(check, *, live: bool = True) -> dict:
    """The context of the eligibility panel (partial template) for a check, or for none yet."""
    return {
        "elig": check.result.as_dict() if check and check.result else None,
        "elig_message": check.message if check else "",
        "live": live,
    }


def _self_check(request, data, *, posted: bool = False):
    """The eligibility check for the plan and qualification chosen so far (GET or POST data; a posted
    form leaves an unticked checkbox out, so there its absence means "no")."""
    plan = (
        services.plans_open().filter(pk=data.get("plan") or 0).first()
        if str(data.get("plan", "")).isdigit()
        else None
    )
    qualification = None
    if plan is not None and str(data.get("qualification", "")).isdigit():
        qualification = (
            plan.qualifications.filter(pk=data["qualification"]).first()
            or plan.recommend_qualifications.filter(pk=data["qualification"]).first()
        )
    if qualification is None:
        return None
    archive = services.archive_get_or_create(user=request.user)
    matches = data.get("specialty_matches", "" if posted else "on") in ("on", "true", "1", True)
    return eligibility.check_archive(
        archive=archive, plan=plan, qualification=qualification, specialty_matches=matches
    )


@login_required
@require_http_methods(["GET", "POST"])
def self_check(request):
    """The self-check form is posted (nothing typed lands in the URL) and comes back as typed."""
    plans = services.plans_open()
    form = SelfCheckForm(request.POST or None, plans=plans)
    check = _self_check(request, request.POST, posted=True) if form.is_valid() else None
    return render(
        request,
        "applications/self_check.html",
        {
            "form": form,
            "check": check,
            **_eligibility(check),
            "allowed": [(t, DeclarationType(t).label) for t in (check.allowed_types or [])]
            if check
            else None,
        },
    )


def _render_new(request, form, plans, check, status=200):
    return render(
        request,
        "applications/new.html",
        {"form": form, "plans": plans, **_eligibility(check)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request):
    plans = services.plans_open()
    posted = request.method == "POST"
    check = _self_check(request, request.POST if posted else request.GET, posted=posted)
    form = ApplicationCreateForm(
        request.POST or None,
        plans=plans,
        allowed_types=check.allowed_types if check else None,
        initial={
            "plan": request.GET.get("plan"),
            "specialty_matches": True,
            "qualification": request.GET.get("qualification"),
            "declaration_type": request.GET.get("declaration_type"),
        },
    )
    if posted and form.is_valid():
        try:
            application = services.application_create(applicant=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            form_add_error(form, exc)
        else:
            messages.success(request, _("申报草稿已创建，请继续填写并上传材料。"))
            return redirect("applications:detail", pk=application.pk)
    return _render_new(request, form, plans, check, status=400 if posted else 200)


@login_required
@require_POST
def application_new_check(request):
    """The wizard's self-check (and the self-check page's choice of a type): the eligibility for the
    plan and qualification chosen so far, with everything typed kept in an unbound form, so no field
    shows an error yet."""
    plans = services.plans_open()
    check = _self_check(request, request.POST, posted=True)
    typed = {name: request.POST.get(name) for name in ApplicationCreateForm.base_fields}
    typed["specialty_matches"] = "specialty_matches" in request.POST
    form = ApplicationCreateForm(
        plans=plans, allowed_types=check.allowed_types if check else None, initial=typed
    )
    return _render_new(request, form, plans, check)


@login_required
@require_GET
def application_detail(request, pk):
    application = permissions.application_for(request.user, pk)
    is_owner = application.applicant_id == request.user.pk
    editable = is_owner and application.state in EDITABLE_STATES
    # The checklist and the return form both list the plan's materials: read once.
    prefetch_related_objects([application.plan], "materials")
    materials = services.required_materials(application)
    evidence = list(application.evidence.all())
    by_code = {}
    for item in evidence:
        by_code.setdefault(item.material_code, []).append(item)
    moves = workflow.available_moves(application, request.user)
    actions = {m.action for m in moves}
    # The history, read once: the timeline shows it, the return panel and the changes since a return
    # look for their events in it.
    events = list(application.events.select_related("actor").order_by("seq"))
    panel = returns.return_panel(application, events=events)
    on_items = panel["defects_by_item"]
    check = eligibility.check_application(application)
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            **_eligibility(check, live=application.snapshot is None),
            "actions": actions,
            **panel,
            "standing": standing(application) if is_owner else None,
            "changes": None if is_owner else changes_for(application, request.user, events=events),
            "summary_defects": on_items.get(returns.SUMMARY_CODE, []),
            # The plan's employer-recommendation deadline bounds a resubmission (the `resubmit` guard).
            "resubmit_deadline": application.plan.employer_deadline
            if application.state == State.RETURNED
            else None,
            "return_form": ReturnForm(items=returns.items_for(application))
            if "employer_return" in actions
            else None,
            "bureau_return_form": ReturnReasonForm(items=returns.items_for(application))
            if "bureau_return" in actions
            else None,
            "reason_form": ReasonForm(),
            "entrust_form": EntrustForm() if "bureau_recommend" in actions else None,
            "events": events,
            "materials": [(m, by_code.get(m.code, []), on_items.get(m.code, [])) for m in materials],
            "moves": moves,
            "editable": editable,
            "is_owner": is_owner,
            "edit_form": ApplicationEditForm(instance=application) if editable else None,
            "evidence_form": EvidenceForm(),
            # The archive's own files, to put on a checklist item without uploading them again.
            "archive_files": list(application.archive.evidence.filter(application__isnull=True))
            if editable
            else [],
            "withdraw_form": WithdrawForm(),
        },
    )


@login_required
@require_POST
def application_edit(request, pk):
    application = permissions.application_for(request.user, pk, role=Role.APPLICANT)
    form = ApplicationEditForm(request.POST, instance=application)
    if form.is_valid():
        try:
            services.application_update(
                application=application, actor=request.user, **{f: form.cleaned_data[f] for f in form.fields}
            )
        except ValidationError as exc:
            form_add_error(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("申报信息已保存。"))
            return redirect("applications:detail", pk=pk)
    return render(
        request,
        "applications/entry_form.html",
        {"form": form, "title": _("申报信息"), "action": request.path},
        status=400,
    )


def _materials(pk) -> str:
    return reverse("applications:detail", kwargs={"pk": pk}) + "#materials"


@login_required
@require_POST
def application_evidence(request, pk):
    return act(
        request,
        fetch=lambda: permissions.application_for(request.user, pk, role=Role.APPLICANT),
        form_class=EvidenceForm,
        call=lambda application, form: services.evidence_upload(
            archive=application.archive,
            upload=form.cleaned_data["file"],
            application=application,
            material_code=form.cleaned_data["material_code"],
        ),
        success=_("材料已上传。"),
        redirect_to=_materials(pk),
    )


@login_required
@require_POST
def application_evidence_attach(request, pk):
    return act(
        request,
        fetch=lambda: permissions.application_for(request.user, pk, role=Role.APPLICANT),
        form_class=EvidenceAttachForm,
        form_kwargs=lambda application: {"archive": application.archive},
        call=lambda application, form: services.evidence_attach(
            application=application,
            source=form.cleaned_data["source"],
            material_code=form.cleaned_data["material_code"],
        ),
        success=_("已从档案中添加材料。"),
        redirect_to=_materials(pk),
    )


def _act(request, pk, service, success: str, **kwargs):
    """The applicant's moves: the service takes the application, the actor and `kwargs`."""
    return act(
        request,
        fetch=lambda: permissions.application_for(request.user, pk),
        call=lambda application, _form: service(application=application, actor=request.user, **kwargs),
        success=success,
        redirect_to=reverse("applications:detail", kwargs={"pk": pk}),
    )


@login_required
@require_POST
def application_pledge(request, pk):
    return _act(
        request, pk, services.application_sign_pledge, _("已签署真实性保证书。"), ip=_client_ip(request)
    )


@login_required
@require_POST
def application_submit(request, pk):
    return _act(request, pk, services.application_submit, _("申报已提交，等待单位审核。"))


@login_required
@require_POST
def application_resubmit(request, pk):
    return _act(request, pk, services.application_resubmit, _("申报已重新提交，等待单位审核。"))


@login_required
@require_POST
def application_withdraw(request, pk):
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(request, pk, services.application_withdraw, _("申报已撤回。"), reason=reason)
