"""The pilot units' applications for review authority (seed 000) and the authorities' status."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.exceptions import DomainError
from portal import authority as authority_services
from portal.actions import act
from portal.forms import form_add_error
from portal.models import CommitteeAuthority, Organisation, Role
from portal.roles import org_ids

from .. import services
from ..exceptions import PermissionDenied
from ..forms import AuthorityStatusForm, PilotDistrictAuditForm, PilotFileForm, PilotForm
from ..models import PilotApplication
from .common import PAGE_SIZE

# ---------------------------------------------------------------- pilot units and authority (seed 000)


def _pilots_visible(user):
    hr, officer = org_ids(user, Role.HR), org_ids(user, Role.OFFICER)
    return PilotApplication.objects.filter(
        Q(unit__in=hr) | Q(district_bureau__in=officer) | Q(district_bureau__parent_bureau__in=officer)
    )


# The bureau that takes each step on a pilot application, and what anyone else is told (seed 000).
PILOT_STEPS = {
    "review": (lambda pilot: pilot.district_bureau_id, "只有属地人力社保部门可以审核。"),
    "file": (lambda pilot: pilot.district_bureau.parent_bureau_id, "只有市人力社保局可以备案。"),
}


def _pilot_for(user, pk, *, step: str | None = None) -> PilotApplication:
    """A pilot application the user sees (else 404); with `step`, only for an officer of the bureau
    that takes it (else 403)."""
    pilot = _pilots_visible(user).select_related("unit", "district_bureau", "authority").filter(pk=pk).first()
    if pilot is None:
        raise Http404
    if step is not None:
        bureau_of, refusal = PILOT_STEPS[step]
        if bureau_of(pilot) not in org_ids(user, Role.OFFICER):
            raise PermissionDenied(refusal)
    return pilot


@login_required
@require_GET
def pilots(request):
    if not org_ids(request.user, Role.HR) and not org_ids(request.user, Role.OFFICER):
        raise PermissionDenied()
    page = Paginator(
        _pilots_visible(request.user).select_related("unit", "district_bureau").order_by("-submitted_at"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(request, "committees/pilots.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def pilot_apply(request):
    units = Organisation.objects.filter(pk__in=org_ids(request.user, Role.HR))
    if not units:
        raise PermissionDenied()
    form = PilotForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        unit = (
            units.filter(pk=request.POST.get("unit")).first()
            if request.POST.get("unit", "").isdigit()
            else None
        )
        if form.is_valid() and unit is None:
            form.add_error(None, _("请选择申请单位。"))
        elif form.is_valid():
            data = dict(form.cleaned_data)
            specialties, subsidiaries = data.pop("specialties"), data.pop("subsidiaries")
            try:
                pilot = services.pilot_apply(
                    unit=unit,
                    actor=request.user,
                    specialties=list(specialties),
                    subsidiaries=list(subsidiaries),
                    **data,
                )
            except DomainError as exc:
                if isinstance(exc, PermissionDenied):
                    raise
                form_add_error(form, exc)
            else:
                messages.success(request, _("申请已提交，等待属地人力社保部门审核。"))
                return redirect("committees:pilot", pk=pilot.pk)
    return render(request, "committees/pilot_apply.html", {"form": form, "units": units}, status=status)


@login_required
@require_GET
def pilot_detail(request, pk):
    pilot = _pilot_for(request.user, pk)
    return render(
        request,
        "committees/pilot.html",
        {"pilot": pilot, "audit_form": PilotDistrictAuditForm(), "file_form": PilotFileForm()},
    )


@login_required
@require_POST
def pilot_district_audit(request, pk):
    return act(
        request,
        fetch=lambda: _pilot_for(request.user, pk, step="review"),
        form_class=PilotDistrictAuditForm,
        call=lambda pilot, form: services.pilot_district_audit(
            pilot=pilot,
            actor=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            opinion=form.cleaned_data["opinion"],
        ),
        success=_("审核意见已记录。"),
        redirect_to=reverse("committees:pilot", kwargs={"pk": pk}),
    )


@login_required
@require_POST
def pilot_file(request, pk):
    return act(
        request,
        fetch=lambda: _pilot_for(request.user, pk, step="file"),
        form_class=PilotFileForm,
        call=lambda pilot, form: services.pilot_file(
            pilot=pilot, actor=request.user, document_no=form.cleaned_data["document_no"]
        ),
        success=_("已备案，试点单位评审权生效。"),
        redirect_to=reverse("committees:pilot", kwargs={"pk": pk}),
    )


def _authorities_visible(user):
    return CommitteeAuthority.objects.filter(
        Q(approved_by__in=org_ids(user, Role.OFFICER)) | Q(committee__in=org_ids(user, Role.CLERK))
    )


def _authority_for_bureau(user, pk) -> CommitteeAuthority:
    """An authority the user sees (else 404), for an officer of the bureau that approved it (else 403)."""
    authority = _authorities_visible(user).filter(pk=pk).first()
    if authority is None:
        raise Http404
    if authority.approved_by_id not in org_ids(user, Role.OFFICER):
        raise PermissionDenied("只有核准备案部门可以暂停或收回评审权。")
    return authority


@login_required
@require_GET
def authorities(request):
    if not org_ids(request.user, Role.OFFICER) and not org_ids(request.user, Role.CLERK):
        raise PermissionDenied()
    qs = (
        _authorities_visible(request.user)
        .select_related("committee", "approved_by", "region")
        .prefetch_related("series", "specialties")
        .order_by("committee__name", "-valid_from")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/authorities.html",
        {"page": page, "bureaus": set(org_ids(request.user, Role.OFFICER)), "form": AuthorityStatusForm()},
    )


@login_required
@require_POST
def authority_status(request, pk):
    return act(
        request,
        fetch=lambda: _authority_for_bureau(request.user, pk),
        form_class=AuthorityStatusForm,
        call=lambda authority, form: authority_services.authority_set_status(
            authority=authority, actor=request.user, **form.cleaned_data
        ),
        success=_("评审权状态已更新。"),
        redirect_to="committees:authorities",
    )
