"""A publicity's records move through their tables (applications.publicity_workflow): the sweep's moves
are recorded as system moves, an objection's resolution names the person who investigated it."""

from __future__ import annotations

import pytest

from applications import publicity
from applications.exceptions import InvalidTransition, PermissionDenied
from applications.models import Objection, PublicityEntry, PublicityNotice
from applications.publicity_workflow import NOTICE, OBJECTION
from portal.workflow import history

pytestmark = pytest.mark.django_db


def _moves(record) -> list[tuple]:
    return [(e.action, e.from_status, e.to_status, e.actor, e.actor_role) for e in history(record)]


def _lodge(entry) -> Objection:
    return publicity.objection_lodge(
        entry=entry, name="王某", contact="13812345678", reason="该申报人所填项目并非其主持完成，无其姓名。"
    )


def test_the_sweep_settles_and_closes_as_system_moves(world, frozen_clock):
    notice = world.publicised([world.submitted()])
    frozen_clock.set(notice.ends_at)
    publicity.publicity_sweep()
    publicity.publicity_sweep()
    entry = notice.entries.get()
    assert _moves(entry) == [("pass", "pending", "passed", None, "system")]
    notice.refresh_from_db()
    assert notice.status == PublicityNotice.Status.CLOSED
    assert _moves(notice) == [("close", "open", "closed", None, "system")]


def test_a_notice_with_an_unsettled_entry_does_not_close(world):
    notice = world.publicised([world.submitted()])
    with pytest.raises(InvalidTransition, match="尚未全部办结"):
        NOTICE.take(notice, "close", actor=None)
    notice.refresh_from_db()
    assert notice.status == PublicityNotice.Status.OPEN and not _moves(notice)


def test_a_dismissal_is_recorded_once_with_the_investigator(world, frozen_clock):
    notice = world.publicised([world.submitted()])
    objection = _lodge(notice.entries.get())
    with pytest.raises(PermissionDenied):
        publicity.objection_resolve(objection=objection, actor=world.other_hr, upheld=False, reason="不成立")
    with pytest.raises(PermissionDenied):  # the table checks the actor too, whoever calls it
        OBJECTION.take(objection, "dismiss", actor=world.other_hr)
    objection.refresh_from_db()
    assert objection.status == Objection.Status.OPEN and not _moves(objection)
    publicity.objection_resolve(
        objection=objection, actor=world.hr, upheld=False, reason="经核实，异议不成立。"
    )
    with pytest.raises(InvalidTransition, match="该异议已处理"):
        publicity.objection_resolve(objection=objection, actor=world.hr, upheld=True, reason="异议成立。")
    objection.refresh_from_db()
    assert (objection.status, objection.handled_by) == (Objection.Status.DISMISSED, world.hr)
    assert _moves(objection) == [("dismiss", "open", "dismissed", world.hr, "hr")]
    assert history(objection).get().note == "经核实，异议不成立。"


def test_an_upheld_objection_records_the_objection_and_the_entry_in_the_publishers_name(world):
    notice = world.publicised([world.submitted()])
    entry = notice.entries.get()
    objection = _lodge(entry)
    publicity.objection_resolve(
        objection=objection, actor=world.hr, upheld=True, reason="经查项目证明系伪造。"
    )
    assert _moves(objection) == [("uphold", "open", "upheld", world.hr, "hr")]
    entry.refresh_from_db()
    assert entry.outcome == PublicityEntry.Outcome.REJECTED
    assert _moves(entry) == [("reject", "pending", "rejected", world.hr, "hr")]
