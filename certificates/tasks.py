"""Celery tasks: take ids, call one service, own their retries, safe to run twice."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task

from portal import clock
from portal.sweeps import recorded_sweep

from . import services
from .models import Certificate

log = logging.getLogger(__name__)
RENDER_RETRIES = 3


def _same_queue(task) -> dict:
    """Renders go to the queue the batch came from, so a deployment that routes certificate work to
    its own workers (CERTIFICATE_TASK_QUEUE) keeps all of it there."""
    queue = (task.request.delivery_info or {}).get("routing_key")
    return {"queue": queue} if queue and not task.request.is_eager else {}


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def issue_certificate_batch(self, batch_id: str) -> dict:
    """Issue a batch's certificates and queue one render per certificate still without its PDF."""
    route = _same_queue(self)

    def dispatch(certificate_ids: list[str]) -> None:
        for certificate_id in certificate_ids:
            render_certificate_pdf.apply_async(args=[certificate_id], **route)

    return services.certificate_batch_run(batch_id=batch_id, dispatch=dispatch)


@shared_task(bind=True, acks_late=True, max_retries=RENDER_RETRIES)
def render_certificate_pdf(self, certificate_id: str) -> bool:
    # In-process (no broker) a Celery retry propagates instead of running again, so the attempts
    # are made here; with a worker each attempt is a retry with backoff.
    attempts = RENDER_RETRIES + 1 if self.request.is_eager else 1
    failure = None
    for _ in range(attempts):
        try:
            services.certificate_render(certificate_id=certificate_id)
            return True
        except Certificate.DoesNotExist:
            return False
        except Exception as exc:
            failure = exc
            log.warning("certificate %s render failed: %r", certificate_id, exc)
            services.certificate_render_failed(certificate_id=certificate_id, error=repr(exc))
    if self.request.is_eager or self.request.retries >= self.max_retries:
        # Left to the bureau's "rerun" and the periodic sweep; the batch page shows the failure.
        log.error(
            "certificate %s not rendered after %s attempts", certificate_id, self.request.retries + attempts
        )
        return False
    raise self.retry(exc=failure, countdown=2**self.request.retries)


@shared_task(acks_late=True)
@recorded_sweep
def sweep_certificate_renders(older_than_seconds: int = 600) -> int:
    """Periodic: queue again the renders a lost message or an exhausted retry left undone."""
    cutoff = clock.now() - dt.timedelta(seconds=older_than_seconds)
    ids = [
        str(pk)
        for pk in Certificate.objects.filter(pdf_rendered_at__isnull=True, issued_at__lte=cutoff).values_list(
            "pk", flat=True
        )
    ]
    for certificate_id in ids:
        render_certificate_pdf.delay(certificate_id)
    return len(ids)


@shared_task(acks_late=True)
def issue_for_filing(filing_id: int) -> str | None:
    """Certificates for one approved result filing (idempotent)."""
    from committees.models import ResultFiling

    filing = ResultFiling.objects.filter(pk=filing_id).first()
    if filing is None:
        return None
    batch = services.certificates_issue_for_filing(filing=filing)
    return str(batch.pk) if batch else None


@shared_task(acks_late=True)
@recorded_sweep
def sweep_approved_filings() -> int:
    """Approved filings whose applications still wait for certificates: a lost message only delays them."""
    from django.db.models import Exists, OuterRef

    from committees.models import FilingEntry, ResultFiling

    from .models import BatchItem

    unissued = FilingEntry.objects.filter(filing=OuterRef("pk"), application__state="approved").exclude(
        application__in=BatchItem.objects.values("application")
    )
    waiting = ResultFiling.objects.filter(Exists(unissued), status=ResultFiling.Status.APPROVED).values_list(
        "pk", flat=True
    )
    return sum(
        1
        for pk in list(waiting)
        if services.certificates_issue_for_filing(filing=ResultFiling.objects.get(pk=pk))
    )
