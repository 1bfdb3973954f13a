"""Expert accounts: the office invites a pool expert by e-mail; the person holding the one-time link
opens an account or binds the one they are signed in with, and becomes the expert (with the 评审专家 role)."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from portal import clock, keyring
from portal.models import Membership, Role
from portal.queueing import queue_after_commit
from portal.services import notify_members

from .. import invitation_mail
from ..exceptions import CommitteeError
from ..models import INVITATION_VALIDITY, Expert, ExpertInvitation
from ..permissions import require_clerk
from ..tasks import send_expert_invitation
from ..workflow import EXPERT_INVITATION


def expert_invite(*, expert: Expert, actor, email: str) -> ExpertInvitation:
    """Send the expert a link to open their account, valid INVITATION_VALIDITY; an earlier link still
    pending is withdrawn. The returned invitation carries the token (`.token`) only in memory.

    The e-mail is queued after commit; the token waits sealed with the portal's key (a reader of the
    database cannot open it) until the e-mail has gone, so a mail server or broker that is down only
    delays it (committees.tasks.sweep_expert_invitations), and is wiped once it is sent."""
    require_clerk(actor, expert.committee_id)
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise CommitteeError("请填写有效的电子邮箱。", field="email") from exc
    token = secrets.token_urlsafe(32)
    now = clock.now()
    with transaction.atomic():
        locked = Expert.objects.select_for_update().get(pk=expert.pk)
        if locked.user_id is not None:
            raise CommitteeError(f"{locked.name}已开通专家账号，无需邀请。")
        for earlier in ExpertInvitation.objects.filter(expert=locked, status=ExpertInvitation.Status.PENDING):
            EXPERT_INVITATION.take(earlier, "withdraw", actor=actor, note="重新发送邀请")
        if locked.email != email:
            locked.email = email
            locked.save(update_fields=["email"])
        invitation = ExpertInvitation.objects.create(
            expert=locked,
            email=email,
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            created_by=actor,
            created_at=now,
            expires_at=now + INVITATION_VALIDITY,
        )
        invitation.token_sealed = keyring.seal(
            invitation_mail.TOKEN_SEAL, token.encode(), bound_to=invitation_mail.bound(invitation)
        )
        invitation.save(update_fields=["token_sealed"])
        queue_after_commit(
            lambda: send_expert_invitation.delay(invitation.pk), what=f"invitation e-mail {invitation.pk}"
        )
    invitation.token = token
    return invitation


def _refusal_for(user, expert: Expert) -> str | None:
    if expert.user_id is not None:
        return "该专家已开通账号，邀请链接不再有效。"
    if Expert.objects.filter(user=user).exists():
        return "您的账号已绑定其他评审专家，不能重复绑定。"
    other = (
        Membership.objects.filter(user=user, organisation_id=expert.committee_id)
        .exclude(role=Role.EXPERT)
        .first()
    )
    if other is not None:
        return f"您的账号已是{expert.committee.name}的{other.get_role_display()}，不能同时作为其评审专家。"
    return None


def expert_invitation_accept(*, invitation: ExpertInvitation, user) -> Expert:
    """Bind the signed-in person's account to the invited expert and give it the expert role in the
    expert's committee (so the menu offers 我的评审任务). The token works once, before it expires."""
    bound: dict = {}

    def check(locked: ExpertInvitation) -> None:
        expert = Expert.objects.select_for_update().select_related("committee").get(pk=locked.expert_id)
        refusal = _refusal_for(user, expert)
        if refusal:
            raise CommitteeError(refusal)
        bound["expert"] = expert

    def change(locked: ExpertInvitation) -> None:
        expert = bound["expert"]
        expert.user = user
        expert.save(update_fields=["user"])
        Membership.objects.update_or_create(
            user=user, organisation_id=expert.committee_id, defaults={"role": Role.EXPERT, "is_active": True}
        )
        locked.accepted_at, locked.accepted_by = clock.now(), user

    def tell(locked: ExpertInvitation) -> None:
        notify_members(
            organisation=bound["expert"].committee_id,
            role=Role.CLERK,
            message=f"专家{bound['expert'].name}已接受邀请，开通了专家账号。",
            link=reverse("committees:experts"),
            email=False,
        )

    EXPERT_INVITATION.take(
        invitation, "accept", actor=user, check=check, change=change, notify=tell, data={"user": user.pk}
    )
    user.__dict__.pop("_portal_roles", None)  # the roles cached on this request's user changed
    return bound["expert"]


def expert_invitation_signup(*, invitation: ExpertInvitation, username: str, password: str):
    """Open an account for the invited expert and accept the invitation with it, in one transaction:
    a refused acceptance leaves no account behind. Returns the new user."""
    with transaction.atomic():
        expert = invitation.expert
        user = get_user_model().objects.create_user(
            username=username, password=password, email=invitation.email, first_name=expert.name
        )
        expert_invitation_accept(invitation=invitation, user=user)
    return user
