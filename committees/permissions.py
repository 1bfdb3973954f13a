"""Who may see and act on a committee's applications, meetings and filings. Views start here.

Object grants: a drawn expert's right to a meeting is the DrawEntry row itself (a plain assignment
table), not a django-guardian permission. The draw record is the single source of truth about who
sits on a panel (a reserve who replaces a decliner gains the right in the same row update), so a
second copy of that fact in guardian's tables could only drift from it.

Outsiders get 404 (Http404), people who may see an object but not take this action get 403
(PermissionDenied), as in applications.permissions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from applications.entrusted import entrusted_to_office_without_grant
from applications.models import Application
from applications.permissions import (
    AT_COMMITTEE_OR_LATER,
    applications_visible_to,
    auditor_regions,
    audits,
    in_regions,
)
from applications.states import State
from portal.models import Organisation, OrgKind, Role
from portal.roles import org_ids

from .exceptions import PermissionDenied
from .models import (
    DrawEntry,
    Expert,
    ExpertInvitation,
    Meeting,
    ResultFiling,
)

CLERK = "clerk"
BUREAU = "bureau"
EXPERT = "expert"
AUDITOR = "auditor"  # reads a meeting or filing of a committee in their region; no action names this role


def clerk_committees(user) -> list[int]:
    return org_ids(user, Role.CLERK) if user.is_authenticated else []


def officer_bureaus(user) -> list[int]:
    return org_ids(user, Role.OFFICER) if user.is_authenticated else []


def is_clerk_of(user, committee_id: int) -> bool:
    return committee_id in clerk_committees(user)


def is_filing_officer_of(user, committee: Organisation) -> bool:
    """The bureau that files the committee's meetings and approves its results (seed 004 一(三), 一(五))."""
    return committee.parent_bureau_id is not None and committee.parent_bureau_id in officer_bureaus(user)


def audits_committee(user, committee: Organisation) -> bool:
    """Whether the user is an auditor (监督审计) of the committee's region."""
    return audits(user, committee.region.code)


def require_clerk(user, committee_id: int) -> None:
    if not is_clerk_of(user, committee_id):
        raise PermissionDenied("您不是该评委会办公室的工作人员。")


def require_filing_officer(user, committee: Organisation) -> None:
    if not is_filing_officer_of(user, committee):
        raise PermissionDenied("您不是该评委会的核准备案部门工作人员。")


def expert_of(user) -> Expert | None:
    if not user.is_authenticated:
        return None
    return Expert.objects.filter(user=user).first()


def expert_for_clerk(user, pk) -> Expert:
    """A pool expert of one of the clerk's committees: 403 for someone who is no clerk, 404 otherwise."""
    committees = clerk_committees(user)
    if not committees:
        raise PermissionDenied("您不是评委会办公室的工作人员。")
    expert = Expert.objects.select_related("committee").filter(pk=pk, committee__in=committees).first()
    if expert is None:
        raise Http404("专家不存在")
    return expert


def invitation_for_token(token: str) -> ExpertInvitation | None:
    """The invitation a link's one-time token opens (only its hash is stored), or None."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    return ExpertInvitation.objects.select_related("expert__committee").filter(token_hash=digest).first()


# ---------------------------------------------------------------- applications held by a committee


def _held_by(committee_ids) -> Q:
    """The committee that holds an application (a column the workflow keeps current)."""
    return Q(committee__in=committee_ids)


def committee_applications(user) -> QuerySet[Application]:
    """What the user's committees hold once it reached them, and what is recommended to them."""
    committees = clerk_committees(user)
    if not committees:
        return Application.objects.none()
    awaiting_receipt = Q(higher_committee__in=committees, state=State.RECOMMENDED_UPWARD)
    return Application.objects.filter((_held_by(committees) & AT_COMMITTEE_OR_LATER) | awaiting_receipt)


def holding_committee_id(application: Application) -> int:
    return application.committee_id


def application_for_clerk(user, pk) -> Application:
    """An application held by one of the user's committees (else 404, or 403 when they see it otherwise)."""
    related = (
        "plan",
        "plan__committee",
        "plan__higher_committee",
        "qualification",
        "qualification__series",
        "specialty",
        "sub_specialty",
        "recommending_org",
        "workplace",
        "archive",
    )
    try:
        application = committee_applications(user).select_related(*related).get(pk=pk)
    except (Application.DoesNotExist, ValueError, TypeError) as exc:
        try:
            seen = applications_visible_to(user).filter(pk=pk).exists()
        except (ValueError, TypeError):
            seen = False
        if seen:
            raise PermissionDenied("该申报不由您所在的评委会办理。") from exc
        raise Http404("申报不存在") from exc
    awaiting_receipt = application.plan.higher_committee_id in clerk_committees(user)
    if not awaiting_receipt and entrusted_to_office_without_grant(application):
        raise PermissionDenied("该申报的委托评审未授权贵评委会办理。")
    return application


# ---------------------------------------------------------------- meetings


@dataclass(frozen=True)
class MeetingAccess:
    meeting: Meeting
    roles: frozenset[str]
    expert: Expert | None = None

    def require(self, role: str) -> MeetingAccess:
        if role not in self.roles:
            raise PermissionDenied()
        return self


def _expert_meetings(user) -> Q:
    """Meetings a user sits on as a panel expert; visible only once the meeting has started."""
    return Q(draw__entries__expert__user=user, draw__entries__on_panel=True, started_at__isnull=False)


def meetings_visible_to(user) -> QuerySet[Meeting]:
    if not user.is_authenticated:
        return Meeting.objects.none()
    q = Q(committee__in=clerk_committees(user)) | Q(committee__parent_bureau__in=officer_bureaus(user))
    q |= _expert_meetings(user)
    prefixes = auditor_regions(user)
    if prefixes:
        q |= in_regions(prefixes, "committee__region__code")
    return Meeting.objects.filter(q).distinct()


def meeting_for(user, pk, *, role: str | None = None) -> MeetingAccess:
    meeting = (
        Meeting.objects.select_related("committee", "committee__parent_bureau", "committee__region")
        .filter(pk=pk)
        .first()
    )
    if meeting is None or not user.is_authenticated:
        raise Http404("会议不存在")
    roles = set()
    if is_clerk_of(user, meeting.committee_id):
        roles.add(CLERK)
    if is_filing_officer_of(user, meeting.committee):
        roles.add(BUREAU)
    if audits_committee(user, meeting.committee):
        roles.add(AUDITOR)
    expert = None
    # A panel expert reads the meeting once they confirmed attendance, or from its start.
    entry = (
        DrawEntry.objects.select_related("expert")
        .filter(draw__meeting=meeting, expert__user=user, on_panel=True)
        .first()
    )
    if entry is not None and (meeting.started_at is not None or entry.accepted_at is not None):
        roles.add(EXPERT)
        expert = entry.expert
    if not roles:
        raise Http404("会议不存在")
    access = MeetingAccess(meeting, frozenset(roles), expert)
    return access.require(role) if role else access


def draw_entry_for_expert(user, pk) -> DrawEntry:
    """An invitation of the user (the drawn expert), before the meeting starts."""
    entry = (
        DrawEntry.objects.select_related("draw__meeting", "expert").filter(pk=pk, expert__user=user).first()
    )
    if entry is None:
        raise Http404("邀请不存在")
    return entry


def filing_for(user, pk, *, role: str | None = None) -> tuple[ResultFiling, frozenset[str]]:
    filing = (
        ResultFiling.objects.select_related(
            "committee", "committee__parent_bureau", "committee__region", "meeting"
        )
        .filter(pk=pk)
        .first()
    )
    if filing is None or not user.is_authenticated:
        raise Http404("备案不存在")
    roles = set()
    if is_clerk_of(user, filing.committee_id):
        roles.add(CLERK)
    if is_filing_officer_of(user, filing.committee):
        roles.add(BUREAU)
    if audits_committee(user, filing.committee):
        roles.add(AUDITOR)
    if not roles:
        raise Http404("备案不存在")
    if role and role not in roles:
        raise PermissionDenied()
    return filing, frozenset(roles)


def filings_visible_to(user) -> QuerySet[ResultFiling]:
    """The filings of the user's committees, of the committees their bureau files, and (an auditor)
    of the committees in their region; 403 for anyone who is none of these."""
    clerk, bureaus, prefixes = clerk_committees(user), officer_bureaus(user), auditor_regions(user)
    if not clerk and not bureaus and not prefixes:
        raise PermissionDenied()
    q = Q(committee__in=clerk) | Q(committee__parent_bureau__in=bureaus)
    if prefixes:
        q |= in_regions(prefixes, "committee__region__code")
    return ResultFiling.objects.filter(q)


def committee_for_clerk(user, pk) -> Organisation:
    committee = Organisation.objects.filter(pk=pk, kind=OrgKind.COMMITTEE).first()
    if committee is None or committee.pk not in clerk_committees(user):
        raise Http404("评委会不存在")
    return committee


def default_committee(user) -> Organisation:
    """The clerk's committee (the first, when they serve several); 403 for anyone else."""
    committees = clerk_committees(user)
    if not committees:
        raise PermissionDenied("您不是评委会办公室的工作人员。")
    return Organisation.objects.filter(pk__in=committees).order_by("pk").first()
