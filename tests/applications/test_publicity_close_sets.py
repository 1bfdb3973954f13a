"""Finished publicities close in sets: a bounded number of statements however many notices end together,
each closed once with its summary and its history row, its publisher told once, and a notice that still
holds a pending entry left open even when it was read as finished a moment before."""

from __future__ import annotations

import datetime as dt
import threading
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications import publicity, publicity_close
from applications.models import PublicityEntry, PublicityNotice
from applications.publicity_sweep import settle_due
from portal import workflow as records
from portal.models import Notification, RecordEvent

pytestmark = pytest.mark.django_db

_serial = iter(range(900, 1200))


def _notices(world, n: int, posted_on: dt.date | None = None) -> list[PublicityNotice]:
    """n notices of one application each, all posted the same day (so they end together)."""
    notices = []
    for _ in range(n):
        serial = next(_serial)
        user = world.user(f"close{serial}", "applicant", world.employer)
        notices.append(world.publicised([world.submitted(user, serial=serial)], posted_on=posted_on))
    return notices


def _ended(world) -> Notification:
    return Notification.objects.filter(user=world.hr, dedupe_key__startswith="publicity-ended-")


def test_the_statements_do_not_grow_with_the_notices_closed(world, frozen_clock):
    few = _notices(world, 2)
    many = _notices(world, 7, posted_on=dt.date(2026, 6, 8))
    ContentType.objects.get_for_models(PublicityEntry, PublicityNotice)  # cached for the process
    counts = []
    for notices in (few, many):
        frozen_clock.set(notices[0].ends_at)
        settle_due(now=frozen_clock.now())
        with CaptureQueriesContext(connection) as ctx:
            assert publicity_close.close_finished_notices(frozen_clock.now()) == len(notices)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert PublicityNotice.objects.filter(status=PublicityNotice.Status.CLOSED).count() == 9
    # Each publisher's staff told once per publicity.
    assert _ended(world).count() == 9
    assert {n.dedupe_key for n in _ended(world)} == {f"publicity-ended-{n.pk}" for n in few + many}


def test_batches_close_every_notice_once_with_its_history_row(world, frozen_clock):
    notices = _notices(world, 5)
    frozen_clock.set(notices[0].ends_at)
    settle_due(now=frozen_clock.now())
    assert publicity_close.close_finished_notices(frozen_clock.now(), batch_size=2) == 5
    assert publicity_close.close_finished_notices(frozen_clock.now(), batch_size=2) == 0
    for notice in notices:
        notice.refresh_from_db()
        assert notice.status == PublicityNotice.Status.CLOSED and notice.closed_at == frozen_clock.now()
        (row,) = records.history(notice)
        assert (row.action, row.from_status, row.to_status, row.actor_id, row.actor_role) == (
            "close",
            "open",
            "closed",
            None,
            records.SYSTEM,
        )
        assert "公示对象1人，期满无异议或异议不成立1人，异议成立0人。" in notice.result_summary
    assert _ended(world).count() == 5


def test_the_summary_lists_each_objection_and_its_outcome(world, frozen_clock):
    (notice,) = _notices(world, 1)
    entry = notice.entries.get()
    objection = publicity.objection_lodge(
        entry=entry, name="王某", contact="13812345678", reason="该申报人所填项目并非其主持完成。"
    )
    frozen_clock.set(notice.ends_at)
    publicity.objection_resolve(objection=objection, actor=world.hr, upheld=False, reason="经核实项目属实。")
    notice.refresh_from_db()
    name = entry.public_fields["name"]
    assert notice.status == PublicityNotice.Status.CLOSED
    assert notice.result_summary.splitlines()[1:] == [
        "公示对象1人，期满无异议或异议不成立1人，异议成立0人。",
        "收到异议1件。",
        f"对{name}的异议：异议不成立，经核实项目属实。",
    ]


def test_a_notice_read_as_finished_but_holding_a_pending_entry_stays_open(world, frozen_clock, monkeypatch):
    held, done = _notices(world, 2)
    publicity.objection_lodge(
        entry=held.entries.get(), name="王某", contact="13812345678", reason="该申报人业绩材料不实。"
    )
    frozen_clock.set(held.ends_at)
    settle_due(now=frozen_clock.now())
    # The list of candidates was read before the entry became pending again: only the check under the
    # lock stands between the notice and a premature close.
    monkeypatch.setattr(
        publicity_close,
        "finished_notices",
        lambda now: PublicityNotice.objects.filter(status=PublicityNotice.Status.OPEN, ends_at__lte=now),
    )
    assert publicity_close.close_finished_notices(frozen_clock.now()) == 1
    held.refresh_from_db()
    done.refresh_from_db()
    assert held.status == PublicityNotice.Status.OPEN and held.closed_at is None and not held.result_summary
    assert done.status == PublicityNotice.Status.CLOSED
    assert not RecordEvent.objects.filter(object_id=str(held.pk)).exists()
    assert not Notification.objects.filter(dedupe_key=f"publicity-ended-{held.pk}").exists()


def test_a_close_killed_before_its_last_statement_leaves_the_batch_open_for_the_next_run(world, frozen_clock):
    notices = _notices(world, 3)
    frozen_clock.set(notices[0].ends_at)
    settle_due(now=frozen_clock.now())

    def killed(**kwargs):
        raise RuntimeError("killed")

    with mock.patch.object(publicity_close, "notify_staff", killed), pytest.raises(RuntimeError):
        publicity_close.close_finished_notices(frozen_clock.now())
    assert PublicityNotice.objects.filter(status=PublicityNotice.Status.OPEN).count() == 3
    assert not RecordEvent.objects.filter(action="close").exists()

    assert publicity_close.close_finished_notices(frozen_clock.now()) == 3
    assert RecordEvent.objects.filter(action="close").count() == 3
    assert _ended(world).count() == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_close_each_notice_once(world, frozen_clock):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    notices = _notices(world, 6)
    frozen_clock.set(notices[0].ends_at)
    settle_due(now=frozen_clock.now())
    closed, errors = [], []

    def run():
        try:
            closed.append(publicity_close.close_finished_notices(frozen_clock.now(), batch_size=2))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sum(closed) == 6
    assert RecordEvent.objects.filter(action="close").count() == 6
    assert _ended(world).count() == 6
