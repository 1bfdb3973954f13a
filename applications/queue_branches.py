"""A queue's branch as what it is: one holder column, its organisations, one state (one index scan).

A queue page reads each branch twice: the keys of its first rows after the cursor and its size up to
the cap (applications.queues). Compiled by the ORM on every request those two statements took longer
to build than to run. A Branch writes them once per process for each shape (holder column, number of
organisations, direction, cursor or none) and converts the values as the ORM does, so the embedded
SQLite reads the same types as PostgreSQL. A queue that needs more than this (a state outside the role's
window, where the user's own visibility filter applies) stays a QuerySet, and the queues take both.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from portal.reads import Converter

from .models import Application

# (at, number, pk) of a row, in a page's direction.
KEY_FIELDS = ("submitted_at", "number", "id")


@functools.cache
def _names() -> dict[str, str]:
    q, meta = connection.ops.quote_name, Application._meta
    names = {name: q(meta.get_field(name).column) for name in (*KEY_FIELDS, "state")}
    names["table"] = q(meta.db_table)
    return names


@functools.cache
def branch_where(holder: str, ids: int) -> str:
    """The branch's filter: its holder column among `ids` organisations, and its state (parameters: the
    organisations, then the state)."""
    column = connection.ops.quote_name(Application._meta.get_field(holder).column)
    return f"{column} IN ({', '.join(['%s'] * ids)}) AND {_names()['state']} = %s"


@functools.cache
def _keys_sql(holder: str, ids: int, direction: str, cursor: bool) -> str:
    """`direction` "after" (oldest first) or "before" (newest first, back to the cursor)."""
    n = _names()
    at, number = n["submitted_at"], n["number"]
    where = [branch_where(holder, ids), f"{at} IS NOT NULL"]
    if cursor:
        # The bound on the time alone is what the index seeks to; the OR decides the ties.
        sign, strict = (">=", ">") if direction == "after" else ("<=", "<")
        where.append(f"{at} {sign} %s AND ({at} {strict} %s OR ({at} = %s AND {number} {strict} %s))")
    order = "ASC" if direction == "after" else "DESC"
    return (
        f"SELECT {at}, {number}, {n['id']} FROM {n['table']} WHERE {' AND '.join(where)} "
        f"ORDER BY {at} {order}, {number} {order} LIMIT %s"
    )


@functools.cache
def _converter() -> Converter:
    return Converter([Application._meta.get_field(name) for name in KEY_FIELDS], connection)


@dataclass(frozen=True)
class Branch:
    """The applications whose `holder` column (a column of QUEUE_HOLDERS) is one of `ids`, in `state`."""

    holder: str
    ids: tuple[int, ...]
    state: str

    def queryset(self) -> QuerySet[Application]:
        return Application.objects.filter(state=self.state, **{f"{self.holder}__in": self.ids})

    def keys(self, *, after=None, before=None, limit: int) -> list[tuple]:
        """The first `limit` (at, number, pk) after the cursor `after`, or before `before` (newest
        first), as queues._keys reads them."""
        cursor, direction = (before, "before") if before is not None else (after, "after")
        params = [*self.ids, self.state]
        if cursor is not None:
            at = Application._meta.get_field("submitted_at").get_db_prep_value(cursor[0], connection)
            params += [at, at, at, cursor[1]]
        sql = _keys_sql(self.holder, len(self.ids), direction, cursor is not None)
        with connection.cursor() as db:
            db.execute(sql, [*params, limit])
            rows = db.fetchall()
        convert = _converter()
        return [convert(row) for row in rows]

    def numbers(self, limit: int) -> tuple[str, list]:
        """SQL (and parameters) of the numbers of its first `limit` rows, for a capped count."""
        n = _names()
        where = branch_where(self.holder, len(self.ids))
        return f"SELECT {n['number']} FROM {n['table']} WHERE {where} LIMIT %s", [
            *self.ids,
            self.state,
            limit,
        ]


def capped_branch_count(branches: list[Branch], limit: int) -> int:
    """How many applications the branches hold together, counted no further than `limit`: each branch
    an index scan that stops at `limit`, their numbers UNIONed (an application two branches share
    counts once)."""
    parts, params = [], []
    for n, branch in enumerate(branches):
        sql, branch_params = branch.numbers(limit)
        parts.append(f"SELECT * FROM ({sql}) AS b{n}")
        params += branch_params
    with connection.cursor() as db:
        db.execute(f"SELECT COUNT(*) FROM ({' UNION '.join(parts)}) AS capped", params)
        return db.fetchone()[0]
