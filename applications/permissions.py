"""Who may see and act on an application. Views and API views start here."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from portal.models import EMPLOYER_KINDS, Role
from portal.roles import has_role, org_ids  # noqa: F401  (re-exported for views)

from .exceptions import PermissionDenied
from .models import Application
from .states import State

# An employer sees an application once it is submitted; a draft is the applicant's own.
_NOT_DRAFT = ~Q(state=State.DRAFT)
# States in which the receiving bureau has (or had) the application.
_AT_BUREAU_OR_LATER = ~Q(
    state__in=[
        State.DRAFT,
        State.EMPLOYER_AUDIT,
        State.RETURNED,
        State.EMPLOYER_PUBLICITY,
        State.EMPLOYER_PUBLICITY_DONE,
        State.WITHDRAWN,
    ]
)
_AT_COMMITTEE_OR_LATER = _AT_BUREAU_OR_LATER & ~Q(state=State.BUREAU_REVIEW)


def applications_visible_to(user) -> QuerySet[Application]:
    if not user.is_authenticated:
        return Application.objects.none()
    if user.is_superuser:
        return Application.objects.all()
    q = Q(applicant=user)
    hr = org_ids(user, Role.HR)
    if hr:
        q |= (Q(recommending_org__in=hr) | Q(workplace__in=hr)) & _NOT_DRAFT
    officer = org_ids(user, Role.OFFICER)
    if officer:
        q |= (
            Q(plan__receiving_org__in=officer) | Q(recommending_org__parent_bureau__in=officer)
        ) & _AT_BUREAU_OR_LATER
    clerk = org_ids(user, Role.CLERK)
    if clerk:
        q |= (Q(plan__committee__in=clerk) | Q(plan__higher_committee__in=clerk)) & _AT_COMMITTEE_OR_LATER
    auditor = org_ids(user, Role.AUDITOR)
    if auditor:
        # An auditor reads what passes through their organisation's region (a city: all its districts).
        for prefix in _region_prefixes(auditor):
            q |= (
                Q(recommending_org__region__code__startswith=prefix)
                | Q(plan__committee__region__code__startswith=prefix)
            ) & _NOT_DRAFT
    return Application.objects.filter(q)


def region_prefix(code: str) -> str:
    """The GB/T 2260 prefix a region's subdivisions share: 330000 → 33, 330800 → 3308, 330802 → 330802."""
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def _region_prefixes(org_pks: list[int]) -> set[str]:
    from portal.models import Organisation

    return {
        region_prefix(code)
        for code in Organisation.objects.filter(pk__in=org_pks).values_list("region__code", flat=True)
    }


def acts_as(user, application: Application, role: str) -> bool:
    """Whether the user may act on this application in this role (state is checked by the workflow)."""
    if not user.is_authenticated:
        return False
    if role == Role.APPLICANT:
        return application.applicant_id == user.pk
    if role == Role.HR:
        orgs = org_ids(user, Role.HR)
        for org in (application.recommending_org, application.workplace):
            if org is not None and org.pk in orgs and org_may_act(org):
                return True
        return False
    if role == Role.OFFICER:
        orgs = org_ids(user, Role.OFFICER)
        if application.plan.receiving_org_id in orgs or application.recommending_org.parent_bureau_id in orgs:
            return True
        # The committee's filing bureau approves its results and 初定 (seed 004 一(五), 二(三));
        # committees/ checks which committee holds the application.
        plan = application.plan
        return any(
            c is not None and c.parent_bureau_id in orgs for c in (plan.committee, plan.higher_committee)
        )
    if role == Role.CLERK:
        orgs = org_ids(user, Role.CLERK)
        return application.plan.committee_id in orgs or application.plan.higher_committee_id in orgs
    return False


def org_may_act(org) -> bool:
    """An employer's legal-person account acts only once its 授权委托书 is confirmed (seed 003 二(二))."""
    return org.kind not in EMPLOYER_KINDS or org.authorisation_confirmed_at is not None


def application_for(user, pk, *, role: str | None = None) -> Application:
    """The application if the user may see it (else 404); with `role`, also require acting in it (else 403)."""
    try:
        application = (
            applications_visible_to(user)
            .select_related(
                "plan",
                "plan__committee",
                "qualification",
                "specialty",
                "sub_specialty",
                "recommending_org",
                "workplace",
                "archive",
            )
            .get(pk=pk)
        )
    except (Application.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("申报不存在") from exc
    if role is not None and not acts_as(user, application, role):
        raise PermissionDenied()
    return application
