"""Bulk loading for generate_volume: rows streamed to PostgreSQL with COPY in chunks, primary keys taken
from the table's own sequence in one step per table, and each sequence set past its table's rows at the
end."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterable

from django.apps import apps
from django.db import connection

# Rows per COPY statement: large enough that a statement's overhead vanishes, small enough that a chunk's
# text (a few tens of MB at most) is all that is ever held in memory.
CHUNK_ROWS = 50_000
# ... or fewer when the rows are wide (an application's snapshot is a few kB): at most this many characters
# buffered per table (Chinese text takes 4 bytes a character in a Python string).
CHUNK_CHARS = 4_000_000
NULL = "\\N"


def _cell(value):
    """One CSV cell as COPY reads it: None as the NULL marker (every column is FORCE_NULL, so the marker
    is NULL even quoted, and an empty string stays an empty string), dicts and lists as JSON, bytes in hex."""
    if value is None:
        return NULL
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return "\\x" + value.hex()  # bytea in its hex form
    return value


class Copier:
    """COPY into one table: `add(row)` buffers, every CHUNK_ROWS rows are sent; `close()` sends the rest."""

    def __init__(self, table: str, columns: Iterable[str]):
        self.table = table
        given = list(columns)
        self.keep, self.columns, self.extra = _fit(table, given)
        self.count = 0
        self._rows = 0
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")

    def add(self, row: list) -> None:
        if self.keep is not None:
            row = [row[i] for i in self.keep] + self.extra
        self._writer.writerow([_cell(v) for v in row])
        self._rows += 1
        self.count += 1
        if self._rows >= CHUNK_ROWS or self._buffer.tell() >= CHUNK_CHARS:
            self.flush()

    def flush(self) -> None:
        if not self._rows:
            return
        self._buffer.seek(0)
        columns = ", ".join(f'"{c}"' for c in self.columns)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f'COPY "{self.table}" ({columns}) FROM STDIN '
                f"WITH (FORMAT csv, NULL '{NULL}', FORCE_NULL ({columns}))",
                self._buffer,
            )
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        self._rows = 0

    def close(self) -> int:
        self.flush()
        return self.count


def _fit(table: str, given: list[str]) -> tuple[list[int] | None, list[str], list]:
    """Fit the generator's columns to the model as it is now: a column the model no longer has is left out,
    and a column it has gained gets the field's default on every row, so a migration that adds a field
    with a default (or removes one) does not break COPY. Primary keys not given stay to their sequence."""
    model = next((m for m in apps.get_models() if m._meta.db_table == table), None)
    if model is None:
        return None, given, []
    fields = {f.column: f for f in model._meta.concrete_fields}
    keep = [i for i, column in enumerate(given) if column in fields]
    missing = [f for column, f in fields.items() if column not in given and not f.primary_key]
    if len(keep) == len(given) and not missing:
        return None, given, []
    return keep, [given[i] for i in keep] + [f.column for f in missing], [f.get_default() for f in missing]


def _sequence(table: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        return cursor.fetchone()[0]


def reserve_ids(table: str, count: int) -> int:
    """Take `count` consecutive ids from the table's sequence; return the first. The sequence is moved past
    them at once, so the portal (or a second run) never hands one of them out."""
    sequence = _sequence(table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT setval(%s, GREATEST((SELECT COALESCE(MAX(id), 0) FROM "{table}"), '
            f"(SELECT last_value FROM {sequence})) + %s)",
            [sequence, max(count, 1)],
        )
        last = cursor.fetchone()[0]
    return last - max(count, 1) + 1


def reset_sequences(tables: Iterable[str]) -> None:
    """After COPY: each sequence at or past its table's highest id, so the next insert by the portal gets
    a free one (never moved backwards, in case ids were reserved and not all used)."""
    with connection.cursor() as cursor:
        for table in tables:
            sequence = _sequence(table)
            if sequence is None:
                continue
            cursor.execute(
                f'SELECT setval(%s, GREATEST((SELECT COALESCE(MAX(id), 0) FROM "{table}"), '
                f"(SELECT last_value FROM {sequence}), 1))",
                [sequence],
            )


def database_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]
