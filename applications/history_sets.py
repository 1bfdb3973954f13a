"""History rows for many applications at once, for the services that work in sets (the publicity sweep, a
meeting's filing): each row is the one `workflow.transition` or `workflow.record_event` would append, with
the same hash chain and seal (applications/chain.py), built as a plain tuple and inserted with the others
in one statement (portal/bulk.py). The caller holds the applications' row locks (`locked_heads`) and
writes their new count and head (and state, for a move) in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from portal import bulk, clock

from . import chain
from .models import Application, ApplicationEvent

EVENT_COLUMNS = (
    "application_id",
    "seq",
    "actor_id",
    "actor_role",
    "at",
    "action",
    "from_state",
    "to_state",
    "note",
    "data",
    "prev_hash",
    "hash",
    "seal",
)
SEQ, HASH = EVENT_COLUMNS.index("seq"), EVENT_COLUMNS.index("hash")


def locked_heads(application_ids: Iterable) -> dict:
    """{pk: (pk, state, history_count, history_head)} of the applications, locked until the end of the
    caller's transaction (in primary-key order, so two callers never wait on each other in a circle)."""
    rows = (
        Application.objects.select_for_update(of=("self",))
        .filter(pk__in=list(application_ids))
        .order_by("pk")
        .values_list("pk", "state", "history_count", "history_head")
    )
    return {row[0]: row for row in rows}


def stamp() -> dt.datetime:
    """The time of the rows, as read back from the database: the digest covers its text."""
    return clock.now().astimezone(dt.UTC).replace(microsecond=0)


def event_row(
    *,
    application_id,
    count: int,
    head: str,
    actor_id: int | None,
    role: str,
    at: dt.datetime,
    action: str,
    from_state: str,
    to_state: str,
    note: str,
    data: dict,
    key: bytes,
) -> tuple:
    """The next row of one application's history (a row of EVENT_COLUMNS)."""
    seq = count + 1
    prev = head or chain.GENESIS
    digest = chain.event_digest(
        prev_hash=prev,
        application_id=str(application_id),
        seq=seq,
        actor_id=actor_id,
        actor_role=role,
        at_iso=at.isoformat(),
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data,
    )
    seal = chain.row_seal(key, str(application_id), seq, digest)
    row = (application_id, seq, actor_id, role, at, action, from_state, to_state, note, data)
    return (*row, prev, digest, seal)


def insert_events(rows: list[tuple]) -> None:
    bulk.insert_rows(ApplicationEvent, EVENT_COLUMNS, rows)
