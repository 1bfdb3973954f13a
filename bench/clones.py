"""Rows for the sweep and draw benchmarks, made in PostgreSQL by copying a template row many times in one
INSERT … SELECT (every column copied from the template unless overridden by an SQL expression), so that
100,000 applications take seconds instead of the volume generator's quarter of an hour. The copies are
new accounts, archives and applications of their own; their histories start empty (count 0, head empty),
which the hash chain accepts (the first row the portal appends links to the genesis hash).

`tag` is made by the benchmark (letters and digits only) and is written into the SQL as it is."""

from __future__ import annotations

import re

from django.db import connection


def columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def copy_rows(table: str, *, template_id, source: str, overrides: dict[str, str], where: str = "TRUE") -> int:
    """INSERT INTO table SELECT <the template's columns, or the overrides> FROM table t, <source> WHERE
    t.id = template_id AND <where>. The overrides may name what `source` brings (`g` of a
    generate_series, joined rows). An identity `id` not overridden is left to its sequence."""
    names = [c for c in columns(table) if c != "id" or "id" in overrides]
    select = ", ".join(overrides.get(c, f't."{c}"') for c in names)
    quoted = ", ".join(f'"{c}"' for c in names)
    sql = f'INSERT INTO "{table}" ({quoted}) SELECT {select} FROM "{table}" t, {source} '
    sql += f"WHERE t.id = %s AND {where}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [template_id])
        return cursor.rowcount


def new_tag(prefix: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM auth_user WHERE username LIKE %s", [f"{prefix}%"])
        tag = f"{prefix}{cursor.fetchone()[0]}x"
    assert re.fullmatch(r"[a-z0-9]+", tag)
    return tag


def copy_users(*, tag: str, template_id: int, count: int) -> None:
    """`count` accounts named `<tag>-<n>`, copied from the template account."""
    copy_rows(
        "auth_user",
        template_id=template_id,
        source=f"generate_series(1, {int(count)}) AS g",
        overrides={"username": f"'{tag}-' || g", "email": "''", "last_login": "NULL"},
    )


def copy_applications(*, tag: str, template, count: int, overrides: dict[str, str]) -> list:
    """`count` copies of the template application, each with its own account and archive (with the
    archive's work periods and achievements). Returns the new applications' ids in number order."""
    copy_users(tag=tag, template_id=template.applicant_id, count=count)
    mine = f"u.username LIKE '{tag}-%%'"
    copy_rows(
        "applications_archive",
        template_id=template.archive_id,
        source="auth_user u",
        where=mine,
        overrides={
            "user_id": "u.id",
            # A unique keyed-hash stand-in per copy; the sealed number is the template's, bound to the
            # template's account, so a copy's number does not open (the benchmarks never read it).
            "id_number_digest": f"'{tag}' || u.id",
            "email": "''",
        },
    )
    archives = "applications_archive a JOIN auth_user u ON u.id = a.user_id"
    for table in ("applications_workperiod", "applications_achievement"):
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT id FROM "{table}" WHERE archive_id = %s ORDER BY id', [template.archive_id]
            )
            entry_ids = [row[0] for row in cursor.fetchall()]
        for entry_id in entry_ids:
            copy_rows(
                table, template_id=entry_id, source=archives, where=mine, overrides={"archive_id": "a.id"}
            )
    copy_rows(
        "applications_application",
        template_id=template.pk,
        source=archives,
        where=mine,
        overrides={
            "id": "gen_random_uuid()",
            "number": f"'{tag}-' || lpad(u.id::text, 10, '0')",
            "applicant_id": "u.id",
            "archive_id": "a.id",
            "history_count": "0",
            "history_head": "''",
            **overrides,
        },
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM applications_application WHERE number LIKE %s ORDER BY number", [f"{tag}-%"]
        )
        return [row[0] for row in cursor.fetchall()]
