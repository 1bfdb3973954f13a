"""The auditor's (监督审计) read-only pages: the region's applications, publicity notices and statistics,
and the signed audit checkpoints to download (docs/records.md).

An application opens on its own page (applications:detail) with its history; it offers the auditor
no move, since applications.workflow.available_moves offers none to a role that is no actor."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from . import checkpoint_files, checkpoints, oversight
from .exceptions import PermissionDenied
from .forms import OversightFilterForm
from .models import AuditCheckpoint
from .permissions import auditor_regions, require_auditor

PAGE_SIZE = 20


@login_required
@require_GET
def applications(request):
    require_auditor(request.user)
    form = OversightFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = oversight.region_applications(
        request.user, plan=filters.get("plan"), state=filters.get("state") or ""
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k in form.fields and v})
    return render(
        request,
        "applications/oversight/applications.html",
        {"form": form, "page": page, "query": query},
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


@login_required
@require_GET
def notices(request):
    require_auditor(request.user)
    qs = oversight.region_notices(request.user).select_related("publisher").order_by("-created_at", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "applications/oversight/notices.html", {"page": page})


@login_required
@require_GET
def statistics(request):
    return render(
        request,
        "applications/oversight/statistics.html",
        {"stats": oversight.region_statistics(request.user)},
    )


def _require_checkpoint_reader(user) -> None:
    """Auditors of any region and the system's administrators; the list names no person."""
    if not (user.is_staff or auditor_regions(user)):
        raise PermissionDenied("您不是监督审计人员。")


@login_required
@require_GET
def audit_checkpoints(request):
    _require_checkpoint_reader(request.user)
    page = Paginator(AuditCheckpoint.objects.order_by("-seq"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "applications/oversight/checkpoints.html",
        {"page": page, "public_key": checkpoints.public_key_hex()},
    )


@login_required
@require_GET
def audit_checkpoint_download(request, seq: int):
    """The exported checkpoint (JSON), streamed: a million heads never sit in memory."""
    _require_checkpoint_reader(request.user)
    checkpoint = get_object_or_404(AuditCheckpoint, seq=seq)
    response = StreamingHttpResponse(
        (piece.encode() for piece in checkpoint_files.export_lines(checkpoint)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="audit-checkpoint-{seq}.json"'
    return response
