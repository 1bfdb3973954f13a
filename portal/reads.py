"""Reading the shown columns of a page's rows by primary key, with a statement written once per process.

A list page first finds the keys of its rows (through an index, in order), then reads what it shows of
them. Built by the ORM on every request, that read cost more to compile than to run, and as one join of
the application with five tables PostgreSQL spent longer planning it than running it (and hashed whole
tables of organisations to find twenty). Here each column one foreign key away is a scalar subquery by
that key: twenty primary-key lookups a column, planned in a tenth of the time. The values are converted
as the ORM converts them (the backend's and the field's converters), so the embedded SQLite gives the
same types as PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connections, models, router


class Converter:
    """Converts a row of raw column values of `fields` as the ORM converts them on `connection` (the
    backend's converters, then the field's own: a UUID from SQLite's text, an aware time, JSON)."""

    def __init__(self, fields: Sequence[models.Field], connection):
        self.connection = connection
        self.steps = []
        for n, field in enumerate(fields):
            column = field.get_col(field.model._meta.db_table)
            functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if functions:
                self.steps.append((n, column, functions))

    def __call__(self, raw: Sequence) -> tuple:
        if not self.steps:
            return tuple(raw)
        row = list(raw)
        for n, column, functions in self.steps:
            for function in functions:
                row[n] = function(row[n], column, self.connection)
        return tuple(row)


class RowsByKey:
    """`columns` are paths as values_list takes them: "number", "pk", or "archive__name" (a column of a
    row one foreign key away; NULL when the key is). Calling it with keys returns {key: row tuple}."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]):
        self.model = model
        self.columns = tuple(columns)
        self._statements: dict[tuple[str, int], str] = {}
        self._converters: dict[str, Converter] = {}
        self._fields = [self._resolve(path) for path in self.columns]
        # The row's own key, by which the rows are returned.
        self._key = next(
            n for n, (field, through) in enumerate(self._fields) if through is None and field.primary_key
        )

    def _resolve(self, path: str) -> tuple[models.Field, models.Field | None]:
        """(the field read, the foreign key it is read through, or None)."""
        meta = self.model._meta
        name, _, related = path.partition("__")
        field = meta.pk if name == "pk" else meta.get_field(name)
        if not related:
            return field, None
        target = field.related_model._meta
        return (target.pk if related == "pk" else target.get_field(related)), field

    def _sql(self, alias: str, count: int) -> str:
        key = (alias, count)
        if key not in self._statements:
            q = connections[alias].ops.quote_name
            meta = self.model._meta
            parts = []
            for field, through in self._fields:
                if through is None:
                    parts.append(f"a.{q(field.column)}")
                else:
                    target = field.model._meta
                    parts.append(
                        f"(SELECT r.{q(field.column)} FROM {q(target.db_table)} r "
                        f"WHERE r.{q(target.pk.column)} = a.{q(through.column)})"
                    )
            marks = ", ".join(["%s"] * count)
            where = f"a.{q(meta.pk.column)} IN ({marks})"
            self._statements[key] = f"SELECT {', '.join(parts)} FROM {q(meta.db_table)} a WHERE {where}"
        return self._statements[key]

    def _converters_for(self, alias: str) -> Converter:
        if alias not in self._converters:
            self._converters[alias] = Converter(
                [field for field, _through in self._fields], connections[alias]
            )
        return self._converters[alias]

    def __call__(self, keys: Iterable) -> dict:
        keys = list(keys)
        if not keys:
            return {}
        alias = router.db_for_read(self.model)
        connection, converters = connections[alias], self._converters_for(alias)
        params = [self.model._meta.pk.get_db_prep_value(key, connection) for key in keys]
        with connection.cursor() as cursor:
            cursor.execute(self._sql(alias, len(keys)), params)
            rows = cursor.fetchall()
        found = {}
        for row in map(converters, rows):
            found[row[self._key]] = row
        return found
