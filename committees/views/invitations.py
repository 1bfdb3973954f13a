"""The drawn expert's own pages: invitations, declines and declared conflicts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.actions import act
from portal.models import Role
from portal.roles import has_role

from .. import permissions, selectors, services
from ..exceptions import PermissionDenied
from ..forms import DeclareForm, DeclineForm
from .common import PAGE_SIZE

# ---------------------------------------------------------------- the expert's own pages


def _expert(user):
    expert = permissions.expert_of(user)
    if expert is None:
        raise PermissionDenied("您不是评审专家。")
    return expert


@login_required
@require_GET
def my_meetings(request):
    # An expert's account (membership as 评审专家) not yet bound to a pool entry sees an empty list, not a
    # refusal: the menu offers this page to every expert account.
    expert = permissions.expert_of(request.user)
    if expert is None and not has_role(request.user, Role.EXPERT):
        raise PermissionDenied("您不是评审专家。")
    page = Paginator(selectors.invitations_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/my_meetings.html",
        {"page": page, "expert": expert, "decline_form": DeclineForm(), "declare_form": DeclareForm()},
    )


@login_required
@require_POST
def invitation_decline(request, pk):
    return act(
        request,
        fetch=lambda: permissions.draw_entry_for_expert(request.user, pk),
        form_class=DeclineForm,
        call=lambda entry, form: services.draw_entry_decline(
            entry=entry, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success=_("已登记不能参会，将由备选专家依次递补。"),
        redirect_to="committees:my_meetings",
    )


@login_required
@require_POST
def invitation_accept(request, pk):
    return act(
        request,
        fetch=lambda: permissions.draw_entry_for_expert(request.user, pk),
        call=lambda entry, form: services.draw_entry_accept(entry=entry, actor=request.user),
        success=_("已确认参会。会前可在会议页面查阅评审材料，请勿外传。"),
        redirect_to="committees:my_meetings",
    )


@login_required
@require_POST
def declare_relative(request):
    return act(
        request,
        fetch=lambda: _expert(request.user),
        form_class=DeclareForm,
        call=lambda expert, form: services.expert_declare_conflict(
            expert=expert, actor=request.user, **form.cleaned_data
        ),
        success=_("回避事项已申报。"),
        redirect_to="committees:my_meetings",
    )
