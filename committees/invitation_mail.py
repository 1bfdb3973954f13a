"""The expert invitation's e-mail, sent from the outbox: the one-time token waits sealed with the
portal's key until the e-mail has gone, and is wiped then."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal import clock, keyring

from .models import ExpertInvitation

log = logging.getLogger(__name__)
TOKEN_SEAL = "expert-invitation-token/v1"


def bound(invitation: ExpertInvitation) -> str:
    return f"expert-invitation:{invitation.pk}:{invitation.expert_id}"


def expert_invitation_email_send(*, invitation_id: int) -> bool:
    """Send a pending invitation's e-mail once. The row is locked while sending, so a task and the sweep
    never both send it; the sealed token is wiped when it has gone."""
    with transaction.atomic():
        invitation = (
            ExpertInvitation.objects.select_for_update(skip_locked=True)
            .filter(
                pk=invitation_id,
                status=ExpertInvitation.Status.PENDING,
                emailed_at__isnull=True,
                token_sealed__isnull=False,
            )
            .select_related("expert__committee")
            .first()
        )
        if invitation is None:
            return False
        try:
            token = keyring.unseal(TOKEN_SEAL, invitation.token_sealed, bound_to=bound(invitation)).decode()
        except keyring.SealBroken:
            log.error(
                "invitation %s: sealed token cannot be opened; the office must invite again", invitation.pk
            )
            ExpertInvitation.objects.filter(pk=invitation.pk).update(token_sealed=None)
            return False
        expert = invitation.expert
        link = settings.PORTAL_BASE_URL.rstrip("/") + reverse("committees:expert_join", args=[token])
        body = (
            f"{expert.name}您好：\n\n{expert.committee.name}邀请您开通职称评审专家账号。"
            f"请在{timezone.localtime(invitation.expires_at):%Y年%m月%d日}前打开下面的链接，设置用户名和密码"
            f"（已有平台账号的，登录后接受邀请即可）：\n\n{link}\n\n该链接只能使用一次，请勿转发他人。"
        )
        send_mail(
            subject=f"【职称申报评审服务平台】{expert.committee.name}邀请您开通评审专家账号",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[invitation.email],
        )
        ExpertInvitation.objects.filter(pk=invitation.pk).update(emailed_at=clock.now(), token_sealed=None)
    return True
