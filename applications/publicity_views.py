"""Publicity pages: the publisher's notice with its objections, and the public notices open to objection."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import clock
from portal.actions import report_error
from portal.forms import form_add_error
from portal.models import Role
from portal.ratelimit import client_address

from . import exports, permissions, publicity, publicity_list
from .audit_forms import (
    ObjectionForm,
    ResolveForm,
)
from .exceptions import DomainError, PermissionDenied
from .models import (
    Objection,
    PublicityEntry,
    PublicityNotice,
)
from .objection_refs import objection_by_reference


def _notices_for(user):
    """The notices the user publishes for their organisation (and so handles the objections to)."""
    orgs = permissions.org_ids(user, Role.HR) + permissions.org_ids(user, Role.CLERK)
    return PublicityNotice.objects.filter(publisher__in=orgs)


def _notices_read_by(user):
    """The publisher's notices, and those published in the region of an auditor, who only reads them."""
    orgs = permissions.org_ids(user, Role.HR) + permissions.org_ids(user, Role.CLERK)
    region = permissions.in_regions(permissions.auditor_regions(user), "publisher__region__code")
    return PublicityNotice.objects.filter(Q(publisher__in=orgs) | region)


@login_required
@require_GET
def notice_detail(request, pk):
    notice = get_object_or_404(_notices_read_by(request.user).select_related("publisher"), pk=pk)
    entries = notice.entries.select_related("application").prefetch_related("objections")
    return render(
        request,
        "applications/audit/notice.html",
        {
            "notice": notice,
            "entries": entries,
            "resolve_form": ResolveForm(),
            "may_resolve": _notices_for(request.user).filter(pk=notice.pk).exists(),
        },
    )


@login_required
@require_GET
def notice_export(request, pk):
    notice = get_object_or_404(_notices_read_by(request.user), pk=pk)
    header = [label for _, label in exports.PUBLIC_COLUMNS] + ["公示结果"]
    return exports.workbook_response(
        "公示名单", header, exports.publicity_rows(notice), f"publicity-{notice.pk}.xlsx"
    )


@login_required
@require_POST
def objection_resolve(request, pk):
    objection = get_object_or_404(
        Objection.objects.filter(entry__notice__in=_notices_read_by(request.user)), pk=pk
    )
    if not _notices_for(request.user).filter(pk=objection.entry.notice_id).exists():
        raise PermissionDenied()  # an auditor reads the notice but does not handle its objections
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            publicity.objection_resolve(
                objection=objection,
                actor=request.user,
                upheld=form.cleaned_data["outcome"] == "upheld",
                reason=form.cleaned_data["reason"],
                false_materials=form.cleaned_data["false_materials"],
            )
        except DomainError as exc:
            report_error(request, exc)
        else:
            messages.success(request, _("异议处理结果已记录。"))
    else:
        messages.error(request, _("请选择调查结论并填写处理结果。"))
    return redirect("applications:audit_notice", pk=objection.entry.notice_id)


@require_GET
def public_notices(request):
    # Only what the list shows: a notice's body and rules stay on its own page.
    page = publicity_list.notice_page(request.GET)
    return render(request, "applications/publicity/list.html", {"page": page})


def _issue_token() -> str:
    return signing.dumps(clock.now().timestamp(), salt="objection")


MIN_FILL_SECONDS = 3


@require_http_methods(["GET", "POST"])
def public_notice(request, pk):
    notice = get_object_or_404(PublicityNotice.objects.select_related("publisher"), pk=pk)
    entries = list(notice.entries.all())
    form = ObjectionForm(request.POST or None, request.FILES or None, initial={"issued": _issue_token()})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            status, objection = _lodge(request, notice, form)
            if status == 302:
                messages.success(
                    request,
                    _("异议已提交，受理编号%(ref)s，请妥善保存，可凭此编号在本页查询处理结果。")
                    % {"ref": objection.reference},
                )
                return redirect("applications:public_notice", pk=pk)
    return render(
        request,
        "applications/publicity/notice.html",
        {
            "notice": notice,
            "entries": entries,
            "form": form,
            "open": notice.status == PublicityNotice.Status.OPEN
            and notice.posted_on <= clock.today()
            and clock.now() < notice.ends_at,
            "reference": request.GET.get("ref", "").strip()[:40],
            "looked_up": objection_by_reference(notice=notice, reference=request.GET.get("ref", "")),
        },
        status=status,
    )


def _lodge(request, notice, form) -> tuple[int, object]:
    data = form.cleaned_data
    try:
        issued = float(signing.loads(data["issued"], salt="objection", max_age=24 * 3600))
    except (signing.BadSignature, ValueError):
        form.add_error(None, _("页面已过期，请刷新后重新填写。"))
        return 400, None
    if data["website"] or clock.now().timestamp() - issued < MIN_FILL_SECONDS:
        form.add_error(None, _("提交过快，请核对后再提交。"))
        return 400, None
    entry = PublicityEntry.objects.filter(notice=notice, pk=data["entry"]).first()
    if entry is None:
        form.add_error("entry", _("请选择被异议的公示对象。"))
        return 400, None
    try:
        objection = publicity.objection_lodge(
            entry=entry,
            name=data["name"],
            contact=data["contact"],
            reason=data["reason"],
            upload=data.get("evidence"),
            client_address=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except DomainError as exc:
        form_add_error(form, exc)
        return (429 if exc.code == "rate_limited" else 400), None
    except ValidationError as exc:
        form.add_error("evidence", " ".join(exc.messages))
        return 400, None
    return 302, objection
