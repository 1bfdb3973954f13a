"""E-mail of the notifications: one task per notice, and the outbox sweep that sends what a broker or
mail server that was down left unsent."""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Callable

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from . import clock
from .models import Notification, SecurityEvent
from .sweeps import recorded_sweep

# A notice is left to its own task for this long before the sweep sends it.
OUTBOX_GRACE = dt.timedelta(minutes=2)
OUTBOX_BATCH = 500


def notification_email_send(*, notification_id: int) -> bool:
    """Send one notification's e-mail unless it has been sent. The row is locked while sending, so a
    task and the sweep never send it twice; a crash between sending and recording may repeat it once."""
    with transaction.atomic():
        note = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, emailed_at__isnull=True)
            .exclude(email_to="")
            .first()
        )
        if note is None:
            return False
        body = note.message
        if note.link:
            body += "\n\n" + settings.PORTAL_BASE_URL.rstrip("/") + note.link
        send_mail(
            subject=f"【职称申报评审服务平台】{note.message[:40]}",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[note.email_to],
        )
        Notification.objects.filter(pk=note.pk).update(emailed_at=clock.now())
    return True


@shared_task(autoretry_for=(OSError, smtplib.SMTPException), retry_backoff=True, max_retries=5)
def send_notification_email(notification_id: int) -> bool:
    return notification_email_send(notification_id=notification_id)


@shared_task(acks_late=True)
@recorded_sweep
def sweep_pending_emails() -> int:
    """Send the e-mails whose task was lost or failed (broker or mail server down)."""
    return send_outbox(
        Notification.objects.filter(emailed_at__isnull=True).exclude(email_to=""),
        lambda pk: notification_email_send(notification_id=pk),
    )


def send_outbox(unsent, send: Callable[[int], int]) -> int:
    """One outbox sweep: the unsent rows (a queryset with `created_at`) older than OUTBOX_GRACE, oldest
    first and at most OUTBOX_BATCH, each sent by `send(pk)` (which is idempotent: a row sent meanwhile
    by its own task counts nothing); a mail server that is down ends the run, and the next one retries."""
    due = unsent.filter(created_at__lte=clock.now() - OUTBOX_GRACE).order_by("created_at")
    sent = 0
    for pk in list(due.values_list("pk", flat=True)[:OUTBOX_BATCH]):
        try:
            sent += send(pk)
        except (OSError, smtplib.SMTPException):
            break
    return sent


@shared_task(acks_late=True)
@recorded_sweep
def sweep_security_log() -> int:
    """Retention: remove security-log rows older than SECURITY_LOG_RETENTION_DAYS (at least 180 days,
    GB/T 22239-2019 8.1.4.3: audit records kept six months or more). The only deletion of the log."""
    days = max(int(getattr(settings, "SECURITY_LOG_RETENTION_DAYS", 365)), 180)
    cutoff = clock.now() - dt.timedelta(days=days)  # the log's own times are the portal's (clock.stamp)
    deleted, _ = SecurityEvent.objects.filter(at__lt=cutoff).delete()
    return deleted
