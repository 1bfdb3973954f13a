"""The work queues' pages: one holder column and one state per index scan, read a page at a time.

A queue lists the applications in one state that an organisation holds, oldest submission first. Each
queue is one or two *branches*, each filtering one holder column (applications.models.QUEUE_HOLDERS)
and the state, so each is served in order by its composite index (holder, state, submitted_at, number);
the page is the merge of the branches' first rows after the cursor (keyset pagination: no OFFSET, so
the last page costs what the first does), and the rows shown are then read by primary key with only the
columns the list shows. The total is counted up to COUNT_CAP ("1000+" beyond), which stays cheap however
many rows match. Queries per page: one per branch, one for the rows, one for the count.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from portal import links
from portal.reads import RowsByKey
from rules.vocab import DeclarationType

from .models import Application
from .queue_branches import Branch, capped_branch_count

PAGE_SIZE = 20
COUNT_CAP = 1000

# What a queue's rows show (templates/applications/audit/queue.html, templates/committees/queue.html),
# in QueueRow's order after the primary key; read by key with a statement written once (portal.reads).
LIST_COLUMNS = (
    "pk",
    "number",
    "archive__name",
    "recommending_org__name",
    "qualification__name",
    "specialty__name",
    "declaration_type",
    "plan__title",
    "submitted_at",
)
_READ = RowsByKey(Application, LIST_COLUMNS)

Key = tuple[dt.datetime, str]
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def encode(key: Key) -> str:
    """A cursor: the submission time in microseconds, a dot, the (unique) number."""
    at, number = key
    return f"{(at - _EPOCH) // dt.timedelta(microseconds=1)}.{number}"


def decode(text: str | None) -> Key | None:
    if not text:
        return None
    micros, _, number = text.partition(".")
    try:
        at = _EPOCH + dt.timedelta(microseconds=int(micros))
    except (ValueError, OverflowError):
        return None
    return (at, number) if number else None


# The redundant bound on submitted_at alone is what the index can seek to; the OR decides the ties.


def _after(key: Key) -> Q:
    at, number = key
    return Q(submitted_at__gte=at) & (Q(submitted_at__gt=at) | Q(submitted_at=at, number__gt=number))


def _before(key: Key) -> Q:
    at, number = key
    return Q(submitted_at__lte=at) & (Q(submitted_at__lt=at) | Q(submitted_at=at, number__lt=number))


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One application as a queue lists it: the shown texts only, read as one row of joined columns
    (no model instances: a page builds twenty of these instead of a hundred objects)."""

    pk: uuid.UUID
    number: str
    name: str
    organisation: str
    qualification: str
    specialty: str
    declaration_type: str  # its label
    plan: str
    submitted: str  # local time, as "Y-m-d H:i"
    url: str  # the page the queue opens it on


def _rows(pks: list[uuid.UUID], link: str) -> dict[uuid.UUID, QueueRow]:
    labels = {value: str(label) for value, label in DeclarationType.choices}
    found = {}
    for pk, number, name, org, qualification, specialty, kind, plan, at in _READ(pks).values():
        found[pk] = QueueRow(
            pk=pk,
            number=number,
            name=name or "",
            organisation=org or "",
            qualification=qualification or "",
            specialty=specialty or "",
            declaration_type=labels.get(kind, kind),
            plan=plan or "",
            submitted=timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else "",
            url=links.object_path(link, pk),
        )
    return found


@dataclass
class QueuePage:
    """What the pagination partial (templates/partials/keyset_pagination.html) needs."""

    object_list: list[QueueRow]
    has_next: bool
    has_previous: bool
    total: int | None
    query: str = ""  # the page's other parameters (role, state, committee), kept by the links
    keys: list[Key] = field(default_factory=list, repr=False)

    @property
    def capped(self) -> bool:
        return self.total is not None and self.total > COUNT_CAP

    @property
    def total_display(self) -> str:
        return "" if self.total is None else capped(self.total)

    def _link(self, name: str, key: Key) -> str:
        return "?" + "&".join(part for part in (self.query, urlencode({name: encode(key)})) if part)

    @property
    def next_link(self) -> str:
        return self._link("after", self.keys[-1]) if self.has_next and self.keys else ""

    @property
    def previous_link(self) -> str:
        return self._link("before", self.keys[0]) if self.has_previous and self.keys else ""

    @property
    def first_link(self) -> str:
        return "?" + self.query

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def capped(n: int, cap: int | None = None) -> str:
    """A count as the pages show it: "1000+" beyond the cap (COUNT_CAP unless another is given)."""
    cap = COUNT_CAP if cap is None else cap
    return f"{cap}+" if n > cap else str(n)


# Counts select the state, a column of every queue index, so that PostgreSQL may answer from the index.


def capped_count(branches: Iterable[QuerySet | Branch]) -> int:
    """How many rows the branches hold together, counted no further than COUNT_CAP + 1 (more than
    COUNT_CAP means "COUNT_CAP+").

    On PostgreSQL each branch is LIMITed on its own and the branches' application numbers are UNIONed
    (which drops an application two branches share): every branch is an index scan of its queue index
    that stops after COUNT_CAP + 1 entries, so the count costs the same for a queue of 2,000 or 300,000.
    (ORed into one WHERE, PostgreSQL bitmap-scans every matching entry of both indexes before the LIMIT.)
    """
    branches = list(branches)
    if all(isinstance(branch, Branch) for branch in branches):
        return capped_branch_count(branches, COUNT_CAP + 1)
    branches = [(b.queryset() if isinstance(b, Branch) else b).order_by() for b in branches]
    if len(branches) == 1:
        return branches[0].values("state")[: COUNT_CAP + 1].count()
    if not connection.features.supports_slicing_ordering_in_compound:
        combined = branches[0]
        for branch in branches[1:]:
            combined = combined | branch
        return combined.values("state")[: COUNT_CAP + 1].count()
    limited = [branch.values("number")[: COUNT_CAP + 1] for branch in branches]
    return limited[0].union(*limited[1:]).count()


def state_counts(holder: str, holder_id, caps: dict[str, int | None]) -> dict[str, int]:
    """How many applications `holder` (a holder column: "committee", …) = `holder_id` holds in each
    state of `caps`, each counted no further than its cap + 1 (None: COUNT_CAP): one statement, each
    count an index-only scan of the holder's queue index that stops at its cap, whatever its size."""
    parts, params = [], []
    for n, (state, cap) in enumerate(caps.items()):
        sql, branch_params = Branch(holder, (holder_id,), state).numbers(
            (COUNT_CAP if cap is None else cap) + 1
        )
        parts.append(f"SELECT {n}, (SELECT COUNT(*) FROM ({sql}) AS capped)")
        params += branch_params
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        found = dict(cursor.fetchall())
    return {state: found.get(n, 0) for n, state in enumerate(caps)}


def _keys(
    branches: list[QuerySet | Branch], *, after: Key | None, before: Key | None, size: int
) -> list[tuple]:
    """The first size + 1 (at, number, pk) of the branches merged, in the page's direction."""
    found: dict = {}
    for branch in branches:
        if isinstance(branch, Branch):
            for at, number, pk in branch.keys(after=after, before=before, limit=size + 1):
                found[pk] = (at, number, pk)
            continue
        branch = branch.filter(submitted_at__isnull=False)
        if before is not None:
            branch = branch.filter(_before(before)).order_by("-submitted_at", "-number")
        else:
            if after is not None:
                branch = branch.filter(_after(after))
            branch = branch.order_by("submitted_at", "number")
        for at, number, pk in branch.values_list("submitted_at", "number", "pk")[: size + 1]:
            found[pk] = (at, number, pk)
    rows = sorted(found.values(), key=lambda row: (row[0], row[1]), reverse=before is not None)
    return rows[: size + 1]


def queue_page(
    branches: list[QuerySet | Branch],
    params,
    *,
    link: str,
    query: str = "",
    total: int | None = -1,
    size: int | None = None,
) -> QueuePage:
    """The page of the merged branches that `params` (request.GET: `after` or `before`) asks for.

    `link` names the page each row opens (a URL name taking the application's key); `total` is the count
    when the caller has it (None: show none; -1: count here, capped).
    """
    size = size or PAGE_SIZE
    after, before = decode(params.get("after")), decode(params.get("before"))
    keys = _keys(branches, after=None if before else after, before=before, size=size)
    if before is not None and len(keys) <= size:
        # Back at the start: show the first page whole rather than a short one.
        before, after = None, None
        keys = _keys(branches, after=None, before=None, size=size)
    more = len(keys) > size
    keys = keys[:size]
    if before is not None:
        keys.reverse()
        has_next, has_previous = True, more
    else:
        has_next, has_previous = more, after is not None
    by_pk = _rows([pk for _, _, pk in keys], link)
    return QueuePage(
        object_list=[by_pk[pk] for _, _, pk in keys if pk in by_pk],
        has_next=has_next,
        has_previous=has_previous,
        total=capped_count(branches) if total == -1 else total,
        query=query,
        keys=[(at, number) for at, number, _ in keys],
    )
