from __future__ import annotations

from . import clock, sweeps
from .menus import menu_for
from .models import Role
from .roles import roles_of

# The badge shows "99+" beyond this: counting further would read every unread row on every page.
UNREAD_BADGE_CAP = 99


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0, "nav_menu": []}
    return {
        "unread_notifications": user.notifications.filter(read_at__isnull=True)
        .order_by()
        .values("pk")[: UNREAD_BADGE_CAP + 1]
        .count(),
        "unread_cap": UNREAD_BADGE_CAP,
        "nav_menu": menu_for(user),
    }


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
