from __future__ import annotations

from django.db import IntegrityError, transaction

from . import clock
from .models import Notification
from .tasks import send_email_task


def notify(
    *, user, message: str, link: str = "", dedupe_key: str = "", email: bool = True
) -> Notification | None:
    """In-app notification plus an e-mail after commit. With a dedupe key, a repeat is a no-op."""
    try:
        with transaction.atomic():
            note = Notification.objects.create(user=user, message=message, link=link, dedupe_key=dedupe_key)
    except IntegrityError:
        return None
    if email and user.email:
        transaction.on_commit(lambda: send_email_task.delay(user.email, message, link))
    return note


def notification_mark_read(*, user, pk: int | None = None) -> int:

    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=clock.now())
