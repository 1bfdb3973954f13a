"""A system move of the workflow table taken by many applications at once, for the services that work in
sets (a certificate batch): the same checks, the same history row and the same holder columns as
`workflow.transition` gives each one, in two statements for the whole set."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from portal import bulk

from . import chain, history_sets, permissions
from .exceptions import InvalidTransition
from .models import Application
from .permissions import ROLE_OF
from .workflow import MOVES, SYSTEM

_COLUMNS = (
    "id",
    "state",
    "history_count",
    "history_head",
    "updated_at",
    "receiving_bureau_id",
    "higher_committee_id",
    "employer_bureau_id",
)


def refusal(application: Application, action: str) -> str | None:
    """Why the application cannot take this system move now (its state or the move's guard), or None."""
    move = MOVES[action]
    if application.state not in move.sources:
        return f"当前状态为“{application.get_state_display()}”，不能执行“{move.label}”。"
    reason = move.refusal(application)
    return str(reason) if reason else None


def take_system_move(
    applications: Sequence[Application], action: str, *, noted: Callable[[Application], tuple[str, dict]]
) -> None:
    """Move every application, which the caller has locked (select_for_update, with its plan and
    recommending organisation) and checked with `refusal`: one history row each (`noted(application)`
    gives its note and data) in one INSERT, the new state, count, head and holder columns in one UPDATE.
    The objects are changed in place as `transition` changes its row."""
    move = MOVES[action]
    if SYSTEM not in move.by:
        raise ValueError(f"{action} is not a system move")
    at, key = history_sets.stamp(), chain.row_key()
    events, rows = [], []
    for application in applications:
        reason = refusal(application, action)
        if reason:
            raise InvalidTransition(reason)
        note, data = noted(application)
        event = history_sets.event_row(
            application_id=application.pk,
            count=application.history_count,
            head=application.history_head,
            actor_id=None,
            role=ROLE_OF[SYSTEM],
            at=at,
            action=action,
            from_state=application.state,
            to_state=move.target,
            note=note,
            data=data,
            key=key,
        )
        events.append(event)
        permissions.place(application)
        application.state = move.target
        application.history_count = event[history_sets.SEQ]
        application.history_head = event[history_sets.HASH]
        application.updated_at = at
        rows.append(tuple(getattr(application, name) for name in _COLUMNS))
    history_sets.insert_events(events)
    bulk.update_rows(Application, _COLUMNS, rows)
