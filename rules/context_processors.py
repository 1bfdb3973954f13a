from __future__ import annotations

from portal import clock

from . import permissions, workdays


def calendar_warning(request):
    """From 1 October, while next year's holiday schedule is not entered (or at any time this year's),
    the admin and the bureau officers see a banner with a link to the entry page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def warning() -> dict | None:
        years = workdays.calendar_gaps(clock.today())  # no query on most days of a covered year
        if not years or not permissions.sees_calendar_warnings(user):
            return None
        return {"years": years, "may_enter": permissions.may_enter_calendar(user)}

    return {"calendar_warning": warning}
