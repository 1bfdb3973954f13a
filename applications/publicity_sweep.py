"""The publicity sweep in sets: due entries are settled a batch at a time with a fixed number of statements
per batch, by the same rules as settling one entry (applications/publicity.py `_settle`).

For each batch, in one transaction: the due entries without an open objection are locked with
SELECT … FOR UPDATE SKIP LOCKED (a concurrent sweep takes other rows, a sweep killed halfway leaves its
uncommitted batch pending for the next run), their applications are locked, each application takes the
stage's ending move of the workflow table when its state allows it (else the entry is withdrawn from the
publicity, as the per-entry path does), the history rows are computed in Python with the hash chain of
applications/chain.py and inserted in one statement, the applications take their new state, count and
head in one UPDATE, the entries their outcome in one UPDATE per outcome, and the entries' own history
rows are inserted in one statement.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Subquery

from portal import clock
from portal.models import RecordEvent
from portal.workflow import SYSTEM as RECORD_SYSTEM

from . import chain
from .models import Application, ApplicationEvent, Objection, PublicityEntry
from .permissions import ROLE_OF, Actor
from .publicity_workflow import END_MOVE, ENTRY
from .workflow import MOVES

BATCH_SIZE = 5000
_E = PublicityEntry.Outcome


def due_entries(now: dt.datetime):
    """Entries whose period is over and that have no open objection (an open one holds the step)."""
    open_objection = Objection.objects.filter(entry=OuterRef("pk"), status=Objection.Status.OPEN)
    return PublicityEntry.objects.filter(outcome=_E.PENDING, notice__ends_at__lte=now).exclude(
        Exists(open_objection)
    )


def settle_due(*, now: dt.datetime, batch_size: int = BATCH_SIZE) -> int:
    """Settle every due entry, one transaction per batch; returns how many were settled."""
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
        entries = list(
            due_entries(now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("notice")
            .only("pk", "application_id", "notice__stage", "notice__title")
            .order_by("pk")[:limit]
        )
        if not entries:
            return 0
        findings = _findings([e.pk for e in entries])
        applications = {
            a.pk: a
            for a in Application.objects.select_for_update(of=("self",))
            .filter(pk__in=[e.application_id for e in entries])
            .only("pk", "state", "history_count", "history_head")
            .order_by("pk")
        }
        at = clock.now().astimezone(dt.UTC).replace(microsecond=0)  # as read back: the digest covers it
        key = chain.row_key()
        events, moved, outcomes, records = [], [], {_E.PASSED: [], _E.WITHDRAWN: []}, []
        for entry in entries:
            application = applications[entry.application_id]
            move = MOVES[END_MOVE[entry.notice.stage]]
            note, dismissed = _note(entry.notice.title, findings.get(entry.pk, []))
            if application.state in move.sources:
                events.append(_event(application, move, note=note, notice_id=entry.notice_id, at=at, key=key))
                moved.append(application.pk)
                action = "clear" if dismissed else "pass"
            else:
                # Withdrawn or otherwise moved on meanwhile: it leaves the publicity.
                action, note = "withdraw", ""
            target = ENTRY.moves[action].target
            outcomes[target].append(entry.pk)
            records.append((entry.pk, action, target, note))
        ApplicationEvent.objects.bulk_create(events)
        _advance(moved, at)
        for outcome, ids in outcomes.items():
            if ids:
                PublicityEntry.objects.filter(pk__in=ids).update(outcome=outcome, settled_at=now)
        content_type = ContentType.objects.get_for_model(PublicityEntry)
        stamp = clock.now()
        RecordEvent.objects.bulk_create(
            RecordEvent(
                content_type=content_type,
                object_id=str(pk),
                action=action,
                from_status=_E.PENDING,
                to_status=target,
                actor=None,
                actor_role=RECORD_SYSTEM,
                at=stamp,
                note=note,
                data={},
            )
            for pk, action, target, note in records
        )
    return len(entries)


def _event(application: Application, move, *, note: str, notice_id: int, at: dt.datetime, key: bytes):
    """The history row `workflow.transition` would append for this system move, with its chain link."""
    seq = application.history_count + 1
    prev = application.history_head or chain.GENESIS
    role = ROLE_OF[Actor.SYSTEM]
    data = {"notice": str(notice_id)}
    digest = chain.event_digest(
        prev_hash=prev,
        application_id=str(application.pk),
        seq=seq,
        actor_id=None,
        actor_role=role,
        at_iso=at.isoformat(),
        action=move.action,
        from_state=application.state,
        to_state=move.target,
        note=note,
        data=data,
    )
    return ApplicationEvent(
        application_id=application.pk,
        seq=seq,
        actor=None,
        actor_role=role,
        at=at,
        action=move.action,
        from_state=application.state,
        to_state=move.target,
        note=note,
        data=data,
        prev_hash=prev,
        hash=digest,
        seal=chain.row_seal(key, str(application.pk), seq, digest),
    )


def _advance(application_ids: list, at: dt.datetime) -> None:
    """One UPDATE: each application takes the state, count and head of the row just appended to it."""
    if not application_ids:
        return
    appended = ApplicationEvent.objects.filter(
        application_id=OuterRef("pk"), seq=OuterRef("history_count") + 1
    )
    Application.objects.filter(pk__in=application_ids).update(
        state=Subquery(appended.values("to_state")[:1]),
        history_head=Subquery(appended.values("hash")[:1]),
        history_count=F("history_count") + 1,
        updated_at=at,
    )
