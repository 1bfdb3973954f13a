"""Published results (核准公布, seed 004), open to everyone."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import services
from ..models import ResultFiling
from .common import PAGE_SIZE

# ---------------------------------------------------------------- published results (核准公布, seed 004)


def _published():
    return ResultFiling.objects.filter(status=ResultFiling.Status.APPROVED)


@require_GET
def public_results(request):
    qs = _published().select_related("committee").order_by("-approved_at", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "committees/public_results.html", {"page": page})


@require_GET
def public_result(request, pk):
    filing = _published().select_related("committee").filter(pk=pk).first()
    if filing is None:
        raise Http404
    # What the approval publishes: name, employer, title and specialty; never an ID number or contact.
    return render(
        request,
        "committees/public_result.html",
        {"filing": filing, "applications": services.filing_applications(filing)},
    )
