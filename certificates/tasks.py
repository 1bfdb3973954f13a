"""Celery tasks: take ids, call one service, own their retries, safe to run twice.

The batch's own tasks (issue_certificate_batch, render_certificate_pdf) are in batch_tasks, which
services.batches imports to queue them; importing this module registers them too.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.db.models import Exists, OuterRef, Q

from applications.models import Application
from committees.models import FilingEntry, ResultFiling
from portal import clock
from portal.sweeps import recorded_sweep

from .batch_tasks import certificate_queue, issue_certificate_batch, render_certificate_pdf
from .models import BatchItem, Certificate, CertificateBatch
from .services.batches import certificates_issue_for_filing
from .services.review_forms import review_form_render, review_forms_due

log = logging.getLogger(__name__)


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
        render_certificate_pdf.apply_async(args=[certificate_id], **certificate_queue())
    return len(ids)


@shared_task(acks_late=True)
def issue_for_filing(filing_id: int) -> str | None:
    """Certificates for one approved result filing (idempotent)."""
    filing = ResultFiling.objects.filter(pk=filing_id).first()
    if filing is None:
        return None
    batch = certificates_issue_for_filing(filing=filing)
    return str(batch.pk) if batch else None


@shared_task(acks_late=True)
@recorded_sweep
def sweep_approved_filings() -> int:
    """Approved filings whose applications still wait for certificates: a lost message only delays them.
    A filing that cannot be issued (no issuer configured, a key that cannot be read) is reported and
    skipped: it never holds up the filings after it, and it is tried again on the next run."""
    unissued = FilingEntry.objects.filter(filing=OuterRef("pk"), application__state="approved").exclude(
        application__in=BatchItem.objects.values("application")
    )
    waiting = ResultFiling.objects.filter(Exists(unissued), status=ResultFiling.Status.APPROVED).values_list(
        "pk", flat=True
    )
    issued = 0
    for pk in list(waiting):
        try:
            issued += certificates_issue_for_filing(filing=ResultFiling.objects.get(pk=pk)) is not None
        except Exception:  # noqa: BLE001  (reported in the log and retried next run; the others go on)
            log.exception("certificates of result filing %s not issued; retried on the next run", pk)
    return issued


# A batch left this long without finishing its issue (its message lost, the broker down when it was
# made, its worker killed) is queued again; running a batch twice issues nothing twice.
BATCH_GRACE = dt.timedelta(minutes=10)


@shared_task(acks_late=True)
@recorded_sweep
def sweep_unfinished_batches() -> int:
    """Queue again every batch whose certificates are not all issued and rendered after the grace time."""
    cutoff = clock.now() - BATCH_GRACE
    ids = [
        str(pk)
        for pk in CertificateBatch.objects.filter(created_at__lte=cutoff)
        .filter(Q(issued_at__isnull=True) | Q(completed_at__isnull=True))
        .values_list("pk", flat=True)
    ]
    for batch_id in ids:
        issue_certificate_batch.apply_async(args=[batch_id], **certificate_queue())
    return len(ids)


@shared_task(acks_late=True, autoretry_for=(OSError,), max_retries=3, default_retry_delay=60)
def render_review_form(application_id: str) -> bool:
    """The 评审表 of one application, stored once (idempotent); False when the application is gone."""
    application = (
        Application.objects.select_related("archive", "plan", "qualification", "specialty", "sub_specialty")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return False
    review_form_render(application=application)
    return True


@shared_task(acks_late=True)
@recorded_sweep
def sweep_review_forms() -> int:
    """Periodic: render the 评审表 of every application past the qualification check that has none made
    from its last submission (the sweep is how a form gets made: no page renders one)."""
    ids = [str(pk) for pk in review_forms_due().values_list("pk", flat=True)]
    for application_id in ids:
        render_review_form.apply_async(args=[application_id], **certificate_queue())
    return len(ids)
