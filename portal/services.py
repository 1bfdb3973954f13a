from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from . import clock
from .models import Membership, Notification, Organisation
from .queueing import queue_after_commit, queue_now
from .tasks import send_notification_email


def notify(
    *, user, message: str, link: str = "", dedupe_key: str = "", email: bool = True
) -> Notification | None:
    """In-app notification plus an e-mail. With a dedupe key, a repeat is a no-op.

    The notification row, e-mail address included, is written in the caller's transaction: it commits
    with the move it reports or not at all. The e-mail is queued after commit; if the broker is down the
    outbox sweep (portal.tasks.sweep_pending_emails) sends it later, so it is never lost."""
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                user=user,
                message=message,
                link=link,
                dedupe_key=dedupe_key,
                email_to=(user.email or "") if email else "",
            )
    except IntegrityError:
        return None
    if note.email_to:
        queue_after_commit(
            lambda: send_notification_email.delay(note.pk), what=f"e-mail of notification {note.pk}"
        )
    return note


def notify_members(
    *,
    organisation: Organisation | int | Iterable[int] | None,
    role: str,
    message: str,
    link: str = "",
    dedupe_key: str = "",
    email: bool = True,
) -> int:
    """Notify every active member of the organisation (or of each of several, by id) who holds the role.
    Returns how many notifications were written (a repeated dedupe key writes none)."""
    if organisation is None:
        return 0
    if isinstance(organisation, Organisation):
        ids = [organisation.pk]
    elif isinstance(organisation, int):
        ids = [organisation]
    else:
        ids = [pk for pk in organisation if pk is not None]
    members = Membership.objects.filter(organisation_id__in=ids, role=role, is_active=True).select_related(
        "user"
    )
    sent = 0
    for membership in members.order_by("pk"):
        note = notify(user=membership.user, message=message, link=link, dedupe_key=dedupe_key, email=email)
        sent += note is not None
    return sent


def notify_staff(*, notes: Iterable[tuple[int, str, str, str, str]], email: bool = True) -> int:
    """`notify_members` for many organisations at once, in a fixed number of statements: `notes` are
    (organisation id, role, message, link, dedupe key); every active member holding the role gets the
    note (once per key). Returns how many notifications were written."""
    notes = list(notes)
    if not notes:
        return 0
    staff: dict[tuple[int, str], list] = {}
    members = Membership.objects.filter(
        organisation_id__in={n[0] for n in notes}, role__in={n[1] for n in notes}, is_active=True
    ).select_related("user")
    for membership in members.order_by("pk"):
        staff.setdefault((membership.organisation_id, membership.role), []).append(membership.user)
    return notify_many(
        notes=[
            (user, message, link, key)
            for organisation, role, message, link, key in notes
            for user in staff.get((organisation, role), [])
        ],
        email=email,
    )


def notify_many(*, notes: Iterable[tuple], email: bool = True) -> int:
    """`notify` for many people at once, in a fixed number of statements: `notes` are (user, message, link,
    dedupe_key) with a dedupe key each; a user who already has a notification with that key (or appears
    twice with it here) gets none. Returns how many were written. E-mails are queued after commit as
    `notify` queues them (and the outbox sweep sends any whose task is lost)."""
    notes = list(notes)
    if not notes:
        return 0
    keys = {n[3] for n in notes}
    seen = set(
        Notification.objects.filter(user_id__in={n[0].pk for n in notes}, dedupe_key__in=keys).values_list(
            "user_id", "dedupe_key"
        )
    )
    rows = []
    for user, message, link, key in notes:
        if (user.pk, key) not in seen:
            seen.add((user.pk, key))
            email_to = (user.email or "") if email else ""
            rows.append(
                Notification(user=user, message=message, link=link, dedupe_key=key, email_to=email_to)
            )
    try:
        with transaction.atomic():
            written = Notification.objects.bulk_create(rows)
    except IntegrityError:
        # Another run wrote some of them meanwhile: one by one, each repeat a no-op.
        return sum(
            notify(user=r.user, message=r.message, link=r.link, dedupe_key=r.dedupe_key, email=email)
            is not None
            for r in rows
        )
    ids = [n.pk for n in written if n.email_to]

    def queue() -> None:
        for pk in ids:
            queue_now(lambda pk=pk: send_notification_email.delay(pk), what=f"e-mail of notification {pk}")

    if ids:
        transaction.on_commit(queue)
    return len(written)


def notification_mark_read(*, user, pk: int | None = None) -> int:

    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=clock.now())
