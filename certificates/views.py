"""Pages: public verification and the published documents, the holder's certificates, the bureau's
batches and status actions, and the application's printable forms."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications import permissions as application_permissions
from applications.exceptions import DomainError, PermissionDenied
from applications.models import ReviewForm
from applications.states import State
from portal.actions import act, report_error
from portal.forms import form_errors_text
from rules.vocab import DeclarationType

from . import pdf, ratelimit, selectors
from .forms import IssueForm, ReasonForm, RevokeForm, VerifyForm
from .models import Certificate, Verification
from .permissions import (
    batch_for,
    batches_visible_to,
    certificate_for,
    issuing_org_ids,
    may_manage,
    require_issuing_role,
)
from .services.batches import certificate_batch_issue, certificate_batch_rerun
from .services.status import certificate_reinstate, certificate_revoke, certificate_suspend
from .services.verification import verification_record

PAGE_SIZE = 20


# ---------------------------------------------------------------- public


@require_GET
def verify(request):
    submitted = bool(request.GET.get("number") or request.GET.get("c") or "number" in request.GET)
    form = VerifyForm(request.GET if submitted else None)
    context = {"form": form, "lookup": None}
    if not submitted:
        return render(request, "certificates/verify.html", context)
    if not ratelimit.allow("verify", ratelimit.client_address(request), limit=ratelimit.verify_limit()):
        context["limited"] = True
        return render(request, "certificates/verify.html", context, status=429)
    if not form.is_valid():
        return render(request, "certificates/verify.html", context, status=400)
    data = form.cleaned_data
    lookup = selectors.certificate_lookup(number=data["number"], name=data["name"], token=data["c"])
    verification_record(
        certificate=lookup.certificate,
        number=lookup.number or data["number"],
        channel=Verification.Channel.QR if data["c"] else Verification.Channel.PAGE,
        outcome=lookup.outcome,
        name_matched=lookup.name_matched,
        address=ratelimit.client_address(request),
        user=request.user,
    )
    context["lookup"] = lookup
    return render(request, "certificates/verify.html", context)


@require_GET
def keys_json(request):
    response = JsonResponse(selectors.keys_document(), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def status_json(request):
    response = JsonResponse(selectors.status_document(), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=60"
    return response


# ---------------------------------------------------------------- holders and officers


@login_required
@require_GET
def mine(request):
    qs = (
        Certificate.objects.filter(holder=request.user)
        .select_related("issuer")
        .order_by("-issued_at", "number")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certificates/mine.html", {"page": page})


@login_required
@require_GET
def detail(request, pk):
    certificate = certificate_for(request.user, pk)
    manage = may_manage(request.user, certificate)
    return render(
        request,
        "certificates/detail.html",
        {
            "certificate": certificate,
            "rows": selectors.Lookup(outcome=certificate.status, certificate=certificate, full=True).rows(),
            "changes": certificate.status_changes.select_related("actor"),
            "verifications": certificate.verifications.all()[:50],
            "manage": manage,
            # An auditor reads the record but not the holder's file (download answers them 403).
            "may_download": manage or certificate.holder_id == request.user.pk,
            "reason_form": ReasonForm(),
            "revoke_form": RevokeForm(),
        },
    )


@login_required
@require_GET
def download(request, pk):
    certificate = certificate_for(request.user, pk)
    if not (certificate.holder_id == request.user.pk or may_manage(request.user, certificate)):
        raise PermissionDenied(_("只有持证人和发证机构可以下载证书文件。"))
    if not certificate.is_rendered:
        messages.error(request, _("证书文件正在生成，请稍后再下载。"))
        return redirect("certificates:detail", pk=pk)
    response = FileResponse(
        certificate.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"职称证书-{certificate.number}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _status_action(request, pk, **action):
    """The issuer changes a certificate's status (`act` with `action`); back to its page."""
    return act(
        request,
        fetch=lambda: certificate_for(request.user, pk, manage=True),
        redirect_to=reverse("certificates:detail", kwargs={"pk": pk}),
        **action,
    )


@login_required
@require_POST
def revoke(request, pk):
    return _status_action(
        request,
        pk,
        form_class=RevokeForm,
        call=lambda c, f: certificate_revoke(
            certificate=c,
            actor=request.user,
            reason=f.cleaned_data["reason"],
            decision_document=f.cleaned_data["decision_document"],
            decision_date=f.cleaned_data["decision_date"],
            kind=f.cleaned_data["kind"],
        ),
        success=_("证书已撤销，已记入诚信档案。"),
    )


@login_required
@require_POST
def suspend(request, pk):
    return _status_action(
        request,
        pk,
        form_class=ReasonForm,
        call=lambda c, f: certificate_suspend(
            certificate=c, actor=request.user, reason=f.cleaned_data["reason"]
        ),
        success=_("证书已暂扣。"),
    )


@login_required
@require_POST
def reinstate(request, pk):
    return _status_action(
        request,
        pk,
        form_class=ReasonForm,
        call=lambda c, f: certificate_reinstate(
            certificate=c, actor=request.user, reason=f.cleaned_data["reason"]
        ),
        success=_("证书已恢复有效。"),
    )


# ---------------------------------------------------------------- batches


@login_required
@require_GET
def batch_list(request):
    require_issuing_role(request.user)
    qs = batches_visible_to(request.user).select_related("committee", "issuer").order_by("-created_at")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/batch_list.html",
        {"page": page, "issuer": bool(issuing_org_ids(request.user))},
    )


@login_required
@require_GET
def batch_detail(request, pk):
    batch = batch_for(request.user, pk)
    certificates = batch.certificates.order_by("number")
    page = Paginator(certificates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/batch_detail.html",
        {
            "batch": batch,
            "progress": selectors.batch_progress(batch),
            "page": page,
            "skipped": batch.items.filter(outcome="skipped").select_related("application"),
            "manage": batch.issuer.organisation_id in issuing_org_ids(request.user),
        },
    )


@login_required
@require_GET
def batch_progress(request, pk):
    batch = batch_for(request.user, pk)
    return JsonResponse({"batch": str(batch.pk), **selectors.batch_progress(batch).as_dict()})


@login_required
@require_POST
def batch_rerun(request, pk):
    batch = batch_for(request.user, pk)
    if batch.issuer.organisation_id not in issuing_org_ids(request.user):
        raise PermissionDenied()
    certificate_batch_rerun(batch=batch)
    messages.success(request, _("已重新提交发证任务；已发的证书不会重复发放。"))
    return redirect("certificates:batch", pk=pk)


def _issuable(user):
    orgs = issuing_org_ids(user)
    if not orgs:
        raise PermissionDenied(_("只有人社部门经办人可以发证。"))
    return (
        application_permissions.applications_visible_to(user)
        .filter(
            Q(receiving_bureau__in=orgs) | Q(employer_bureau__in=orgs),
            state=State.APPROVED,
            certificate_batch_item__isnull=True,
        )
        .select_related("archive", "qualification", "plan__committee")
        .order_by("plan__committee_id", "number")
    )


@login_required
@require_GET
def issue_queue(request):
    page = Paginator(_issuable(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certificates/issue.html", {"page": page, "form": IssueForm()})


@login_required
@require_POST
def issue_create(request):
    qs = _issuable(request.user)
    form = IssueForm(request.POST)
    ids = request.POST.getlist("applications")
    if not form.is_valid() or not ids:
        messages.error(request, form_errors_text(form) or _("请至少选择一份申报。"))
        return redirect("certificates:issue")
    try:
        chosen = list(qs.filter(pk__in=ids))
    except ValidationError as exc:
        raise Http404 from exc
    if len(chosen) != len(set(ids)):
        raise Http404
    try:
        batch = certificate_batch_issue(applications=chosen, approved_by=request.user, **form.cleaned_data)
    except DomainError as exc:
        report_error(request, exc)
        return redirect("certificates:issue")
    messages.success(request, _("已提交发证批次（%(n)s份），正在生成证书。") % {"n": len(chosen)})
    return redirect("certificates:batch", pk=batch.pk)


# ---------------------------------------------------------------- the application's forms


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def review_form(request, pk):
    """The stored 评审表 (made by a worker, certificates.tasks.sweep_review_forms), or a page saying it is
    being generated; no request renders it. The experts of the meeting read it with the dossier."""
    try:
        application = application_permissions.application_for(request.user, pk)
    except Http404:
        application, _reader = application_permissions.dossier_for(request.user, pk)
    form = ReviewForm.objects.filter(application=application).first()
    if form is None or not form.is_current_for(application):
        return render(request, "certificates/review_form_pending.html", {"application": application})
    with form.pdf.open("rb") as stored:
        return _pdf_response(stored.read(), f"评审表-{application.number}.pdf")


@login_required
@require_GET
def exceptional_form(request, pk):
    application = application_permissions.application_for(request.user, pk)
    if application.declaration_type != DeclarationType.EXCEPTIONAL:
        raise Http404("不是破格申报")
    return _pdf_response(pdf.render_exceptional_form(application), f"破格推荐审批表-{application.number}.pdf")
