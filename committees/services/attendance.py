"""The meeting on its day: the start, attendance and quorum, opening the vote, recusals."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from applications.models import Application
from portal import clock
from portal.services import notify

from .. import voting
from ..exceptions import CommitteeError, InvalidTransition
from ..models import Attendance, BallotBox, BallotReceipt, DrawEntry, Expert, Meeting, Recusal
from ..permissions import require_clerk
from ..workflow import MEETING
from .ballots import box_seal_zero
from .grants import dossier_grant_panel, dossier_withdraw
from .meetings import _locked, _require_status, live_items


def meeting_start(*, meeting: Meeting, actor) -> Meeting:
    """The meeting opens on its day; the draw and its seed are revealed (D: Draw seed)."""
    require_clerk(actor, meeting.committee_id)

    def check(locked: Meeting) -> None:
        if clock.today() < locked.held_on:
            raise CommitteeError(f"会议定于{locked.held_on:%Y年%m月%d日}召开，不能提前开始。")

    def change(locked: Meeting) -> None:
        locked.started_at = locked.seed_revealed_at = clock.now()
        locked.started_by = actor
        dossier_grant_panel(locked)

    def tell(locked: Meeting) -> None:
        _tell_panel(
            locked,
            "start",
            f"{locked.title}已开始，请查阅评审材料；需回避的申报请及时申请回避。",
        )

    return MEETING.take(meeting, "start", actor=actor, check=check, change=change, notify=tell)


def _tell_panel(meeting: Meeting, step: str, message: str, *, present_only: bool = False) -> None:
    """Notify the panel's experts who have an account (in the portal and by e-mail), once per step."""
    experts = [e.expert for e in panel_entries(meeting).select_related("expert__user")]
    if present_only:
        present = set(
            Attendance.objects.filter(meeting=meeting, present=True).values_list("expert_id", flat=True)
        )
        experts = [e for e in experts if e.pk in present]
    for expert in experts:
        if expert.user is not None:
            notify(
                user=expert.user,
                message=message,
                link=f"/committee/meetings/{meeting.pk}/",
                dedupe_key=f"meeting-{step}:{meeting.pk}:{expert.pk}",
            )


def panel_entries(meeting: Meeting):
    return (
        DrawEntry.objects.filter(draw__meeting=meeting, on_panel=True)
        .select_related("expert")
        .order_by("position")
    )


def meeting_record_attendance(*, meeting: Meeting, actor, present: dict[int, str]) -> list[Attendance]:
    """Record who of the panel is present, on site or remote (seed 002 远程评审). `present` maps expert
    ids to a mode; panel experts not in it are absent. Can be corrected until voting opens."""
    require_clerk(actor, meeting.committee_id)
    with transaction.atomic():
        locked = _locked(meeting)
        _require_status(locked, Meeting.Status.STARTED, message="只能在会议开始后、投票开始前登记出席")
        panel = {e.expert_id: e.expert for e in panel_entries(locked)}
        unknown = set(present) - set(panel)
        if unknown:
            raise CommitteeError("只能登记本次会议执行委员的出席情况。", field="present")
        for mode in present.values():
            if mode not in Attendance.Mode.values:
                raise CommitteeError("出席方式无效。", field="present")
        now = clock.now()
        rows = []
        for expert_id in panel:
            row, _ = Attendance.objects.update_or_create(
                meeting=locked,
                expert_id=expert_id,
                defaults={
                    "present": expert_id in present,
                    "mode": present.get(expert_id, Attendance.Mode.ON_SITE),
                    "recorded_by": actor,
                    "recorded_at": now,
                },
            )
            rows.append(row)
    return rows


@dataclass(frozen=True)
class Quorum:
    panel_size: int
    present: int
    needed: int

    @property
    def met(self) -> bool:
        return voting.quorum_met(present=self.present, panel_size=self.panel_size)


def meeting_quorum(meeting: Meeting) -> Quorum:
    present = Attendance.objects.filter(meeting=meeting, present=True).count()
    return Quorum(meeting.panel_size, present, voting.quorum_needed(meeting.panel_size))


def meeting_open_voting(*, meeting: Meeting, actor) -> Meeting:
    """Voting opens only with the quorum (D: Quorum); attendance is then fixed: no proxy, no late vote."""
    require_clerk(actor, meeting.committee_id)

    def check(locked: Meeting) -> None:
        if Attendance.objects.filter(meeting=locked).count() < panel_entries(locked).count():
            raise CommitteeError("请先登记全部执行委员的出席情况。")
        quorum = meeting_quorum(locked)
        if not quorum.met:
            raise CommitteeError(
                f"出席专家{quorum.present}人，不足执行委员会{quorum.panel_size}人的三分之二"
                f"（至少{quorum.needed}人），不能表决。"
            )

    def open_boxes(locked: Meeting) -> None:
        now = clock.now()
        BallotBox.objects.bulk_create(
            [BallotBox(meeting=locked, application=i.application, opened_at=now) for i in live_items(locked)],
            ignore_conflicts=True,
        )
        # Each box opens with its counters at zero, sealed to it (the box's id is known only now).
        for box in BallotBox.objects.filter(meeting=locked, sealed_tally__isnull=True):
            box_seal_zero(box)
        locked.voting_opened_at = now

    def tell(locked: Meeting) -> None:
        _tell_panel(
            locked, "voting", f"{locked.title}已开始投票，请登录平台对各申报人投票。", present_only=True
        )

    return MEETING.take(meeting, "open_voting", actor=actor, check=check, change=open_boxes, notify=tell)


def recusal_add(*, meeting: Meeting, expert: Expert, application: Application, actor, reason: str) -> Recusal:
    """An expert withdraws from one application (applied for, or notified by the office; 40号令 M)."""
    if expert.user_id != actor.pk:
        require_clerk(actor, meeting.committee_id)
    if not reason.strip():
        raise CommitteeError("请填写回避理由。", field="reason")
    with transaction.atomic():
        locked = _locked(meeting)
        _require_status(
            locked, Meeting.Status.DRAWN, Meeting.Status.STARTED, Meeting.Status.VOTING, message="会议已结束"
        )
        if not panel_entries(locked).filter(expert=expert).exists():
            raise CommitteeError("该专家不是本次会议的执行委员。", field="expert")
        if not live_items(locked).filter(application=application).exists():
            raise CommitteeError("该申报不在本次会议名单中。", field="application")
        if BallotReceipt.objects.filter(
            box__meeting=locked, box__application=application, expert=expert
        ).exists():
            raise InvalidTransition("该专家已对该申报投票，不能再回避。")
        recusal, created = Recusal.objects.get_or_create(
            meeting=locked,
            expert=expert,
            application=application,
            defaults={"reason": reason.strip()[:300], "created_by": actor, "created_at": clock.now()},
        )
        if not created:
            raise InvalidTransition("已登记回避。")
        dossier_withdraw(user_id=expert.user_id, application=application)
    return recusal
