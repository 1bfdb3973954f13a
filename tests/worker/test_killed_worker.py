"""A worker killed with SIGKILL in the middle of its work, on PostgreSQL and Redis: once a new worker
has started and the beat's sweeps have run, every certificate of the batch is issued and rendered once
and every publicity entry is settled once."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count

from applications.models import Application, ApplicationEvent, PublicityEntry, PublicityNotice
from applications.states import State
from applications.tasks import sweep_publicities
from certificates.models import Certificate, CertificateBatch, StatusChange
from certificates.services.batches import certificate_batch_issue
from certificates.tasks import (
    BATCH_GRACE,
    sweep_approved_filings,
    sweep_certificate_renders,
    sweep_unfinished_batches,
)
from portal.models import Notification, RecordEvent
from portal.workflow import history
from tests.certificates.conftest import APPROVAL_DATE, approved

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# The killed worker's message comes back after this many seconds (300 in production).
FAST_REDELIVERY = {"CELERY_VISIBILITY_TIMEOUT": "4", "CELERY_UNACKED_RESTORE_SECONDS": "1"}


def wait_for(condition, what: str, timeout: float = 90, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not within {timeout} s: {what}")


def run_the_beat(frozen_clock, *sweeps) -> list:
    """The sweeps as beat runs them one interval later: the test's clock is set past their grace
    times on the real clock the worker keeps (the work they queue goes to the test worker's queue)."""
    frozen_clock.set(dt.datetime.now(dt.UTC) + BATCH_GRACE + dt.timedelta(minutes=1))
    return [sweep() for sweep in sweeps]


@pytest.mark.usefixtures("issuer")
def test_a_worker_killed_mid_batch_leaves_every_certificate_rendered_once(
    world, celery_worker_process, frozen_clock, settings
):
    apps = approved(world, 30)
    worker = celery_worker_process
    worker.env.update(FAST_REDELIVERY)
    worker.start()
    batch = certificate_batch_issue(
        applications=apps,
        approved_by=world.officer,
        approval_doc_no="衢人社职〔2026〕12号",
        approval_date=APPROVAL_DATE,
    )
    rendered = Certificate.objects.filter(batch=batch, pdf_rendered_at__isnull=False)
    wait_for(lambda: rendered.count() >= 3, "three certificates rendered")
    worker.kill()
    at_kill = rendered.count()
    assert at_kill < len(apps), "the worker finished before it was killed: nothing was tested"

    worker.start()  # the killed render's message comes back to it within seconds, not an hour
    wait_for(
        lambda: CertificateBatch.objects.filter(pk=batch.pk, completed_at__isnull=False).exists(),
        "the batch completed after the restart",
    )
    # The beat's next runs find nothing left to do.
    sweeps = (sweep_approved_filings, sweep_unfinished_batches, sweep_certificate_renders)
    assert run_the_beat(frozen_clock, *sweeps) == [0, 0, 0]
    worker.stop()

    certificates = list(Certificate.objects.filter(batch=batch))
    numbers = sorted(c.number for c in certificates)
    assert len(certificates) == len(apps) and len(set(numbers)) == len(apps)
    assert [int(n[-6:]) for n in numbers] == list(range(1, len(apps) + 1))  # no gap, no repeat
    files = sorted(p.name for p in (settings.PRIVATE_MEDIA_ROOT / "certificates").rglob("*") if p.is_file())
    assert files == [f"{n}.pdf" for n in numbers]  # one file each, none left over by the killed render
    assert all(c.pdf_sha256 and c.pdf.name.endswith(f"{c.number}.pdf") for c in certificates)
    assert ApplicationEvent.objects.filter(action="issue_certificate").count() == len(apps)
    assert StatusChange.objects.filter(certificate__batch=batch).count() == len(apps)
    ready = Notification.objects.filter(dedupe_key__startswith="certificate-ready:")
    assert ready.count() == len(apps)
    assert Application.objects.filter(pk__in=[a.pk for a in apps], state=State.CERTIFIED).count() == len(apps)
    call_command("verify_audit")


def _in_publicity(world, n: int) -> list[Application]:
    apps = [world.submitted()]
    for i in range(1, n):
        apps.append(world.submitted(world.user(f"pub{i}", "applicant", world.employer), serial=500 + i))
    # Published on the frozen date (June 2026): by the worker's real clock the period is long over.
    world.publicised(apps)
    return apps


def test_a_worker_killed_mid_sweep_settles_every_publicity_once(world, celery_worker_process, frozen_clock):
    apps = _in_publicity(world, 40)
    notices_before = set(Notification.objects.values_list("pk", flat=True))
    worker = celery_worker_process
    # One entry per transaction, so that the kill falls between committed batches and the rest is left.
    worker.env.update(FAST_REDELIVERY, PUBLICITY_SWEEP_BATCH="1")
    worker.start()
    sweep_publicities.apply_async(queue=worker.queue)
    ended = ApplicationEvent.objects.filter(action="employer_publicity_end")
    wait_for(lambda: ended.exists(), "the sweep under way", every=0.01)
    worker.kill()
    at_kill = ended.count()
    assert at_kill < len(apps), "the sweep finished before the worker was killed: nothing was tested"

    worker.start()  # the killed sweep's message comes back to it and settles the rest
    wait_for(lambda: ended.count() == len(apps), "every publicity ended after the restart")
    frozen_clock.set(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5))
    assert sweep_publicities() == 0  # the beat's next run finds nothing left

    assert Application.objects.filter(state=State.EMPLOYER_PUBLICITY_DONE).count() == len(apps)
    per_application = Counter(ended.values_list("application_id", flat=True))
    assert set(per_application.values()) == {1}
    assert not PublicityEntry.objects.filter(outcome=PublicityEntry.Outcome.PENDING).exists()
    (notice,) = PublicityNotice.objects.all()
    assert notice.status == PublicityNotice.Status.CLOSED
    assert history(notice).filter(action="close").count() == 1
    settled = RecordEvent.objects.filter(
        action="pass", object_id__in=[str(e.pk) for e in notice.entries.all()]
    )
    assert settled.count() == len(apps)
    doubled = (
        Notification.objects.exclude(pk__in=notices_before)
        .values("user", "message", "link")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not doubled.exists()
    call_command("verify_audit")
