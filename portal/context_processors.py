from __future__ import annotations

from django.db import connection

from . import clock, sweeps
from .menus import menu_for, security_log_permission, security_log_settled
from .models import Role
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


def _standing(user) -> tuple[int, bool]:
    """The unread notifications (counted no further than the cap + 1, through the partial index of
    unread rows) and whether the menu offers the security log: one statement for every signed-in page."""
    unread_sql, unread_params = (
        user.notifications.filter(read_at__isnull=True)
        .order_by()
        .values("pk")[: UNREAD_BADGE_CAP + 1]
        .query.sql_with_params()
    )
    settled = security_log_settled(user)
    if settled is None:
        log_sql, log_params = security_log_permission(user).values("pk").query.sql_with_params()
    else:
        log_sql, log_params = "SELECT 1", []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM ({unread_sql}) AS unread), EXISTS ({log_sql})",
            [*unread_params, *log_params],
        )
        unread, reads_log = cursor.fetchone()
    return unread, bool(reads_log) if settled is None else settled


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
