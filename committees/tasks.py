"""Celery tasks of the committees: the expert invitations' e-mail and its outbox sweep."""

from __future__ import annotations

import smtplib

from celery import shared_task

from portal import clock
from portal.sweeps import recorded_sweep
from portal.tasks import send_outbox

from .invitation_mail import expert_invitation_email_send
from .models import ExpertInvitation


@shared_task(autoretry_for=(OSError, smtplib.SMTPException), retry_backoff=True, max_retries=5)
def send_expert_invitation(invitation_id: int) -> bool:
    return expert_invitation_email_send(invitation_id=invitation_id)


@shared_task(acks_late=True)
@recorded_sweep
def sweep_expert_invitations() -> int:
    """Send the invitations whose task was lost or failed (broker or mail server down)."""
    return send_outbox(
        ExpertInvitation.objects.filter(
            status=ExpertInvitation.Status.PENDING,
            emailed_at__isnull=True,
            token_sealed__isnull=False,
            expires_at__gt=clock.now(),
        ),
        lambda pk: expert_invitation_email_send(invitation_id=pk),
    )
