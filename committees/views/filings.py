"""Result filings (评审结果备案): made by the office, printed as a PDF, approved by the bureau."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications.exceptions import DomainError
from applications.states import State
from portal.actions import act, report_error
from portal.forms import form_errors_text

from .. import permissions, services
from ..forms import ApproveForm, FilingForm
from ..pdf import filing_pdf
from .common import PAGE_SIZE, chosen_applications, office_committee

# ---------------------------------------------------------------- result filings


@login_required
@require_POST
def filing_new(request):
    committee = office_committee(request)
    form = FilingForm(request.POST)
    chosen = chosen_applications(request, permissions.committee_applications(request.user))
    back = redirect(
        f"{reverse('committees:queue')}?committee={committee.pk}&state={State.RESULT_PUBLICITY_DONE}"
    )
    if chosen is None:
        return back
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return back
    try:
        filing = services.filing_create(
            committee=committee, applications=chosen, actor=request.user, title=form.cleaned_data["title"]
        )
    except DomainError as exc:
        report_error(request, exc)
        return back
    messages.success(request, _("评审结果备案表已生成，请打印盖章后报送核准。"))
    return redirect("committees:filing", pk=filing.pk)


@login_required
@require_GET
def filing_detail(request, pk):
    filing, roles = permissions.filing_for(request.user, pk)
    return render(
        request,
        "committees/filing.html",
        {
            "filing": filing,
            "roles": roles,
            "applications": services.filing_applications(filing),
            "approve_form": ApproveForm(),
        },
    )


@login_required
@require_GET
def filing_form_pdf(request, pk):
    filing, _roles = permissions.filing_for(request.user, pk)
    content = filing_pdf(filing, list(services.filing_applications(filing)))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename=filing-{filing.pk}.pdf"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def filing_approve(request, pk):
    return act(
        request,
        fetch=lambda: permissions.filing_for(request.user, pk, role=permissions.BUREAU)[0],
        form_class=ApproveForm,
        call=lambda filing, form: services.filing_approve(
            filing=filing, actor=request.user, document_no=form.cleaned_data["document_no"]
        ),
        success=_("已核准公布。"),
        redirect_to=reverse("committees:filing", kwargs={"pk": pk}),
    )


@login_required
@require_GET
def filings(request):
    qs = (
        permissions.filings_visible_to(request.user)
        .select_related("committee", "meeting")
        .order_by("-created_at")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "committees/filings.html", {"page": page})
