"""Issuance through a real Celery worker on Redis and PostgreSQL (skipped without them)."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from applications.models import ApplicationEvent
from applications.states import State
from certificates.batch_tasks import issue_certificate_batch
from certificates.models import Certificate, CertificateBatch
from certificates.services.batches import certificate_batch_issue

from .conftest import APPROVAL_DATE, approved

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_until_complete(batch, timeout=120) -> CertificateBatch:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.completed_at is not None:
            return batch
        time.sleep(0.3)
    raise AssertionError(f"batch not complete after {timeout}s: {batch.certificates.count()} issued")


def test_a_batch_is_issued_and_rendered_by_the_worker(world, issuer, celery_worker_process):
    apps = approved(world, 3)
    celery_worker_process.start()
    batch = certificate_batch_issue(
        applications=apps,
        approved_by=world.officer,
        approval_doc_no="衢人社职〔2026〕12号",
        approval_date=APPROVAL_DATE,
    )
    wait_until_complete(batch)
    certificates = list(Certificate.objects.filter(batch=batch).order_by("number"))
    assert [c.number[-6:] for c in certificates] == ["000001", "000002", "000003"]
    for certificate in certificates:
        text = PdfReader(io.BytesIO(certificate.pdf.open("rb").read())).pages[0].extract_text()
        assert certificate.number in "".join(text.split())
    for application in apps:
        application.refresh_from_db()
        assert application.state == State.CERTIFIED
    # Run again through the worker: nothing is issued twice.
    result = issue_certificate_batch.apply_async(
        args=[str(batch.pk)], queue=celery_worker_process.queue, ignore_result=False
    )
    assert result.get(timeout=60, disable_sync_subtasks=False) == {"issued": 0, "queued_renders": 0}
    assert ApplicationEvent.objects.filter(action="issue_certificate").count() == 3
    call_command("verify_audit")


def test_a_killed_worker_loses_no_batch_and_issues_each_once(world, issuer, celery_worker_process):
    apps = approved(world, 2)
    worker = celery_worker_process
    worker.start()
    worker.kill()  # dies before the batch reaches it
    batch = certificate_batch_issue(
        applications=apps,
        approved_by=world.officer,
        approval_doc_no="衢人社职〔2026〕12号",
        approval_date=APPROVAL_DATE,
    )
    issue_certificate_batch.apply_async(args=[str(batch.pk)], queue=worker.queue)  # a duplicate message
    worker.start()  # the queued messages wait in Redis for the restarted worker
    wait_until_complete(batch)
    time.sleep(1)  # let the duplicate run too
    assert Certificate.objects.filter(batch=batch).count() == 2
    assert ApplicationEvent.objects.filter(action="issue_certificate").count() == 2
    assert all(c.is_rendered for c in Certificate.objects.filter(batch=batch))
