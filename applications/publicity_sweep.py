"""The publicity sweep in sets: due entries are settled a batch at a time with a fixed number of statements
per batch, by the same rules as settling one entry (applications/publicity.py `_settle`).

For each batch, in one transaction: the due entries without an open objection are locked with
SELECT … FOR UPDATE SKIP LOCKED (a concurrent sweep takes other rows, a sweep killed halfway leaves its
uncommitted batch pending for the next run), their applications are locked, each application takes the
stage's ending move of the workflow table when its state allows it (else the entry is withdrawn from the
publicity, as the per-entry path does), the history rows are computed in Python with the hash chain of
applications/chain.py and inserted in one statement, the applications take their new state, count and
head in one UPDATE (portal/bulk.py), the entries their outcome in one UPDATE per outcome, and the
entries' own history rows are inserted in one statement.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef

from portal import bulk
from portal import workflow as records_of_moves

from . import chain, history_sets
from .models import Application, Objection, PublicityEntry, PublicityNotice
from .permissions import ROLE_OF, Actor
from .publicity_workflow import END_MOVE, ENTRY
from .workflow import MOVES

BATCH_SIZE = 5000
_E = PublicityEntry.Outcome


def due_notices(now: dt.datetime):
    """Notices whose period is over and that may still hold pending entries: the open ones (a notice
    closes only once none of its entries is pending, publicity_workflow.NOTICE), found by the index
    (status, ends_at) among every notice of the year."""
    return PublicityNotice.objects.filter(status=PublicityNotice.Status.OPEN, ends_at__lte=now)


def due_entries(now: dt.datetime, notices=None):
    """Entries whose period is over and that have no open objection (an open one holds the step);
    `notices`: the keys of due_notices(now) when the caller has read them."""
    open_objection = Objection.objects.filter(entry=OuterRef("pk"), status=Objection.Status.OPEN)
    if notices is None:
        notices = due_notices(now).values("pk")
    return PublicityEntry.objects.filter(outcome=_E.PENDING, notice__in=notices).exclude(
        Exists(open_objection)
    )


def settle_due(*, now: dt.datetime, batch_size: int | None = None) -> int:
    """Settle every due entry, one transaction per batch (PUBLICITY_SWEEP_BATCH entries, 5,000 unless
    set); returns how many were settled."""
    batch_size = batch_size or getattr(settings, "PUBLICITY_SWEEP_BATCH", BATCH_SIZE)
    settled = 0
    while True:
        done = settle_batch(now=now, limit=batch_size)
        settled += done
        if done < batch_size:
            return settled


def _findings(entry_ids: list[int]) -> dict[int, list[str]]:
    """Each entry's dismissed objections' findings, in the order `settled_note` lists them."""
    found: dict[int, list[str]] = {}
    rows = (
        Objection.objects.filter(entry_id__in=entry_ids, status=Objection.Status.DISMISSED)
        .order_by("created_at")
        .values_list("entry_id", "outcome_reason")
    )
    for entry_id, reason in rows:
        found.setdefault(entry_id, []).append(reason)
    return found


def _note(title: str, findings: list[str]) -> tuple[str, bool]:
    # The same words as objection_refs.settled_note, from rows read for the whole batch.
    if findings:
        return f"{title}期满，异议不成立：{'；'.join(findings)}", True
    return f"{title}期满无异议", False


def settle_batch(*, now: dt.datetime, limit: int) -> int:
    with transaction.atomic():
        # A batch lost to a server crash is due again and settled by the next run (items 4's kill test).
        bulk.commit_without_flush_wait()
        # The due notices' keys first (none: nothing to read), then their pending entries, in no order:
        # which of them a batch takes does not matter, SKIP LOCKED never waits and the applications are
        # locked in key order below. (Whether PostgreSQL reads them by the index (outcome, notice) or
        # walks the pending entries depends on its cost settings: docs/performance.md.)
        notices = list(due_notices(now).values_list("pk", flat=True))
        if not notices:
            return 0
        entries = list(
            due_entries(now, notices)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by()
            .values_list("pk", "application_id", "notice_id", "notice__stage", "notice__title")[:limit]
        )
        if not entries:
            return 0
        findings = _findings([e[0] for e in entries])
        applications = history_sets.locked_heads(e[1] for e in entries)
        at, key = history_sets.stamp(), chain.row_key()
        events, moved, outcomes, records = [], [], {_E.PASSED: [], _E.WITHDRAWN: []}, []
        for entry_id, application_id, notice_id, stage, title in entries:
            pk, state, count, head = applications[application_id]
            move = MOVES[END_MOVE[stage]]
            note, dismissed = _note(title, findings.get(entry_id, []))
            if state in move.sources:
                # The row `workflow.transition` appends for this system move.
                event = history_sets.event_row(
                    application_id=pk,
                    count=count,
                    head=head,
                    actor_id=None,
                    role=ROLE_OF[Actor.SYSTEM],
                    at=at,
                    action=move.action,
                    from_state=state,
                    to_state=move.target,
                    note=note,
                    data={"notice": str(notice_id)},
                    key=key,
                )
                events.append(event)
                moved.append((pk, move.target, event[history_sets.SEQ], event[history_sets.HASH], at))
                action = "clear" if dismissed else "pass"
            else:
                # Withdrawn or otherwise moved on meanwhile: it leaves the publicity.
                action, note = "withdraw", ""
            target = ENTRY.moves[action].target
            outcomes[target].append(entry_id)
            records.append((entry_id, action, target, note))
        history_sets.insert_events(events)
        # The state, count and head the appended row leaves, as `transition` saves them.
        bulk.update_rows(Application, ("id", "state", "history_count", "history_head", "updated_at"), moved)
        for outcome, ids in outcomes.items():
            if ids:
                PublicityEntry.objects.filter(pk__in=ids).update(outcome=outcome, settled_at=now)
        # The entries' own history rows, as `ENTRY.take` writes them.
        records_of_moves.insert_records(
            PublicityEntry, [(pk, action, _E.PENDING, target, note) for pk, action, target, note in records]
        )
    return len(entries)
