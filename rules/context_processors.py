from __future__ import annotations

from portal import clock
from portal.models import Role
from portal.roles import org_ids

from . import permissions, workdays


def calendar_warning(request):
    """From 1 October, while next year's holiday schedule is not entered (or at any time this year's),
    the admin and the bureau officers see a banner with a link to the entry page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not (user.is_superuser or org_ids(user, Role.OFFICER)):
        return {}  # the roles are read already: no query for anyone else

    def warning() -> dict | None:
        years = workdays.calendar_gaps(clock.today())  # no query on most days of a covered year
        if not years or not permissions.sees_calendar_warnings(user):
            return None
        return {"years": years, "may_enter": permissions.may_enter_calendar(user)}

    return {"calendar_warning": warning}
