"""Certificates follow the bureau's approval of a result filing: right after it, and by the sweep."""

from __future__ import annotations

import datetime as dt

import pytest

from applications.states import State
from certificates import batch_tasks
from certificates.models import Certificate, CertificateBatch
from certificates.tasks import sweep_approved_filings, sweep_unfinished_batches
from committees import services
from committees.models import ResultFiling
from portal import clock
from portal.models import Membership, Role

pytestmark = pytest.mark.django_db


def _filed_and_approved(world, apps, meeting, officer, capture, *, run_hooks: bool):
    filing = services.filing_create(
        committee=world.committee,
        applications=apps,
        actor=world.clerk,
        title="评审结果备案表",
        meeting=meeting,
    )
    with capture(execute=run_hooks):
        services.filing_approve(filing=filing, actor=officer, document_no="衢人社职〔2026〕8号")
    return filing


def _approved_filing(cw, world, frozen_clock, capture, *, run_hooks: bool):
    apps, meeting = cw.results_publicised(2)
    return apps, _filed_and_approved(world, apps, meeting, world.officer, capture, run_hooks=run_hooks)


def test_approval_issues_the_certificates(
    cw, world, frozen_clock, issuer, django_capture_on_commit_callbacks
):
    apps, _ = _approved_filing(cw, world, frozen_clock, django_capture_on_commit_callbacks, run_hooks=True)
    assert Certificate.objects.count() == 2
    for application in apps:
        application.refresh_from_db()
        assert application.state == State.CERTIFIED
    assert sweep_approved_filings() == 0


def test_a_lost_message_is_made_good_by_the_sweep(
    cw,
    world,
    frozen_clock,
    issuer,
    django_capture_on_commit_callbacks,
):
    apps, _ = _approved_filing(cw, world, frozen_clock, django_capture_on_commit_callbacks, run_hooks=False)
    assert Certificate.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_approved_filings() == 1
    assert Certificate.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_approved_filings() == 0
    assert Certificate.objects.count() == 2


def test_the_approval_queues_its_certificates_on_the_certificate_queue(settings, monkeypatch):
    """With CERTIFICATE_TASK_QUEUE set, the batch of an approved filing starts on that queue too."""
    from certificates import tasks
    from committees.services import results

    sent = []
    monkeypatch.setattr(tasks.issue_for_filing, "apply_async", lambda **kwargs: sent.append(kwargs))
    settings.CERTIFICATE_TASK_QUEUE = "certificates"
    results._start_issuance(7)
    settings.CERTIFICATE_TASK_QUEUE = None
    results._start_issuance(8)
    assert sent == [{"args": [7], "queue": "certificates"}, {"args": [8]}]


def test_a_filing_that_cannot_be_issued_is_skipped_and_the_others_are_issued(
    cw, world, frozen_clock, issuer, django_capture_on_commit_callbacks, caplog
):
    apps, meeting = cw.results_publicised(4)
    leaver = world.user("officer-left", Role.OFFICER, world.bureau)
    filings = [
        _filed_and_approved(
            world, part, meeting, officer, django_capture_on_commit_callbacks, run_hooks=False
        )
        for part, officer in ((apps[:2], leaver), (apps[2:], world.officer))
    ]
    # The officer who approved the first filing has since left the bureau: its batch cannot be made.
    Membership.objects.filter(user=leaver).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_approved_filings() == 1
    assert {c.application_id for c in Certificate.objects.all()} == {a.pk for a in apps[2:]}
    assert f"filing {filings[0].pk} not issued" in caplog.text
    # Put right, the next run issues it.
    ResultFiling.objects.filter(pk=filings[0].pk).update(approved_by=world.officer)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_approved_filings() == 1
    assert Certificate.objects.count() == 4


def test_a_batch_made_while_the_broker_is_down_answers_success_and_is_run_by_the_sweep(
    cw, world, frozen_clock, issuer, django_capture_on_commit_callbacks, monkeypatch
):
    apps, filing = _approved_filing(
        cw, world, frozen_clock, django_capture_on_commit_callbacks, run_hooks=False
    )

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    with monkeypatch.context() as m:
        m.setattr(batch_tasks.issue_certificate_batch, "apply_async", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_approved_filings() == 1  # the batch is made; queuing its run failed quietly
    batch = CertificateBatch.objects.get()
    assert batch.issued_at is None and Certificate.objects.count() == 0
    assert sweep_unfinished_batches() == 0  # within the grace time its own message may still come
    frozen_clock.set(clock.now() + dt.timedelta(minutes=11))
    assert sweep_unfinished_batches() == 1
    batch.refresh_from_db()
    assert batch.issued_at is not None and Certificate.objects.count() == len(apps)
    assert sweep_unfinished_batches() == 0
