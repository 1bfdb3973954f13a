"""The committee's expert pool: the list (with who has no account yet), its Excel export and import."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal import clock
from portal.actions import act

from .. import excel
from ..forms import ImportForm
from ..models import Expert, ExpertInvitation
from .common import PAGE_SIZE, office_committee

# ---------------------------------------------------------------- expert pool


@login_required
@require_GET
def experts(request):
    committee = office_committee(request)
    qs = (
        Expert.objects.filter(committee=committee)
        .select_related("specialty", "title", "employer", "region", "user")
        .order_by("specialty_id", "name", "pk")
    )
    without_account = qs.filter(user__isnull=True).count()
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(employer_name__contains=query))
    if request.GET.get("account") == "none":
        qs = qs.filter(user__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    pending = {
        i.expert_id: i
        for i in ExpertInvitation.objects.filter(
            expert__in=[e.pk for e in page.object_list], status=ExpertInvitation.Status.PENDING
        )
    }
    for expert in page.object_list:
        expert.pending_invitation = pending.get(expert.pk)
    return render(
        request,
        "committees/experts.html",
        {
            "committee": committee,
            "page": page,
            "q": query,
            "account": request.GET.get("account", ""),
            "without_account": without_account,
            "now": clock.now(),
            "import_form": ImportForm(),
        },
    )


@login_required
@require_GET
def experts_export(request):
    return excel.experts_export(office_committee(request))


@login_required
@require_POST
def experts_import(request):
    return act(
        request,
        fetch=lambda: office_committee(request),
        form_class=ImportForm,
        call=lambda committee, form: excel.experts_import(
            committee=committee, upload=form.cleaned_data["file"]
        ),
        success=lambda counts: _("已导入：新增%(c)s人，更新%(u)s人。") % {"c": counts[0], "u": counts[1]},
        redirect_to=lambda committee: f"{reverse('committees:experts')}?committee={committee.pk}",
    )
