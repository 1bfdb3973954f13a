"""Conflicts of interest (回避): declared by experts, and derived from the portal's own data.

D (Recusal): same current employer, same employer within the last 3 years, shared achievement or
project, declared relative; plus what the expert declares. Known when the meeting is filed, a conflict
excludes the expert from the draw (the filing freezes it); found after it (a late declaration, an
employer change), it recuses the expert from that application: they neither vote on it nor count in
its denominator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from applications.models import Application
from portal import bulk, clock
from portal.personal_data import id_digest
from portal.services import notify

from ..exceptions import CommitteeError, InvalidTransition, PermissionDenied
from ..models import (
    BallotReceipt,
    Conflict,
    ConflictDeclaration,
    ConflictKind,
    Expert,
    ExpertEmployment,
    Meeting,
    Recusal,
)
from ..permissions import is_clerk_of
from .conflict_facts import ApplicationIndex, applicant_facts, expert_facts, pair_conflicts


def _meeting_applications(meeting: Meeting) -> list[Application]:
    return list(
        Application.objects.filter(
            meeting_items__meeting=meeting, meeting_items__removed_at__isnull=True
        ).select_related("archive", "recommending_org", "workplace")
    )


def conflicts_refresh(*, meeting: Meeting, experts: QuerySet[Expert] | Iterable[Expert]) -> int:
    """Store every conflict between these experts (a pool's queryset, or a few experts) and the meeting's
    applications; idempotent (a conflict already stored, dismissed or not, is kept as it is). Returns how
    many were new. Reads and writes in a fixed number of statements whatever the pool and the list."""
    now = clock.now()
    today = clock.today()
    apps = ApplicationIndex(applicant_facts(_meeting_applications(meeting), today))
    existing = set(
        Conflict.objects.filter(meeting=meeting).values_list("expert_id", "application_id", "kind")
    )
    new = []
    for e in expert_facts(experts, today):
        for a in apps.candidates(e):
            for kind, source, detail in pair_conflicts(e, a):
                key = (e.pk, a.application.pk, kind)
                if key in existing:
                    continue
                existing.add(key)
                found = (meeting.pk, e.pk, a.application.pk, kind, source, detail[:300], now)
                new.append((*found, None, None, ""))
    columns = (
        "meeting_id",
        "expert_id",
        "application_id",
        "kind",
        "source",
        "detail",
        "found_at",
        "dismissed_by_id",
        "dismissed_at",
        "dismissed_reason",
    )
    bulk.insert_rows(Conflict, columns, new, ignore_conflicts=True)
    return len(new)


def meeting_check_conflicts(*, meeting: Meeting, actor) -> int:
    """The clerk's check of the whole pool against the meeting's list, before the draw."""
    if not is_clerk_of(actor, meeting.committee_id):
        raise PermissionDenied()
    if meeting.status != Meeting.Status.CREATED:
        raise InvalidTransition("会议已备案，专家库和回避情况已冻结；此后发现的冲突在抽取后按回避处理。")
    return conflicts_refresh(meeting=meeting, experts=Expert.objects.filter(committee=meeting.committee))


def conflict_dismiss(*, conflict: Conflict, actor, reason: str) -> Conflict:
    """A clerk may set aside a derived conflict, only with a recorded reason; declared ones stand."""
    if not is_clerk_of(actor, conflict.meeting.committee_id):
        raise PermissionDenied()
    if not reason.strip():
        raise CommitteeError("排除系统比对出的冲突须填写理由。", field="reason")
    with transaction.atomic():
        locked = Conflict.objects.select_for_update().select_related("meeting").get(pk=conflict.pk)
        if locked.source != Conflict.Source.DERIVED:
            raise InvalidTransition("专家本人申报的回避事项不能排除。")
        if locked.dismissed_at is not None:
            raise InvalidTransition("该冲突已排除。")
        if locked.meeting.status != Meeting.Status.CREATED:
            raise InvalidTransition("会议已备案，回避情况已冻结，不能再排除冲突。")
        locked.dismissed_at = clock.now()
        locked.dismissed_by = actor
        locked.dismissed_reason = reason.strip()
        locked.save()
    return locked


def recuse_after_draw(meeting: Meeting, conflicts: list[Conflict], actor=None) -> list[Recusal]:
    """Conflicts found after the draw recuse the expert from that application (unless already voted)."""
    made = []
    for conflict in conflicts:
        voted = BallotReceipt.objects.filter(
            box__meeting=meeting, box__application=conflict.application, expert=conflict.expert
        ).exists()
        if voted:
            continue
        try:
            with transaction.atomic():
                recusal = Recusal.objects.create(
                    meeting=meeting,
                    expert=conflict.expert,
                    application=conflict.application,
                    reason=f"{conflict.get_kind_display()}：{conflict.detail}"[:300],
                    conflict=conflict,
                    created_by=actor,
                    created_at=clock.now(),
                )
        except IntegrityError:
            continue
        made.append(recusal)
    return made


LIVE_AFTER_DRAW = (Meeting.Status.DRAWN, Meeting.Status.STARTED, Meeting.Status.VOTING)


def expert_recheck(*, expert: Expert, actor=None) -> list[Recusal]:
    """Check an expert again against every meeting they were drawn for and that is not over."""
    made = []
    meetings = Meeting.objects.filter(draw__entries__expert=expert, status__in=LIVE_AFTER_DRAW).distinct()
    for meeting in meetings:
        conflicts_refresh(meeting=meeting, experts=[expert])
        # Conflicts known before the draw excluded the expert from it, so any active one is new.
        stored = list(active_conflicts(meeting).filter(expert=expert).select_related("application", "expert"))
        recusals = recuse_after_draw(meeting, stored, actor)
        made.extend(recusals)
        for m in meeting.committee.memberships.filter(role="clerk", is_active=True).select_related("user"):
            for recusal in recusals:
                notify(
                    user=m.user,
                    message=f"{meeting.title}：专家{expert.name}对{recusal.application.archive.name}"
                    f"的申报应回避（{recusal.reason}）。",
                    link=f"/committee/meetings/{meeting.pk}/",
                )
    return made


def expert_change_employer(
    *, expert: Expert, actor, employer=None, employer_name: str = "", changed_on: dt.date | None = None
) -> list[Recusal]:
    """Record the expert's new employer; conflicts are checked again for drawn meetings (issue 5)."""
    if not is_clerk_of(actor, expert.committee_id) and expert.user_id != actor.pk:
        raise PermissionDenied()
    if employer is None and not employer_name.strip():
        raise CommitteeError("请填写新的工作单位。", field="employer_name")
    changed_on = changed_on or clock.today()
    with transaction.atomic():
        locked = Expert.objects.select_for_update().get(pk=expert.pk)
        if locked.employer_id or locked.employer_name:
            ExpertEmployment.objects.create(
                expert=locked,
                employer_id=locked.employer_id,
                employer_name=locked.employer_label,
                ended_on=changed_on,
            )
        locked.employer = employer
        locked.employer_name = employer.name if employer is not None else employer_name.strip()
        locked.save(update_fields=["employer", "employer_name"])
    return expert_recheck(expert=locked, actor=actor)


def expert_declare_conflict(
    *,
    expert: Expert,
    actor,
    kind: str,
    reason: str,
    application: Application | None = None,
    relative_name: str = "",
    relative_id_number: str = "",
) -> ConflictDeclaration:
    """The expert's own declaration (40号令 应当申请回避, M); a clerk may enter it on their behalf."""
    if expert.user_id != actor.pk and not is_clerk_of(actor, expert.committee_id):
        raise PermissionDenied()
    if kind not in ConflictKind.values:
        raise CommitteeError("请选择回避类型。", field="kind")
    if not reason.strip():
        raise CommitteeError("请说明回避事由。", field="reason")
    if application is None and not relative_id_number.strip():
        raise CommitteeError("请指明需回避的申报或亲属的证件号码。", field="relative_id_number")
    declaration = ConflictDeclaration.objects.create(
        expert=expert,
        kind=kind,
        reason=reason.strip(),
        application=application,
        relative_name=relative_name.strip(),
        relative_id_digest=id_digest(relative_id_number),
        declared_by=actor,
        declared_at=clock.now(),
    )
    expert_recheck(expert=expert, actor=actor)
    return declaration


def active_conflicts(meeting: Meeting):
    return Conflict.objects.filter(meeting=meeting, dismissed_at__isnull=True)


def drawn_experts(meeting: Meeting):
    return Expert.objects.filter(draw_entries__draw__meeting=meeting, draw_entries__on_panel=True)
