from __future__ import annotations

import functools

from django.db import connection

from . import clock, sweeps
from .menus import menu_for, security_log_clause
from .models import Notification, Role
from .roles import roles_of

# The badge shows "99+" beyond this: counting further would read every unread row on every page.
UNREAD_BADGE_CAP = 99


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0, "nav_menu": []}
    unread, reads_log = _standing(user)
    return {
        "unread_notifications": unread,
        "unread_cap": UNREAD_BADGE_CAP,
        "nav_menu": menu_for(user, reads_security_log=reads_log),
    }


@functools.cache
def _unread_sql() -> str:
    """The user's unread notifications, counted no further than the cap + 1 through the partial index
    of unread rows (the user's id its parameter). Written once per process, as _standing runs on
    every signed-in page."""
    q, meta = connection.ops.quote_name, Notification._meta
    user, read_at = q(meta.get_field("user").column), q(meta.get_field("read_at").column)
    return (
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {q(meta.db_table)} WHERE {user} = %s AND {read_at} IS NULL "
        f"LIMIT {UNREAD_BADGE_CAP + 1}) AS unread"
    )


def _standing(user) -> tuple[int, bool]:
    """The unread notifications (capped) and whether the menu offers the security log: one statement
    for every signed-in page."""
    log_sql, log_params = security_log_clause(user)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({_unread_sql()}), {log_sql}", [user.pk, *log_params])
        unread, reads_log = cursor.fetchone()
    return unread, bool(reads_log)


def time_status(request):
    """The demo clock's banner (every page, while an offset is active) and, for the staff who depend on
    the periodic sweeps (bureau officers, committee clerks, admins), when the sweeps last ran."""

    user = getattr(request, "user", None)
    staff = (
        user is not None
        and user.is_authenticated
        and (user.is_superuser or any(role in roles_of(user) for role in (Role.OFFICER, Role.CLERK)))
    )
    return {
        "demo_clock": clock.demo_clock(),
        "demo_now": clock.now,
        # A callable: the query runs only where the footer shows it.
        "sweep_status": sweeps.sweep_report if staff else None,
    }
