"""The public list of open publicities, a page at a time at any volume.

Newest first, by keyset: a page is the notices after (or before) a cursor of creation time and key, read
through the index `publicity_open_newest` (status, creation time, key) from the cursor, so the hundredth
page costs what the first does; the total is counted no further than COUNT_CAP ("1000+" beyond). A
province's year keeps thousands of notices open at once (one per publisher, stage and batch), and the
list is public: nobody signs in to read it. Queries per page: the page's notices with their publishers,
and the capped count.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import F
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

from . import queues
from .publicity import current_notices
from .queues import QueuePage

PAGE_SIZE = 20

Key = tuple[dt.datetime, uuid.UUID]


def _cursor(text: str | None) -> Key | None:
    """A cursor from a link (queues.encode's format, the key as its text); a malformed one is no cursor."""
    key = queues.decode(text)
    if key is None:
        return None
    try:
        return key[0], uuid.UUID(key[1])
    except ValueError:
        return None


# A row comparison, which PostgreSQL seeks to in the index whatever the ties on the time (a bound on the
# time with the tie decided by an OR would filter every notice of the same instant one by one).
def _older(key: Key) -> TupleLessThan:
    return TupleLessThan(Tuple(F("created_at"), F("pk")), key)


def _newer(key: Key) -> TupleGreaterThan:
    return TupleGreaterThan(Tuple(F("created_at"), F("pk")), key)


def notice_page(params, *, now: dt.datetime | None = None, size: int | None = None) -> QueuePage:
    """The page of open notices that `params` (request.GET: `after` or `before`) asks for."""
    size = size or PAGE_SIZE
    notices = current_notices(now).only("title", "first_day", "end_date", "created_at", "publisher__name")
    after, before = _cursor(params.get("after")), _cursor(params.get("before"))
    rows = list(notices.filter(_newer(before)).order_by("created_at", "pk")[: size + 1]) if before else []
    if len(rows) > size:
        # Going back: the newer rows, read oldest first from the cursor, shown newest first.
        rows = rows[:size]
        rows.reverse()
        has_next, has_previous = True, True
    else:
        # A page forward, or back at the start (the first page shown whole rather than a short one).
        after = None if before is not None else after
        found = notices.filter(_older(after)) if after is not None else notices
        rows = list(found.order_by("-created_at", "-pk")[: size + 1])
        has_next, has_previous = len(rows) > size, after is not None
        rows = rows[:size]
    total = notices.order_by().values("pk")[: queues.COUNT_CAP + 1].count()
    return QueuePage(
        object_list=rows,
        has_next=has_next,
        has_previous=has_previous,
        total=total,
        keys=[(notice.created_at, str(notice.pk)) for notice in rows],
    )
