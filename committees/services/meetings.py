"""Review meetings before their day: creation a week ahead, the list, the bureau's filing (评前备案)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from applications import workflow
from applications.audit import bulk
from applications.models import Application, PublicityEntry, PublicityStage
from applications.states import State
from portal import clock
from portal.authority import authority_refusal
from portal.models import Organisation, Role, TitleLevel
from portal.services import notify, notify_members

from ..exceptions import CommitteeError, InvalidTransition, PermissionDenied
from ..models import DrawEntry, Meeting, MeetingApplication
from ..permissions import require_clerk, require_filing_officer
from ..workflow import MEETING
from .draw_filing import draw_freeze
from .grants import dossier_withdraw_meeting


def _locked(meeting: Meeting) -> Meeting:
    """The meeting row locked, for the steps that need a status but do not move it (the list, declines,
    attendance, recusals); the moves themselves go through MEETING.take."""
    return MEETING.lock(meeting.pk)


def _require_status(meeting: Meeting, *statuses: str, message: str) -> None:
    if meeting.status not in statuses:
        raise InvalidTransition(f"{message}（会议当前状态：{meeting.get_status_display()}）")


def meeting_create(
    *,
    committee: Organisation,
    actor,
    title: str,
    held_on: dt.date,
    level: int,
    place: str = "",
    mode: str = Meeting.Mode.ON_SITE,
    panel_size: int | None = None,
) -> Meeting:
    """Seed 004 一(三): 在拟召开评审会议一周前创建 (D: 7 calendar days)."""
    require_clerk(actor, committee.pk)
    today = clock.today()
    authority, refusal = authority_refusal(committee, today)
    if refusal:
        raise CommitteeError(refusal)
    if not title.strip():
        raise CommitteeError("请填写会议名称。", field="title")
    if held_on < today + dt.timedelta(days=7):
        earliest = today + dt.timedelta(days=7)
        raise CommitteeError(
            f"评审会议须在召开一周前创建，会议日期最早为{earliest:%Y年%m月%d日}。", field="held_on"
        )
    if level not in TitleLevel.values or not authority.min_level <= level <= authority.max_level:
        raise CommitteeError("评审层级不在本评委会的授权范围内。", field="level")
    if mode not in Meeting.Mode.values:
        raise CommitteeError("请选择评审方式。", field="mode")
    minimum = authority.panel_size_for(level)
    panel_size = panel_size or minimum
    if panel_size < minimum or panel_size % 2 == 0:
        raise CommitteeError(f"执行委员会人数应为不少于{minimum}的单数。", field="panel_size")
    return Meeting.objects.create(
        committee=committee,
        title=title.strip(),
        held_on=held_on,
        place=place.strip(),
        mode=mode,
        level=level,
        panel_size=panel_size,
        reserve_count=panel_size,  # D: reserves as many again
        created_by=actor,
        created_on=today,
        created_at=clock.now(),
    )


def _assign_one(*, application: Application, actor, meeting: Meeting) -> Application:
    if application.committee_id != meeting.committee_id:
        raise PermissionDenied("该申报不由本评委会办理。")
    if application.qualification.level > meeting.level:
        raise CommitteeError(f"“{application.qualification.name}”高于本次会议的评审层级。")

    def add(locked: Application) -> None:
        position = MeetingApplication.objects.filter(meeting=meeting).count() + 1
        MeetingApplication.objects.create(
            meeting=meeting, application=locked, position=position, added_by=actor, added_at=clock.now()
        )

    return workflow.transition(
        application_id=application.pk,
        action="assign_meeting",
        actor=actor,
        change=add,
        note=f"安排至{meeting.title}（{meeting.held_on:%Y-%m-%d}）",
        data={"meeting": meeting.pk},
    )


def meeting_assign(*, meeting: Meeting, applications: list[Application], actor):
    """Put applications whose pre-review publicity is over on the meeting's list, before it is filed.
    Each succeeds or fails on its own; returns (done, [(application, reason)])."""
    require_clerk(actor, meeting.committee_id)
    with transaction.atomic():
        locked = _locked(meeting)
        _require_status(locked, Meeting.Status.CREATED, message="会议已备案，评审名单不能再变更")
        done, failed = bulk(_assign_one, applications, actor=actor, meeting=locked)
        if done:
            _tell_bureau_filing_due(locked)
        return done, failed


def _tell_bureau_filing_due(meeting: Meeting) -> None:
    """The meeting has a list: it now waits for the bureau's filing (评前备案). Once per meeting."""
    notify_members(
        organisation=meeting.committee.parent_bureau_id,
        role=Role.OFFICER,
        message=f"{meeting.committee.name}的{meeting.title}（{meeting.held_on:%Y年%m月%d日}）待备案确认。",
        link=f"/committee/meetings/{meeting.pk}/",
        dedupe_key=f"meeting-file-due:{meeting.pk}",
    )


def meeting_unassign(*, meeting: Meeting, application: Application, actor, reason: str) -> Application:
    require_clerk(actor, meeting.committee_id)
    if not reason.strip():
        raise CommitteeError("请填写移出理由。", field="reason")
    with transaction.atomic():
        locked = _locked(meeting)
        _require_status(locked, Meeting.Status.CREATED, message="会议已备案，评审名单不能再变更")
        item = MeetingApplication.objects.filter(
            meeting=locked, application=application, removed_at__isnull=True
        ).first()
        if item is None:
            raise CommitteeError("该申报不在本次会议名单中。", field="application")

        def remove(_locked_app: Application) -> None:
            item.removed_at = clock.now()
            item.save(update_fields=["removed_at"])

        return workflow.transition(
            application_id=application.pk,
            action="unassign_meeting",
            actor=actor,
            change=remove,
            note=reason.strip(),
            data={"meeting": meeting.pk},
        )


def live_items(meeting: Meeting):
    return MeetingApplication.objects.filter(meeting=meeting, removed_at__isnull=True).select_related(
        "application",
        "application__archive",
        "application__qualification",
        "application__specialty__series",
        "application__recommending_org",
    )


def _filing_summary(meeting: Meeting, applications: list[Application]) -> str:
    entries = PublicityEntry.objects.filter(
        application__in=applications, notice__stage=PublicityStage.PRE_REVIEW
    ).select_related("notice")
    notices = {}
    for entry in entries:
        notices.setdefault(entry.notice, []).append(entry)
    lines = [f"评审对象{len(applications)}人，均已通过资格审查。"]
    for notice, rows in notices.items():
        passed = sum(e.outcome == PublicityEntry.Outcome.PASSED for e in rows)
        lines.append(
            f"评前公示《{notice.title}》：{notice.first_day:%Y年%m月%d日}至{notice.end_date:%Y年%m月%d日}"
            f"（{notice.working_days}个工作日），本次评审对象{len(rows)}人，期满无异议或异议不成立{passed}人。"
        )
    return "\n".join(lines)


def meeting_file(*, meeting: Meeting, actor, note: str = "") -> Meeting:
    """评前备案: the bureau confirms; the qualification check and the publicity are complete. The filing
    freezes the draw's pool and exclusions and commits to a sealed draw secret (D: Draw seed); their
    digest and the commitment go into the meeting's history and into each application's."""
    require_filing_officer(actor, meeting.committee)
    recorded: dict = {}  # the move's history row carries the digest and the commitment

    def check(locked: Meeting) -> None:
        if clock.today() > locked.held_on:
            raise CommitteeError("会议日期已过，不能备案。")
        items = list(live_items(locked))
        if not items:
            raise CommitteeError("会议尚无评审对象，不能备案。")
        not_ready = [i.application.number for i in items if i.application.state != State.IN_MEETING]
        if not_ready:
            raise CommitteeError(f"以下申报的资格审查或评前公示未完成：{'、'.join(not_ready)}")

    def change(locked: Meeting) -> None:
        applications = [i.application for i in live_items(locked)]
        filing = draw_freeze(meeting=locked, applications=applications, actor=actor)
        locked.seed_hash = filing.commitment
        locked.filing_summary = _filing_summary(locked, applications)
        if note.strip():
            locked.filing_summary += f"\n备案意见：{note.strip()}"
        locked.filed_at = clock.now()
        locked.filed_by = actor
        recorded.update(draw_digest=filing.digest, draw_commitment=filing.commitment)

    def tell(locked: Meeting) -> None:
        notify_members(
            organisation=locked.committee_id,
            role=Role.CLERK,
            message=f"{locked.title}已备案确认，可以抽取专家。",
            link=f"/committee/meetings/{locked.pk}/",
        )

    return MEETING.take(
        meeting,
        "file",
        actor=actor,
        note=note.strip(),
        data=recorded,
        check=check,
        change=change,
        notify=tell,
    )


def meeting_cancel(*, meeting: Meeting, actor, reason: str) -> Meeting:
    """Call a meeting off before it starts: its applications go back to await another meeting, and the
    drawn experts, the clerks and (once it was filed) the filing bureau are told."""
    if not reason.strip():
        raise CommitteeError("请填写取消理由。", field="reason")
    reason = reason.strip()

    def release(locked: Meeting) -> None:
        dossier_withdraw_meeting(locked)
        for item in live_items(locked):
            workflow.transition(
                application_id=item.application_id,
                action="unassign_meeting",
                actor=actor,
                note=f"{locked.title}取消：{reason}",
                data={"meeting": locked.pk},
            )
            item.removed_at = clock.now()
            item.save(update_fields=["removed_at"])

    def tell(locked: Meeting) -> None:
        message = f"{locked.title}（{locked.held_on:%Y年%m月%d日}）已取消：{reason}"
        link = f"/committee/meetings/{locked.pk}/"
        experts = DrawEntry.objects.filter(draw__meeting=locked, expert__user__isnull=False).select_related(
            "expert__user"
        )
        for entry in experts:
            notify(user=entry.expert.user, message=message, link="/committee/my-meetings/")
        notify_members(organisation=locked.committee_id, role=Role.CLERK, message=message, link=link)
        if locked.filed_at:
            notify_members(
                organisation=locked.committee.parent_bureau_id, role=Role.OFFICER, message=message, link=link
            )

    return MEETING.take(meeting, "cancel", actor=actor, note=reason, change=release, notify=tell)
