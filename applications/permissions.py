"""Who may see and act on an application. Views and API views start here."""

from __future__ import annotations

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from portal.models import EMPLOYER_KINDS, Organisation, Role
from portal.roles import has_role, org_ids  # noqa: F401  (re-exported for views)

from .entrusted import entrusted_to_office_without_grant
from .exceptions import PermissionDenied
from .models import Application
from .states import State

# The states in which each party has (or had) the application: an employer once it is submitted (a
# draft is the applicant's own), the receiving bureau once the employer recommended it, the committee
# and its filing bureau once the bureau recommended it. Lists (Q below) and actions (holds) share them.
_EMPLOYER_STATES = frozenset(State.values) - {State.DRAFT}
_BUREAU_STATES = _EMPLOYER_STATES - {
    State.EMPLOYER_AUDIT,
    State.RETURNED,
    State.EMPLOYER_PUBLICITY,
    State.EMPLOYER_PUBLICITY_DONE,
    State.WITHDRAWN,
}
COMMITTEE_STATES = _BUREAU_STATES - {State.BUREAU_REVIEW}
EMPLOYER_STATES, BUREAU_STATES = _EMPLOYER_STATES, _BUREAU_STATES
_NOT_DRAFT = Q(state__in=sorted(_EMPLOYER_STATES))
_AT_BUREAU_OR_LATER = Q(state__in=sorted(_BUREAU_STATES))
AT_COMMITTEE_OR_LATER = Q(state__in=sorted(COMMITTEE_STATES))


class Actor(models.TextChoices):
    """Who takes a move, relative to one application (applications.workflow.MOVES)."""

    APPLICANT = "applicant", _("申报人")
    EMPLOYER = "employer", _("推荐单位经办人")  # HR of the recommending organisation or the workplace
    BUREAU = "bureau", _("主管部门/人社经办")  # the plan's receiving organisation or the employer's bureau
    COMMITTEE = "committee", _("评委会办公室")  # the committee holding the application
    HIGHER_COMMITTEE = "higher_committee", _("上级评委会办公室")  # the committee it is recommended to
    FILING_BUREAU = "filing_bureau", _("核准备案部门")  # the bureau that files the holding committee
    SYSTEM = "system", _("系统")


# The role each actor's history row records.
ROLE_OF = {
    Actor.APPLICANT: Role.APPLICANT,
    Actor.EMPLOYER: Role.HR,
    Actor.BUREAU: Role.OFFICER,
    Actor.FILING_BUREAU: Role.OFFICER,
    Actor.COMMITTEE: Role.CLERK,
    Actor.HIGHER_COMMITTEE: Role.CLERK,
    Actor.SYSTEM: "system",
}


def place(application: Application) -> None:
    """Copy who holds or watches the application into its holder columns, from its plan (which an
    entrustment changes) and its recommending organisation; every move calls it before saving."""
    application.receiving_bureau_id = application.plan.receiving_org_id
    application.higher_committee_id = application.plan.higher_committee_id
    application.employer_bureau_id = application.recommending_org.parent_bureau_id


def applications_visible_to(user) -> QuerySet[Application]:
    """Everyone who may act on an application sees it (tests/applications/test_access.py checks it)."""
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
        q |= (Q(receiving_bureau__in=officer) | Q(employer_bureau__in=officer)) & _AT_BUREAU_OR_LATER
        # The bureau that files the holding committee: 初定 and the approval of results.
        q |= Q(committee__parent_bureau__in=officer) & AT_COMMITTEE_OR_LATER
    clerk = org_ids(user, Role.CLERK)
    if clerk:
        q |= (
            Q(plan__committee__in=clerk) | Q(committee__in=clerk) | Q(higher_committee__in=clerk)
        ) & AT_COMMITTEE_OR_LATER
    prefixes = auditor_regions(user)
    if prefixes:
        q |= in_regions(prefixes, *APPLICATION_REGION_FIELDS) & _NOT_DRAFT
    return Application.objects.filter(q)


# ---------------------------------------------------------------- the auditor's region

# An auditor reads what passes through their organisation's region (a city: all its districts): an
# application by its recommending organisation, its plan's committee or the committee holding it (so
# that the applications of a meeting the auditor reads are theirs to read too).
APPLICATION_REGION_FIELDS = (
    "recommending_org__region__code",
    "plan__committee__region__code",
    "committee__region__code",
)


def region_prefix(code: str) -> str:
    """The GB/T 2260 prefix a region's subdivisions share: 330000 → 33, 330800 → 3308, 330802 → 330802."""
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def _region_prefixes(org_pks: list[int]) -> set[str]:
    return {
        region_prefix(code)
        for code in Organisation.objects.filter(pk__in=org_pks).values_list("region__code", flat=True)
    }


def auditor_regions(user) -> frozenset[str]:
    """The region prefixes the user audits (none for anyone who is no auditor); read once per request
    and kept on the user object, like their roles."""
    if not user.is_authenticated:
        return frozenset()
    cached = user.__dict__.get("_portal_audit_regions")
    if cached is None:
        orgs = org_ids(user, Role.AUDITOR)
        cached = frozenset(_region_prefixes(orgs)) if orgs else frozenset()
        user.__dict__["_portal_audit_regions"] = cached
    return cached


def in_regions(prefixes, *fields: str) -> Q:
    """Rows where any of these region-code fields lies in any of the regions (no prefix: no row)."""
    q = Q(pk__in=[])
    for prefix in sorted(prefixes):
        for field in fields:
            q |= Q(**{f"{field}__startswith": prefix})
    return q


def audited_applications(user) -> QuerySet[Application]:
    """The applications of the auditor's region, whatever other roles they hold (the auditor's own list
    and statistics); 403 for anyone who audits no region."""
    require_auditor(user)
    return Application.objects.filter(
        in_regions(auditor_regions(user), *APPLICATION_REGION_FIELDS) & _NOT_DRAFT
    )


def require_auditor(user) -> None:
    """The auditor's own pages: 403 for anyone who audits no region."""
    if not auditor_regions(user):
        raise PermissionDenied("您不是监督审计人员。")


def audits(user, *codes: str | None) -> bool:
    """Whether the user audits a region holding any of these region codes."""
    prefixes = auditor_regions(user)
    return any(code and code.startswith(prefix) for code in codes for prefix in prefixes)


def holds_org(user, org_id: int | None, role: str) -> bool:
    """Whether the user is an active member of this organisation with this role."""
    return org_id is not None and org_id in org_ids(user, role)


def holds(user, application: Application, actor: str) -> bool:
    """Whether the user is this actor for this application at its present stage (which moves the
    state allows is the workflow's table)."""
    if not user.is_authenticated or application.state not in _WINDOW.get(actor, ()):
        return False
    if actor == Actor.APPLICANT:
        return application.applicant_id == user.pk
    if actor == Actor.EMPLOYER:
        orgs = org_ids(user, Role.HR)
        return any(
            org is not None and org.pk in orgs and org_may_act(org)
            for org in (application.recommending_org, application.workplace)
        )
    if actor == Actor.BUREAU:
        orgs = org_ids(user, Role.OFFICER)
        return application.receiving_bureau_id in orgs or application.employer_bureau_id in orgs
    if actor == Actor.FILING_BUREAU:
        bureau = application.committee.parent_bureau_id
        return bureau is not None and bureau in org_ids(user, Role.OFFICER)
    if actor == Actor.COMMITTEE:
        return application.committee_id in org_ids(user, Role.CLERK) and not (
            entrusted_to_office_without_grant(application)
        )
    if actor == Actor.HIGHER_COMMITTEE:
        higher = application.higher_committee_id
        return higher is not None and higher in org_ids(user, Role.CLERK)
    return False


def holds_any(user, application: Application, actors) -> bool:
    return any(holds(user, application, actor) for actor in actors)


def role_held(user, application: Application, actors) -> str:
    """The role recorded for a user taking a move open to several actors: the first they hold."""
    for actor in sorted(actors):
        if holds(user, application, actor):
            return ROLE_OF[actor]
    raise PermissionDenied()


_WINDOW = {
    Actor.APPLICANT: frozenset(State.values),
    Actor.EMPLOYER: _EMPLOYER_STATES,
    Actor.BUREAU: _BUREAU_STATES,
    Actor.COMMITTEE: COMMITTEE_STATES,
    Actor.HIGHER_COMMITTEE: COMMITTEE_STATES,
    Actor.FILING_BUREAU: COMMITTEE_STATES,
}

_DENIED = {
    Actor.COMMITTEE: "该申报不由您所在的评委会办理。",
    Actor.HIGHER_COMMITTEE: "该申报未推荐至您所在的评委会。",
    Actor.FILING_BUREAU: "该事项由评委会的核准备案部门办理。",
}


def denial(actors) -> PermissionDenied:
    """The refusal for someone who is none of these actors, naming who acts where that helps."""
    for actor in sorted(actors):
        if actor in _DENIED:
            return PermissionDenied(_DENIED[actor])
    return PermissionDenied()


# The actors a membership role covers, for pages that ask "may this officer act here at all".
_ACTORS_OF_ROLE = {
    Role.APPLICANT: (Actor.APPLICANT,),
    Role.HR: (Actor.EMPLOYER,),
    Role.OFFICER: (Actor.BUREAU,),
    Role.CLERK: (Actor.COMMITTEE,),
}


def acts_as(user, application: Application, role: str) -> bool:
    """Whether the user may act on this application in this membership role."""
    return holds_any(user, application, _ACTORS_OF_ROLE.get(role, ()))


def org_may_act(org) -> bool:
    """An employer's legal-person account acts only once its 授权委托书 is confirmed (seed 003 二(二))."""
    return org.kind not in EMPLOYER_KINDS or org.authorisation_confirmed_at is not None


def application_for(user, pk, *, role: str | None = None) -> Application:
    """The application if the user may see it (else 404); with `role`, also require acting in it
    (else 403)."""
    try:
        application = (
            applications_visible_to(user)
            # Three joins, not nine: PostgreSQL plans a pk lookup joined to nine tables in about 5 ms, far
            # more than it takes to run it; the other relations are single pk reads where a page uses them.
            .select_related("plan", "qualification", "archive")
            .get(pk=pk)
        )
    except (Application.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("申报不存在") from exc
    if role is not None and not acts_as(user, application, role):
        raise PermissionDenied()
    return application


# ---------------------------------------------------------------- the dossier (评审材料) of an application


class Reader(models.TextChoices):
    """Who reads an application's dossier, by the part they play in its review."""

    EMPLOYER = "employer", _("推荐单位")
    BUREAU = "bureau", _("主管部门")
    COMMITTEE = "committee", _("评委会办公室")
    EXPERT = "expert", _("评审专家")


# The experts of a meeting read its applications' dossiers through an object permission (django-guardian)
# that the committees grant when the meeting starts and withdraw at its close or cancellation, or from a
# recused expert for that one application; this app checks it without knowing about meetings.
DOSSIER_PERMISSION = "applications.review_dossier"


def granted_reader(user, application: Application) -> str | None:
    # A superuser passes every has_perm: the grant is for the experts it names, not for administrators.
    if user.is_superuser:
        return None
    return Reader.EXPERT if user.has_perm(DOSSIER_PERMISSION, application) else None


def dossier_reader(user, application: Application) -> str | None:
    """The part in which the user reads this dossier: the parties in the stages they hold the application
    (as in applications_visible_to), then the experts granted it; None when they may not."""
    if not user.is_authenticated:
        return None
    state = application.state
    hr = org_ids(user, Role.HR)
    if state in _EMPLOYER_STATES and {application.recommending_org_id, application.workplace_id} & set(hr):
        return Reader.EMPLOYER
    officer = set(org_ids(user, Role.OFFICER))
    if (
        state in _BUREAU_STATES
        and {application.receiving_bureau_id, application.employer_bureau_id} & officer
    ):
        return Reader.BUREAU
    if state in COMMITTEE_STATES and application.committee.parent_bureau_id in officer:
        return Reader.BUREAU
    clerk = set(org_ids(user, Role.CLERK))
    committees = {
        application.committee_id,
        application.plan.committee_id,
        application.higher_committee_id,
    }
    mine = committees & clerk
    # The office holding it only by entrustment reads it while its group holds the grant.
    if (
        state in COMMITTEE_STATES
        and mine
        and (mine != {application.committee_id} or not entrusted_to_office_without_grant(application))
    ):
        return Reader.COMMITTEE
    return granted_reader(user, application)


def dossier_for(user, pk) -> tuple[Application, str]:
    """The application and the part its dossier is read in; 404 for whoever may not see the application,
    403 for those who see it but review nothing (the applicant, an auditor)."""
    application = (
        Application.objects.select_related(
            "archive",
            "committee",
            "plan",
            "qualification",
            "specialty",
            "sub_specialty",
            "recommending_org",
            "workplace",
        )
        .filter(pk=pk)
        .first()
    )
    reader = dossier_reader(user, application) if application is not None else None
    if reader is not None:
        return application, reader
    if application is not None and applications_visible_to(user).filter(pk=pk).exists():
        raise PermissionDenied("评审材料仅供推荐单位、主管部门、评委会办公室和本场评审专家查阅。")
    raise Http404("申报不存在")
