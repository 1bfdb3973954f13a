from __future__ import annotations

from .roles import roles_of


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0, "nav_roles": {}}
    return {
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
        "nav_roles": dict.fromkeys(roles_of(user), True),
    }
