from __future__ import annotations

from celery import shared_task

from portal.sweeps import recorded_sweep

from . import checkpoints, publicity, reminders


@shared_task(acks_late=True)
@recorded_sweep
def sweep_publicities() -> int:
    """Advance every application whose publicity has ended without an open objection."""
    return publicity.publicity_sweep()


@shared_task(acks_late=True)
@recorded_sweep
def send_deadline_reminders() -> int:
    return reminders.deadline_reminders()


@shared_task(acks_late=True)
@recorded_sweep
def checkpoint_audit_chains() -> str:
    """Record and sign every application's chain head (daily): applications/checkpoints.py."""
    return str(checkpoints.take_checkpoint())
