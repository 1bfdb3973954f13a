"""The legal moves of a publicity (公示): the notice, each application on it, and the objections lodged
against them. applications/publicity.py takes every move through these machines (portal.workflow)."""

from __future__ import annotations

from portal.models import Role
from portal.roles import is_member
from portal.workflow import Machine, move

from .models import Objection, PublicityEntry, PublicityNotice, PublicityStage

# Who publishes (and so investigates objections) at each stage.
PUBLISHER_ROLE = {
    PublicityStage.EMPLOYER: Role.HR,
    PublicityStage.PRE_REVIEW: Role.CLERK,
    PublicityStage.RESULT: Role.CLERK,
}

# The application's move when each stage's publicity ends (a system move of applications/workflow.py).
END_MOVE = {
    PublicityStage.EMPLOYER: "employer_publicity_end",
    PublicityStage.PRE_REVIEW: "pre_review_publicity_end",
    PublicityStage.RESULT: "result_publicity_end",
}


def is_publisher(user, notice: PublicityNotice) -> bool:
    return is_member(user, notice.publisher_id, PUBLISHER_ROLE[notice.stage])


def _pending_refusal(notice: PublicityNotice) -> str | None:
    if notice.entries.filter(outcome=PublicityEntry.Outcome.PENDING).exists():
        return "公示对象尚未全部办结，不能结束公示。"
    return None


_N = PublicityNotice.Status
# A notice closes by the sweep once its period is over and every application on it is settled.
NOTICE = Machine(
    PublicityNotice,
    [move("close", {_N.OPEN}, _N.CLOSED, "结束公示", guard=_pending_refusal)],
)

_E = PublicityEntry.Outcome
ENTRY = Machine(
    PublicityEntry,
    [
        # The sweep: the period is over without an open objection.
        move("pass", {_E.PENDING}, _E.PASSED, "公示期满无异议"),
        # The sweep: the period is over and every objection was found unfounded (异议不成立).
        move("clear", {_E.PENDING}, _E.PASSED, "异议不成立，公示期满"),
        # The sweep: the application moved on meanwhile (withdrawn), so it leaves the publicity.
        move("withdraw", {_E.PENDING}, _E.WITHDRAWN, "撤出公示"),
        move(
            "reject",
            {_E.PENDING},
            _E.REJECTED,
            "公示异议成立",
            may=lambda user, entry: is_publisher(user, entry.notice),
        ),
    ],
    field="outcome",
    related=("notice",),
    refusal=lambda entry, m, state: f"该公示对象已办结（{state}）。",
)


def _may_resolve(user, objection: Objection) -> bool:
    return is_publisher(user, objection.entry.notice)


_O = Objection.Status
OBJECTION = Machine(
    Objection,
    [
        move("dismiss", {_O.OPEN}, _O.DISMISSED, "异议不成立", may=_may_resolve),
        move("uphold", {_O.OPEN}, _O.UPHELD, "异议成立", may=_may_resolve),
    ],
    related=("entry", "entry__notice"),
    refusal=lambda objection, m, state: "该异议已处理。",
)
