"""Celery tasks of the committees: the expert invitations' e-mail and its outbox sweep."""

from __future__ import annotations

import datetime as dt
import smtplib

from celery import shared_task

from portal import clock
from portal.sweeps import recorded_sweep

from .invitation_mail import expert_invitation_email_send
from .models import ExpertInvitation

# An invitation is left to its own task for this long before the sweep sends it.
OUTBOX_GRACE = dt.timedelta(minutes=2)
OUTBOX_BATCH = 200


@shared_task(autoretry_for=(OSError, smtplib.SMTPException), retry_backoff=True, max_retries=5)
def send_expert_invitation(invitation_id: int) -> bool:
    return expert_invitation_email_send(invitation_id=invitation_id)


@shared_task(acks_late=True)
@recorded_sweep
def sweep_expert_invitations() -> int:
    """Send the invitations whose task was lost or failed (broker or mail server down)."""
    due = (
        ExpertInvitation.objects.filter(
            status=ExpertInvitation.Status.PENDING,
            emailed_at__isnull=True,
            token_sealed__isnull=False,
            created_at__lte=clock.now() - OUTBOX_GRACE,
            expires_at__gt=clock.now(),
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:OUTBOX_BATCH]
    )
    sent = 0
    for pk in list(due):
        try:
            sent += expert_invitation_email_send(invitation_id=pk)
        except (OSError, smtplib.SMTPException):
            break  # the mail server is down: the next run tries again
    return sent
