"""Who may see the working-day calendar's warnings and who may enter a year's holiday schedule."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal import clock
from portal.models import BUREAU_KINDS, Organisation, OrgKind, Role
from portal.roles import org_ids

# The State Council notice is entered once for everyone; a city or province bureau does it (or an admin).
CALENDAR_EDITOR_KINDS = (OrgKind.CITY_BUREAU, OrgKind.PROVINCE_BUREAU)
# Years the entry page offers around today: last year (late corrections) to the year after next.
YEARS_BACK, YEARS_AHEAD = 1, 2


def _officer_bureau_kinds(user) -> set[str]:
    """Kinds of the bureaus where the user is an officer (one query, cached on the user object)."""
    cached = user.__dict__.get("_calendar_bureau_kinds")
    if cached is None:
        ids = org_ids(user, Role.OFFICER)
        cached = (
            set(Organisation.objects.filter(pk__in=ids, kind__in=BUREAU_KINDS).values_list("kind", flat=True))
            if ids
            else set()
        )
        user.__dict__["_calendar_bureau_kinds"] = cached
    return cached


def sees_calendar_warnings(user) -> bool:
    """The admin and the officers of any bureau: they publish, or make others publish, on its dates."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(_officer_bureau_kinds(user))


def may_enter_calendar(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(_officer_bureau_kinds(user) & set(CALENDAR_EDITOR_KINDS))


def calendar_years_offered() -> range:
    today = clock.today()
    return range(today.year - YEARS_BACK, today.year + YEARS_AHEAD + 1)


def require_calendar_editor(user) -> None:
    if not may_enter_calendar(user):
        raise PermissionDenied("只有市、省人力社保部门的经办人员和系统管理员可以录入放假安排。")


def calendar_year_for(user, year: int) -> int:
    """The year whose schedule the user is about to enter: 403 for anyone else, 404 for a year not offered."""
    require_calendar_editor(user)
    if year not in calendar_years_offered():
        raise Http404("该年度不在可录入的范围内。")
    return year
