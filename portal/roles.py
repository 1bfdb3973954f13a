"""A user's roles, read once per request from their memberships."""

from __future__ import annotations

from .models import Membership


def roles_of(user) -> dict[str, list[int]]:
    """Role -> ids of the organisations where the user holds it (cached on the user object)."""
    if not user.is_authenticated:
        return {}
    cached = user.__dict__.get("_portal_roles")
    if cached is None:
        cached = {}
        rows = Membership.objects.filter(user=user, is_active=True, organisation__is_active=True).values_list(
            "organisation_id", "role"
        )
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
