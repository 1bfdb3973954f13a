"""A batch issues in sets: the statements of a run do not grow with its certificates, and each application,
title and item ends as taking its move alone would leave it (history row, chain, holder columns)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications import workflow
from applications.models import Application, TitleHeld
from applications.states import State
from certificates.models import BatchItem, Certificate
from certificates.services.batches import certificate_batch_issue
from certificates.services.issuance import certificate_batch_run
from portal import workflow as records

from .conftest import APPROVAL_DATE, approved

pytestmark = pytest.mark.django_db


def _batch(world, applications):
    return certificate_batch_issue(
        applications=applications,
        approved_by=world.officer,
        approval_doc_no="衢人社职〔2026〕12号",
        approval_date=APPROVAL_DATE,
    )


def test_the_statements_of_a_run_do_not_grow_with_its_certificates(world, issuer):
    first, few, many = approved(world, 1), approved(world, 2, start=1), approved(world, 6, start=3)
    ContentType.objects.get_for_models(BatchItem, Application)  # cached for the process
    certificate_batch_run(batch_id=_batch(world, first).pk)  # the year's number counter made
    counts = []
    for applications in (few, many):
        batch = _batch(world, applications)
        with CaptureQueriesContext(connection) as ctx:
            assert certificate_batch_run(batch_id=batch.pk)["issued"] == len(applications)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert Certificate.objects.count() == TitleHeld.objects.filter(certified=True).count() == 9


def test_each_application_title_and_item_ends_as_one_move_alone_would_leave_it(world, issuer):
    keep, other, drop = approved(world, 3)
    batch = _batch(world, [keep, other, drop])
    workflow.transition(application_id=drop.pk, action="revoke", actor=world.officer, note="经查材料虚假")
    certificate_batch_run(batch_id=batch.pk)

    for application in (keep, other):
        certificate = Certificate.objects.get(application=application)
        application.refresh_from_db()
        assert application.state == State.CERTIFIED
        last = application.events.order_by("-seq").first()
        assert (last.action, last.from_state, last.to_state, last.actor_id, last.actor_role) == (
            "issue_certificate",
            State.APPROVED,
            State.CERTIFIED,
            None,
            "system",
        )
        assert last.note == f"电子证书{certificate.number}" and last.data == {
            "certificate": certificate.number
        }
        assert (application.history_count, application.history_head) == (last.seq, last.hash)
        # The holder columns, as every move places them.
        assert application.receiving_bureau_id == application.plan.receiving_org_id
        assert application.employer_bureau_id == application.recommending_org.parent_bureau_id
        title = certificate.title_held
        assert (title.archive_id, title.certificate_no, title.certified) == (
            application.archive_id,
            certificate.number,
            True,
        )
        item = BatchItem.objects.get(application=application)
        (row,) = records.history(item)
        assert (item.outcome, row.action, row.note, row.actor_id) == (
            "issued",
            "issue",
            certificate.number,
            None,
        )

    skipped = BatchItem.objects.get(application=drop)
    (row,) = records.history(skipped)
    assert skipped.outcome == BatchItem.Outcome.SKIPPED and "已撤销" in skipped.note
    assert (row.action, row.note) == ("skip", skipped.note)
    drop.refresh_from_db()
    assert drop.state == State.REVOKED and not Certificate.objects.filter(application=drop).exists()
    call_command("verify_audit")  # raises CommandError on any broken chain


def test_a_second_run_changes_nothing(world, issuer):
    applications = approved(world, 3)
    batch = _batch(world, applications)
    certificate_batch_run(batch_id=batch.pk)
    events = [a.events.count() for a in Application.objects.order_by("pk")]
    assert certificate_batch_run(batch_id=batch.pk)["issued"] == 0
    assert [a.events.count() for a in Application.objects.order_by("pk")] == events
    assert Certificate.objects.count() == TitleHeld.objects.filter(certified=True).count() == 3
