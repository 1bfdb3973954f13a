from __future__ import annotations

from celery import shared_task

from portal.sweeps import recorded_sweep

from . import publicity, reminders


@shared_task(acks_late=True)
@recorded_sweep
def sweep_publicities() -> int:
    """Advance every application whose publicity has ended without an open objection."""
    return publicity.publicity_sweep()


@shared_task(acks_late=True)
@recorded_sweep
def send_deadline_reminders() -> int:
    return reminders.deadline_reminders()
