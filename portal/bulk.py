"""Writing many rows in one statement, for the services that work in sets (the publicity sweep, the draw's
filing). On PostgreSQL each column travels as one array and the statement unnests them, so 5,000 rows are
one INSERT or one UPDATE … FROM with next to no work per row in Python; elsewhere (SQLite, the embedded
demo) Django's bulk_create and bulk_update do the same in a few statements.

Rows are plain tuples in the order of the named columns (attribute names: `application_id`, not
`application`), so no model instance is built per row on the fast path."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence

from django.db import connection, models


def _fields(model: type[models.Model], names: Sequence[str]) -> list[models.Field]:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    return [by_attname[name] for name in names]


def _column(field: models.Field, values: Sequence) -> list:
    if isinstance(field, models.JSONField):
        return [None if v is None else json.dumps(v, cls=field.encoder) for v in values]
    if any(isinstance(v, uuid.UUID) for v in values):
        return [None if v is None else str(v) for v in values]
    return list(values)


def _arrays(fields: list[models.Field], rows: Sequence[Sequence]) -> tuple[str, list]:
    """`unnest(%s::type[], …)` and its parameters, one array per column."""
    columns = list(zip(*rows, strict=True))
    casts = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
    return f"unnest({casts})", [_column(f, col) for f, col in zip(fields, columns, strict=True)]


def insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence],
    *,
    ignore_conflicts: bool = False,
) -> None:
    """INSERT the rows (one statement on PostgreSQL); with `ignore_conflicts`, a row a unique constraint
    refuses is left out (ON CONFLICT DO NOTHING)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(names, row, strict=True))) for row in rows]
        model.objects.bulk_create(objs, ignore_conflicts=ignore_conflicts)
        return
    fields = _fields(model, names)
    quote = connection.ops.quote_name
    source, params = _arrays(fields, rows)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            f"SELECT * FROM {source}" + (" ON CONFLICT DO NOTHING" if ignore_conflicts else ""),
            params,
        )


def update_rows(model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence]) -> None:
    """UPDATE each row found by its first column (the primary key) with the values of the others (one
    UPDATE … FROM on PostgreSQL)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(names, row, strict=True))) for row in rows]
        model.objects.bulk_update(objs, list(names[1:]))
        return
    fields = _fields(model, names)
    quote = connection.ops.quote_name
    source, params = _arrays(fields, rows)
    aliases = [f"c{i}" for i in range(len(fields))]
    table = quote(model._meta.db_table)
    sets = ", ".join(f"{quote(f.column)} = v.{a}" for f, a in zip(fields[1:], aliases[1:], strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {sets} FROM {source} AS v({', '.join(aliases)}) "
            f"WHERE {table}.{quote(fields[0].column)} = v.c0",
            params,
        )


def commit_without_flush_wait() -> None:
    """Inside a transaction: its commit returns before its WAL reaches the disk (PostgreSQL; SET LOCAL, so
    this transaction only). For work that is redone when missing, like a sweep's batch: after a crash of
    the server the transaction is kept whole or lost whole, in commit order, and the next run redoes it;
    any later ordinary commit flushes it with its own. Never for a move a person made."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
