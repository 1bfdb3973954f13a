"""A user's roles, read once per request from their memberships."""

from __future__ import annotations

import functools

from django.db import connection

from .models import Membership, Organisation


@functools.cache
def _memberships_sql() -> str:
    """The user's active memberships of active organisations (the user's id its parameter): almost every
    signed-in page reads it, so it is written once per process rather than compiled by the ORM each time."""
    q, meta, org = connection.ops.quote_name, Membership._meta, Organisation._meta

    def column(model_meta, name: str) -> str:
        return q(model_meta.get_field(name).column)

    return (
        f"SELECT m.{column(meta, 'organisation')}, m.{column(meta, 'role')} FROM {q(meta.db_table)} m "
        f"JOIN {q(org.db_table)} o ON o.{q(org.pk.column)} = m.{column(meta, 'organisation')} "
        f"WHERE m.{column(meta, 'user')} = %s AND m.{column(meta, 'is_active')} "
        f"AND o.{column(org, 'is_active')}"
    )


def roles_of(user) -> dict[str, list[int]]:
    """Role -> ids of the organisations where the user holds it (cached on the user object)."""
    if not user.is_authenticated:
        return {}
    cached = user.__dict__.get("_portal_roles")
    if cached is None:
        cached = {}
        with connection.cursor() as cursor:
            cursor.execute(_memberships_sql(), [user.pk])
            rows = cursor.fetchall()
        for org_id, role in rows:
            cached.setdefault(role, []).append(org_id)
        user.__dict__["_portal_roles"] = cached
    return cached


def org_ids(user, role: str) -> list[int]:
    return roles_of(user).get(role, [])


def has_role(user, role: str) -> bool:
    return bool(org_ids(user, role))


def is_member(user, org_id: int | None, role: str) -> bool:
    """Whether the user is an active member of the organisation with this role."""
    if user is None or org_id is None:
        return False
    return org_id in org_ids(user, role)
