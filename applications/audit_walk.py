"""Walking every application's history in batches, beside a head list sorted the same way.

Both `verify_audit` and the daily checkpoint read the applications in keyset batches (by id), each
batch's history rows in one query, and a reference head list (a checkpoint's) merged in order of
application id, so memory holds one batch whatever the number of applications.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import NamedTuple

from .chain import Break, row_key, verify_chain
from .models import Application, ApplicationEvent

BATCH = 500
FIELDS = ("id", "number", "state", "history_count", "history_head")

Head = tuple[uuid.UUID, int, str]


class Row(NamedTuple):
    """A history row as the chain reads it (a tuple: a million rows are not a million model objects)."""

    application_id: uuid.UUID
    seq: int
    actor_id: int | None
    actor_role: str
    at: object
    action: str
    from_state: str
    to_state: str
    note: str
    data: dict
    prev_hash: str
    hash: str
    seal: str


ROW_FIELDS = Row._fields


@dataclass
class Item:
    application: Application | None  # None: in the reference list, no longer in the database
    reference: Head | None  # None: not in the reference list (newer, or no reference)
    events: list = field(default_factory=list)


def _events_of(ids: list) -> dict:
    if not ids:
        return {}
    rows = (
        Row(*values)
        for values in ApplicationEvent.objects.filter(application_id__in=ids)
        .order_by("application_id", "seq")
        .values_list(*ROW_FIELDS)
    )
    return {key: list(group) for key, group in groupby(rows, key=lambda e: e.application_id)}


def application_batches(
    reference: Iterable[Head],
    *,
    application_id=None,
    needs_events: Callable[[Application, Head | None], bool] | None = None,
    batch: int | None = None,
) -> Iterator[list[Item]]:
    """Batches of items in order of application id: every application (or only `application_id`) and
    every reference head, paired where both exist; each with its history rows, oldest first, when
    `needs_events` says so (default: always)."""
    batch = batch or BATCH
    pending = iter(reference)
    ahead: Head | None = next(pending, None)
    after = None
    applications = Application.objects.only(*FIELDS).order_by("pk")
    if application_id is not None:
        applications = applications.filter(pk=application_id)
    while True:
        page = applications.filter(pk__gt=after) if after is not None else applications
        rows = list(page[:batch])
        last_page = len(rows) < batch
        items: list[Item] = []
        for application in rows:
            while ahead is not None and ahead[0] < application.pk:
                items.append(Item(None, ahead))
                ahead = next(pending, None)
            recorded = None
            if ahead is not None and ahead[0] == application.pk:
                recorded, ahead = ahead, next(pending, None)
            items.append(Item(application, recorded))
        if last_page:
            while ahead is not None:
                items.append(Item(None, ahead))
                ahead = next(pending, None)
        wanted = [
            i.application.pk
            for i in items
            if i.application is not None
            and (needs_events is None or needs_events(i.application, i.reference))
        ]
        events = _events_of(wanted)
        for item in items:
            if item.application is not None:
                item.events = events.get(item.application.pk, [])
        if items:
            yield items
        if last_page:
            return
        after = rows[-1].pk


def check_application(item: Item, key: bytes | None = None) -> Break | None:
    """The application's own chain (rows, count, head, state). A break is confirmed by reading the
    application and its rows again: a move committed between the two reads of a batch is no break."""
    key = key or row_key()
    broken = verify_chain(item.application, item.events, key=key)
    if broken is None:
        return None
    fresh = Application.objects.only(*FIELDS).filter(pk=item.application.pk).first()
    if fresh is None:
        return broken
    item.application = fresh
    item.events = _events_of([fresh.pk]).get(fresh.pk, [])
    return verify_chain(fresh, item.events, key=key)


def prefix_break(item: Item, label: str = "检查点") -> Break | None:
    """Whether the application's history (already checked by check_application) still extends the head
    the reference recorded: the row at the recorded length must carry the recorded hash."""
    _, length, head = item.reference
    pk = str(item.reference[0])
    if item.application is None:
        return Break(pk, None, f"{label}记录的申报（{length}条记录）已不存在")
    if length == 0:
        return None
    if len(item.events) < length:
        return Break(
            pk,
            len(item.events) + 1,
            f"{label}时已有{length}条记录，现只有{len(item.events)}条（其后的记录被删除）",
        )
    if item.events[length - 1].hash != head:
        return Break(pk, length, f"第1至{length}条记录与{label}记录的链头不符（历史被改写）")
    return None
