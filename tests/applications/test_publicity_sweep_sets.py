"""The publicity sweep settles due entries in sets: a bounded number of statements per batch, the same
result as settling each entry alone, nothing doubled by a second or an interrupted run."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications import publicity, publicity_sweep, workflow
from applications.models import Application, ApplicationEvent, PublicityEntry, PublicityNotice
from applications.states import State
from portal import bulk
from portal import workflow as records
from portal.models import Notification, RecordEvent

pytestmark = pytest.mark.django_db

_serial = iter(range(500, 900))


def _applications(world, n: int) -> list[Application]:
    apps = []
    for _ in range(n):
        serial = next(_serial)
        user = world.user(f"sweep{serial}", "applicant", world.employer)
        apps.append(world.submitted(user, serial=serial))
    return apps


def _objected(world, entry: PublicityEntry, *, upheld: bool | None, frozen_clock) -> None:
    """An objection during the period: dismissed (the note says 异议不成立), or the application moved on
    without the entry (upheld=None: the case of an entry the sweep withdraws)."""
    if upheld is None:
        workflow.transition(application_id=entry.application_id, action="objection_upheld", note="另案处理")
        return
    objection = publicity.objection_lodge(
        entry=entry, name="王某", contact="13812345678", reason="该申报人所填项目并非其主持完成。"
    )
    publicity.objection_resolve(objection=objection, actor=world.hr, upheld=upheld, reason="经核实项目属实。")


def _outcome(entry: PublicityEntry) -> tuple:
    """What settling an entry left: the application's state and last history row, the entry's outcome and
    its own history row (the notice's id taken out: the two notices compared are different rows)."""
    entry.refresh_from_db()
    application = Application.objects.get(pk=entry.application_id)
    last = application.events.order_by("-seq").first()
    data = {k: ("<notice>" if v == str(entry.notice_id) else v) for k, v in last.data.items()}
    record = records.history(entry).last()
    return (
        application.state,
        (last.action, last.from_state, last.to_state, last.actor_id, last.actor_role, last.note, data),
        entry.outcome,
        (
            record.action,
            record.from_status,
            record.to_status,
            record.actor_id,
            record.actor_role,
            record.note,
        ),
    )


def test_the_sweep_gives_what_settling_each_entry_alone_gives(world, frozen_clock):
    # Two notices with the same title and the same cases: a plain entry, one whose objection was
    # dismissed, one whose application left the publicity meanwhile.
    alone, in_sets = world.publicised(_applications(world, 3)), world.publicised(_applications(world, 3))
    for notice in (alone, in_sets):
        entries = list(notice.entries.order_by("pk"))
        _objected(world, entries[1], upheld=False, frozen_clock=frozen_clock)
        _objected(world, entries[2], upheld=None, frozen_clock=frozen_clock)
    frozen_clock.set(alone.ends_at)
    # Of the entries' own (the publishers are told once per notice when it closes, whichever path).
    of_entries = Notification.objects.exclude(dedupe_key__startswith="publicity-ended-")
    notifications = of_entries.count()
    for entry in alone.entries.order_by("pk"):
        assert publicity._settle(entry.pk, now=frozen_clock.now())
    by_one = of_entries.count() - notifications

    assert publicity.publicity_sweep() == 3
    assert of_entries.count() - notifications - by_one == by_one
    expected = [_outcome(e) for e in alone.entries.order_by("pk")]
    assert [_outcome(e) for e in in_sets.entries.order_by("pk")] == expected
    assert [o[2] for o in expected] == ["passed", "passed", "withdrawn"]
    assert "异议不成立：经核实项目属实" in expected[1][1][5]
    call_command("verify_audit")  # raises CommandError on any broken chain


def test_the_statements_do_not_grow_with_the_due_entries(world, frozen_clock):
    few = world.publicised(_applications(world, 5))
    many = world.publicised(_applications(world, 50), posted_on=dt.date(2026, 6, 8))
    ContentType.objects.get_for_models(PublicityEntry, PublicityNotice)  # cached for the process
    counts = []
    for notice, n in ((few, 5), (many, 50)):
        frozen_clock.set(notice.ends_at)
        with CaptureQueriesContext(connection) as ctx:
            assert publicity.publicity_sweep() == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[1] < 50
    assert Application.objects.filter(state=State.EMPLOYER_PUBLICITY_DONE).count() == 55


def _row_counts() -> tuple[int, int, int]:
    return ApplicationEvent.objects.count(), RecordEvent.objects.count(), Notification.objects.count()


def test_a_second_run_changes_nothing(world, frozen_clock):
    notice = world.publicised(_applications(world, 4))
    frozen_clock.set(notice.ends_at)
    assert publicity.publicity_sweep() == 4
    rows = (ApplicationEvent.objects.count(), RecordEvent.objects.count(), Notification.objects.count())
    assert publicity.publicity_sweep() == 0
    assert (
        ApplicationEvent.objects.count(),
        RecordEvent.objects.count(),
        Notification.objects.count(),
    ) == rows
    notice.refresh_from_db()
    assert notice.status == PublicityNotice.Status.CLOSED


def test_a_run_killed_in_a_batch_leaves_it_whole_and_the_next_run_finishes(world, frozen_clock):
    apps = _applications(world, 5)
    notice = world.publicised(apps)
    frozen_clock.set(notice.ends_at)
    # One batch of two commits; the next one dies before its last statement and leaves nothing.
    assert publicity_sweep.settle_batch(now=frozen_clock.now(), limit=2) == 2
    insert_rows = bulk.insert_rows

    def killed_at_the_last_statement(model, *args, **kwargs):
        if model is RecordEvent:
            raise RuntimeError("killed")
        return insert_rows(model, *args, **kwargs)

    with mock.patch.object(bulk, "insert_rows", killed_at_the_last_statement), pytest.raises(RuntimeError):
        publicity_sweep.settle_batch(now=frozen_clock.now(), limit=2)
    assert notice.entries.filter(outcome=PublicityEntry.Outcome.PENDING).count() == 3
    assert ApplicationEvent.objects.filter(action="employer_publicity_end").count() == 2

    assert publicity.publicity_sweep() == 3
    for application in apps:
        assert application.events.filter(action="employer_publicity_end").count() == 1
    assert not notice.entries.filter(outcome=PublicityEntry.Outcome.PENDING).exists()
    call_command("verify_audit")


def test_an_open_objection_holds_its_entry_and_not_the_others(world, frozen_clock):
    notice = world.publicised(_applications(world, 3))
    held = notice.entries.order_by("pk").first()
    publicity.objection_lodge(entry=held, name="王某", contact="13812345678", reason="该申报人业绩材料不实。")
    frozen_clock.set(notice.ends_at)
    assert publicity.publicity_sweep() == 2
    held.refresh_from_db()
    assert held.outcome == PublicityEntry.Outcome.PENDING
    assert Application.objects.get(pk=held.application_id).state == State.EMPLOYER_PUBLICITY
