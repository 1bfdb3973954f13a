"""Expert accounts: the office's invitation of a pool expert, and the link's page where the invited
person opens an account or binds the one they are signed in with."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.actions import act, report_error
from portal.exceptions import DomainError

from .. import permissions, services
from ..forms import ExpertSignupForm, InviteForm
from ..workflow import invitation_refusal

UNKNOWN_LINK = "邀请链接无效：请核对邮件中的链接是否完整，或联系评委会办公室重新发送邀请。"


@login_required
@require_POST
def expert_invite(request, pk):
    return act(
        request,
        fetch=lambda: permissions.expert_for_clerk(request.user, pk),
        form_class=InviteForm,
        call=lambda expert, form: services.expert_invite(
            expert=expert, actor=request.user, email=form.cleaned_data["email"]
        ),
        success=lambda invitation: (
            _("已向%(email)s发送开通账号邀请，链接%(days)s天内有效。")
            % {"email": invitation.email, "days": (invitation.expires_at - invitation.created_at).days}
        ),
        redirect_to=lambda expert: f"{reverse('committees:experts')}?committee={expert.committee_id}",
    )


def _page(request, token, *, form=None, status=200):
    """The link's page; a link that is unknown, used, withdrawn or expired says so, in Chinese."""
    invitation = permissions.invitation_for_token(token)
    refusal = UNKNOWN_LINK if invitation is None else invitation_refusal(invitation)
    if refusal:
        status = 404 if invitation is None else 410
    context = {"invitation": invitation, "token": token, "refusal": refusal}
    if not refusal and not request.user.is_authenticated:
        context["form"] = form or ExpertSignupForm()
    return render(request, "committees/expert_join.html", context, status=status)


@require_GET
def expert_join(request, token):
    return _page(request, token)


@login_required
@require_POST
def expert_join_accept(request, token):
    invitation = permissions.invitation_for_token(token)
    if invitation is None:
        return _page(request, token)
    try:
        services.expert_invitation_accept(invitation=invitation, user=request.user)
    except DomainError as exc:
        report_error(request, exc)
        return redirect("committees:expert_join", token=token)
    messages.success(request, _("已绑定评审专家身份，可在“我的评审任务”中查看评审邀请。"))
    return redirect("committees:my_meetings")


@require_POST
def expert_join_signup(request, token):
    invitation = permissions.invitation_for_token(token)
    if invitation is None or request.user.is_authenticated:
        # Signed in already: the page offers to accept with this account instead.
        return _page(request, token)
    form = ExpertSignupForm(request.POST)
    if not form.is_valid():
        return _page(request, token, form=form, status=400)
    try:
        user = services.expert_invitation_signup(
            invitation=invitation,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
        )
    except DomainError as exc:
        report_error(request, exc)
        return redirect("committees:expert_join", token=token)
    login(request, user, backend="portal.auth_backends.ModelBackend")
    messages.success(request, _("专家账号已开通，可在“我的评审任务”中查看评审邀请。"))
    return redirect("committees:my_meetings")
