"""The machinery every stateful record (other than the application, see applications/workflow.py) moves
through: a table of legal moves per record and one function that takes a move.

Each app declares its records' moves next to its services, e.g.

    MEETING = Machine(Meeting, [
        Move("file", frozenset({"created"}), "filed", "备案确认", may=is_filing_officer),
        ...
    ])

and every status change is `MEETING.take(meeting, "file", actor=user, change=...)`: the row is locked,
the table and the actor are checked, the caller's precondition and changes run, the status is set and
a history row naming the actor is appended, all in one transaction. Templates build their buttons from
`MEETING.available(meeting, user)`; pages show `history(meeting)`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile

from . import bulk, clock
from .exceptions import InvalidTransition, PermissionDenied
from .models import RecordEvent

SYSTEM = "system"


@dataclass(frozen=True)
class Move:
    """One legal move. `may(user, obj)` says whether a person may take it (None: a system move, taken
    by a sweep or as the consequence of another move); `guard(obj)` gives the reason it is not legal
    now, or None. `role` is the role recorded in the history for the person who takes it."""

    action: str
    sources: frozenset[str]
    target: str
    label: str
    may: Callable[[Any, Any], bool] | None = None
    guard: Callable[[Any], str | None] | None = None
    role: str = ""

    @property
    def is_system(self) -> bool:
        return self.may is None


def move(
    action: str,
    sources: Iterable[str],
    target: str,
    label,
    *,
    may: Callable[[Any, Any], bool] | None = None,
    guard: Callable[[Any], str | None] | None = None,
    role: str = "",
) -> Move:
    return Move(action, frozenset(sources), target, str(label), may=may, guard=guard, role=role)


def _default_refusal(obj, move: Move, state: str) -> str:
    return f"当前状态为“{state}”，不能执行“{move.label}”。"


class Machine:
    """The moves of one model's status field, and the one writer of that field.

    `refusal(obj, move, state_label)` words the message when the record is not in a source state;
    `invalid` builds the exception raised then (an InvalidTransition, or an app's subclass of it);
    `record` writes the history row when the record keeps its own history table (default RecordEvent).
    """

    def __init__(
        self,
        model: type[models.Model],
        moves: Iterable[Move],
        *,
        field: str = "status",
        related: tuple[str, ...] = (),
        refusal: Callable[[Any, Move, str], str] = _default_refusal,
        invalid: Callable[[str], Exception] = InvalidTransition,
        record: Callable[..., Any] | None = None,
    ):
        self.model = model
        self.field = field
        self.related = related
        self.refusal = refusal
        self.invalid = invalid
        self.record = record or _record_event
        self.moves: dict[str, Move] = {}
        states = {value for value, _ in model._meta.get_field(field).choices}
        for m in moves:
            unknown = (m.sources | {m.target}) - states
            if unknown or m.action in self.moves:
                raise ImproperlyConfigured(f"{model.__name__}: bad move {m.action!r} ({sorted(unknown)})")
            self.moves[m.action] = m

    def __repr__(self) -> str:
        return f"Machine({self.model.__name__}.{self.field})"

    def state_label(self, obj) -> str:
        return str(getattr(obj, f"get_{self.field}_display")())

    def next_states(self, state: str) -> frozenset[str]:
        return frozenset(m.target for m in self.moves.values() if state in m.sources)

    def available(self, obj, user) -> list[Move]:
        """The moves this user may take on this record now (templates build their buttons from it)."""
        if user is None or not user.is_authenticated:
            return []
        state = getattr(obj, self.field)
        return [
            m
            for m in self.moves.values()
            if state in m.sources
            and m.may is not None
            and m.may(user, obj)
            and (m.guard is None or m.guard(obj) is None)
        ]

    def lock(self, pk) -> models.Model:
        """The row, locked until the end of the caller's transaction."""
        qs: QuerySet = self.model.objects.select_for_update(of=("self",))
        if self.related:
            qs = qs.select_related(*self.related)
        return qs.get(pk=pk)

    def take(
        self,
        obj_or_pk,
        action: str,
        *,
        actor,
        note: str = "",
        data: dict | None = None,
        check: Callable[[Any], None] | None = None,
        change: Callable[[Any], None] | None = None,
        notify: Callable[[Any], None] | None = None,
        acting_role: str | None = None,
    ):
        """Take one move and return the locked, changed record.

        Refuses with InvalidTransition (or the machine's `invalid`) when the record is not in a source
        state or the move's guard refuses, with PermissionDenied when `may` refuses the actor. `check`
        may raise to refuse; `change` sets the other fields; `notify` writes the notifications in the
        same transaction (their e-mails go after commit). A system move may be taken on a person's
        behalf (the caller has checked their right and names the role)."""
        m = self.moves[action]
        pk = obj_or_pk.pk if isinstance(obj_or_pk, models.Model) else obj_or_pk
        with transaction.atomic():
            locked = self.lock(pk)
            from_status = getattr(locked, self.field)
            if from_status not in m.sources:
                raise self.invalid(self.refusal(locked, m, self.state_label(locked)))
            if m.may is None:
                role = acting_role or SYSTEM
            else:
                if actor is None or not actor.is_authenticated or not m.may(actor, locked):
                    raise PermissionDenied()
                role = acting_role or m.role
            if m.guard is not None:
                reason = m.guard(locked)
                if reason:
                    raise self.invalid(reason)
            if check is not None:
                check(locked)
            before = _values(locked)
            if change is not None:
                change(locked)
            setattr(locked, self.field, m.target)
            # Only what the move changed is written: work done inside `change` may have updated the
            # row in the database meanwhile (e.g. a deleted foreign row nulling its key).
            after = _values(locked)
            locked.save(update_fields=[name for name, value in after.items() if before[name] != value])
            self.record(
                locked,
                action=action,
                from_status=from_status,
                to_status=m.target,
                actor=actor,
                actor_role=role,
                at=clock.now(),
                note=note,
                data=data or {},
            )
            if notify is not None:
                # In the move's transaction: the notices commit with the move or not at all.
                notify(locked)
        return locked

    def take_set(
        self,
        locked: Sequence[models.Model],
        action: str,
        *,
        fields: Sequence[str] = (),
        note: str | Callable[[Any], str] = "",
        refused: Callable[[list], set] | None = None,
    ) -> list:
        """A system move for many records at once, in a fixed number of statements (for the sweeps).

        `locked` are rows the caller has locked in its transaction (select_for_update), with `fields`
        (attribute names) already changed on them. Rows not in a source state are left as they are. A
        move with a guard needs `refused(rows)`, the guard for a set: the keys of the rows it refuses, read
        in one query. The rest take the move: their status and fields in one UPDATE, a history row each
        (no actor; the role "system"; `note`, or `note(row)` for a note of its own) in one INSERT. Returns
        the rows moved."""
        m = self.moves[action]
        if not m.is_system or self.record is not _record_event or (m.guard is not None and refused is None):
            raise ImproperlyConfigured(f"{self!r}: {action!r} cannot be taken in a set")
        rows = [obj for obj in locked if getattr(obj, self.field) in m.sources]
        if refused is not None and rows:
            out = refused(rows)
            rows = [obj for obj in rows if obj.pk not in out]
        if not rows:
            return []
        noted = note if callable(note) else (lambda obj: note)
        moves = [(obj.pk, action, getattr(obj, self.field), m.target, noted(obj)) for obj in rows]
        for obj in rows:
            setattr(obj, self.field, m.target)
        names = (self.model._meta.pk.attname, self.model._meta.get_field(self.field).attname, *fields)
        bulk.update_rows(self.model, names, [tuple(getattr(obj, name) for name in names) for obj in rows])
        insert_records(self.model, moves)
        return rows


_RECORD_COLUMNS = (
    "content_type_id",
    "object_id",
    "action",
    "from_status",
    "to_status",
    "actor_id",
    "actor_role",
    "at",
    "note",
    "data",
)


def insert_records(model: type[models.Model], moves: Sequence[tuple]) -> None:
    """The history rows of system moves taken in a set, in one INSERT: `moves` are (pk, action,
    from_status, to_status, note), one per record moved."""
    content_type = ContentType.objects.get_for_model(model).pk
    at = clock.now()
    bulk.insert_rows(
        RecordEvent,
        _RECORD_COLUMNS,
        [
            (content_type, str(pk), action, source, target, None, SYSTEM, at, note, {})
            for pk, action, source, target, note in moves
        ],
    )


def _values(obj) -> dict[str, Any]:
    values = {}
    for f in obj._meta.concrete_fields:
        if not f.primary_key:
            value = getattr(obj, f.attname)
            # JSON values and files may be changed in place.
            if isinstance(value, FieldFile):
                value = value.name
            elif isinstance(value, dict | list):
                value = copy.deepcopy(value)
            values[f.attname] = value
    return values


def _record_event(obj, **fields) -> RecordEvent:
    return RecordEvent.objects.create(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), **fields
    )


def history(obj) -> QuerySet[RecordEvent]:
    """The record's moves, oldest first, with their actors."""
    return (
        RecordEvent.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
        .select_related("actor")
        .order_by("at", "id")
    )
