"""Celery tasks of a batch's run: issue its certificates, then render each certificate's PDF."""

# services.batches queues issue_certificate_batch, so these tasks call only the services below it
# (issuance, rendering); the tasks that call services.batches are in tasks.py. The names are those
# the tasks had in certificates.tasks, which queued messages and docs/certificates.md use.

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from .models import Certificate
from .services.issuance import certificate_batch_run
from .services.rendering import certificate_render, certificate_render_failed

log = logging.getLogger("certificates.tasks")  # the logger these tasks always wrote to
RENDER_RETRIES = 3


def certificate_queue() -> dict:
    """Where certificate work is queued from outside a batch's run (an approval, a sweep)."""
    queue = getattr(settings, "CERTIFICATE_TASK_QUEUE", None)
    return {"queue": queue} if queue else {}


def _same_queue(task) -> dict:
    """Renders go to the queue the batch came from, so a deployment that routes certificate work to
    its own workers (CERTIFICATE_TASK_QUEUE) keeps all of it there."""
    queue = (task.request.delivery_info or {}).get("routing_key")
    return {"queue": queue} if queue and not task.request.is_eager else {}


@shared_task(
    name="certificates.tasks.issue_certificate_batch",
    bind=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def issue_certificate_batch(self, batch_id: str) -> dict:
    """Issue a batch's certificates and queue one render per certificate still without its PDF."""
    route = _same_queue(self)

    def dispatch(certificate_ids: list[str]) -> None:
        for certificate_id in certificate_ids:
            render_certificate_pdf.apply_async(args=[certificate_id], **route)

    return certificate_batch_run(batch_id=batch_id, dispatch=dispatch)


@shared_task(
    name="certificates.tasks.render_certificate_pdf", bind=True, acks_late=True, max_retries=RENDER_RETRIES
)
def render_certificate_pdf(self, certificate_id: str) -> bool:
    # In-process (no broker) a Celery retry propagates instead of running again, so the attempts
    # are made here; with a worker each attempt is a retry with backoff.
    attempts = RENDER_RETRIES + 1 if self.request.is_eager else 1
    failure = None
    for _ in range(attempts):
        try:
            certificate_render(certificate_id=certificate_id)
            return True
        except Certificate.DoesNotExist:
            return False
        except Exception as exc:
            failure = exc
            log.warning("certificate %s render failed: %r", certificate_id, exc)
            certificate_render_failed(certificate_id=certificate_id, error=repr(exc))
    if self.request.is_eager or self.request.retries >= self.max_retries:
        # Left to the bureau's "rerun" and the periodic sweep; the batch page shows the failure.
        log.error(
            "certificate %s not rendered after %s attempts", certificate_id, self.request.retries + attempts
        )
        return False
    raise self.retry(exc=failure, countdown=2**self.request.retries)
