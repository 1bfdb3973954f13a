"""Review meetings: created a week ahead, filed by the bureau (评前备案), experts drawn, started,
attendance and quorum, recusals, closing with the counted results (seed 004 一(三)–(四))."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from applications import workflow
from applications.audit import bulk
from applications.models import Application, PublicityEntry, PublicityStage
from applications.states import State
from portal import clock
from portal.authority import authority_refusal
from portal.models import Organisation, Role, TitleLevel
from portal.services import notify, notify_members

from .. import draw as drawing
from .. import voting
from ..exceptions import CommitteeError, InvalidTransition, PermissionDenied
from ..models import (
    Attendance,
    Ballot,
    BallotBox,
    BallotReceipt,
    DrawEntry,
    DrawRecord,
    Expert,
    ExpertUnavailability,
    Meeting,
    MeetingApplication,
    MeetingResult,
    Recusal,
)
from ..permissions import require_clerk, require_filing_officer
from ..workflow import MEETING
from .conflicts import active_conflicts, conflicts_refresh


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
        return bulk(_assign_one, applications, actor=actor, meeting=locked)


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
        "application__specialty",
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
    """评前备案: the bureau confirms; the qualification review and the publicity are complete. The draw
    seed is generated here and its SHA-256 published (D: Draw seed)."""
    require_filing_officer(actor, meeting.committee)

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
        seed = secrets.token_hex(32)
        locked.seed = seed
        locked.seed_hash = drawing.seed_hash(seed)
        locked.filing_summary = _filing_summary(locked, [i.application for i in live_items(locked)])
        if note.strip():
            locked.filing_summary += f"\n备案意见：{note.strip()}"
        locked.filed_at = clock.now()
        locked.filed_by = actor

    def tell(locked: Meeting) -> None:
        notify_members(
            organisation=locked.committee_id,
            role=Role.CLERK,
            message=f"{locked.title}已备案确认，可以抽取专家。",
            link=f"/committee/meetings/{locked.pk}/",
        )

    return MEETING.take(
        meeting, "file", actor=actor, note=note.strip(), check=check, change=change, notify=tell
    )


# ---------------------------------------------------------------- the draw


def _snapshot(expert: Expert) -> dict:
    return {
        "id": expert.pk,
        "name": expert.name,
        "specialty_id": expert.specialty_id,
        "specialty": expert.specialty.name,
        "title": expert.title.name,
        "title_level": expert.title.level,
        "employer_id": expert.employer_id,
        "employer": expert.employer_label,
        "region": expert.region.code,
        "active_from": drawing.iso(expert.active_from),
        "active_until": drawing.iso(expert.active_until),
    }


def _recorded_exclusions(meeting: Meeting, pool: list[Expert]) -> list[dict]:
    """Exclusions whose facts live outside the snapshot: unavailability, no account, conflicts."""
    out = []
    away = {
        u.expert_id: u
        for u in ExpertUnavailability.objects.filter(
            expert__in=pool, start__lte=meeting.held_on, end__gte=meeting.held_on
        )
    }
    conflicts = {}
    for c in active_conflicts(meeting).select_related("application__archive").order_by("pk"):
        conflicts.setdefault(c.expert_id, c)
    for expert in pool:
        if expert.pk in away:
            out.append(
                {"id": expert.pk, "kind": "unavailable", "reason": f"不能参会：{away[expert.pk].reason}"}
            )
        elif expert.user_id is None:
            out.append({"id": expert.pk, "kind": "no_account", "reason": "未开通专家账号，不能参加网上表决"})
        elif expert.pk in conflicts:
            c = conflicts[expert.pk]
            out.append(
                {
                    "id": expert.pk,
                    "kind": "conflict",
                    "reason": f"回避（{c.get_kind_display()}）：{c.application.archive.name}",
                }
            )
    return out


def meeting_draw_experts(*, meeting: Meeting, actor) -> DrawRecord:
    """Draw the executive panel and reserves from the pool, after the filing (seed 004 一(四))."""
    require_clerk(actor, meeting.committee_id)
    drawn: dict = {}

    def draw(locked: Meeting) -> None:
        applications = [i.application for i in live_items(locked)]
        pool = list(
            Expert.objects.filter(committee=locked.committee)
            .select_related("specialty", "title", "region")
            .order_by("pk")
        )
        conflicts_refresh(meeting=locked, experts=pool)
        filters = {
            "committee": locked.committee_id,
            "specialties": sorted({a.specialty_id for a in applications}),
            "on": locked.held_on.isoformat(),
            # W3: experts hold a title of at least the level under review.
            "min_title_level": max(a.qualification.level for a in applications),
        }
        snapshots = [_snapshot(e) for e in pool]
        outcome = drawing.compute(
            pool=snapshots,
            filters=filters,
            recorded=_recorded_exclusions(locked, pool),
            seed=locked.seed,
            version=drawing.ALGORITHM_VERSION,
            panel_size=locked.panel_size,
            reserve_count=locked.reserve_count,
        )
        if len(outcome.panel) < locked.panel_size:
            raise CommitteeError(
                f"符合条件的专家{len(outcome.order)}人，不足执行委员会人数{locked.panel_size}人，"
                "请补充专家库后再抽取。"
            )
        record = DrawRecord.objects.create(
            meeting=locked,
            algorithm_version=drawing.ALGORITHM_VERSION,
            seed_hash=locked.seed_hash,
            filters=filters,
            pool=snapshots,
            exclusions=outcome.exclusions,
            drawn_by=actor,
            drawn_at=clock.now(),
            record_digest=drawing.record_digest(
                version=drawing.ALGORITHM_VERSION,
                committed_hash=locked.seed_hash,
                filters=filters,
                pool=snapshots,
                exclusions=outcome.exclusions,
                panel=outcome.panel,
                reserves=outcome.reserves,
            ),
        )
        DrawEntry.objects.bulk_create(
            [
                DrawEntry(
                    draw=record, expert_id=pk, position=i + 1, drawn_as=DrawEntry.DrawnAs.PANEL, on_panel=True
                )
                for i, pk in enumerate(outcome.panel)
            ]
            + [
                DrawEntry(
                    draw=record,
                    expert_id=pk,
                    position=len(outcome.panel) + i + 1,
                    drawn_as=DrawEntry.DrawnAs.RESERVE,
                    on_panel=False,
                )
                for i, pk in enumerate(outcome.reserves)
            ]
        )
        drawn.update(record=record, panel=outcome.panel)

    def invite(locked: Meeting) -> None:
        for expert in Expert.objects.filter(pk__in=drawn["panel"]).select_related("user"):
            _invite(expert, locked)

    MEETING.take(meeting, "draw", actor=actor, change=draw, notify=invite)
    return drawn["record"]


def _invite(expert: Expert, meeting: Meeting) -> None:
    # The invitation names only the meeting: the list of experts stays confidential until it starts.
    if expert.user is not None:
        notify(
            user=expert.user,
            message=f"您被抽取为{meeting.title}（{meeting.held_on:%Y年%m月%d日}，"
            f"{meeting.place or meeting.get_mode_display()}）的评审专家，请确认能否参会。",
            link="/committee/my-meetings/",
            dedupe_key=f"invite:{meeting.pk}:{expert.pk}",
            email=True,
        )


def draw_entry_decline(*, entry: DrawEntry, actor, reason: str) -> DrawEntry | None:
    """A drawn expert declines with a reason; the next reserve in drawn order takes the place.
    Returns the promoted reserve's entry, or None when no reserve is left."""
    meeting = entry.draw.meeting
    if entry.expert.user_id != actor.pk:
        require_clerk(actor, meeting.committee_id)
    if not reason.strip():
        raise CommitteeError("请填写不能参会的理由。", field="reason")
    with transaction.atomic():
        locked_meeting = _locked(meeting)  # serialises declines, so reserves are used strictly in order
        _require_status(locked_meeting, Meeting.Status.DRAWN, message="会议已开始，不能再申请不参会")
        row = DrawEntry.objects.select_for_update().get(pk=entry.pk)
        if row.declined_at is not None:
            raise InvalidTransition("已登记不能参会。")
        now = clock.now()
        was_on_panel = row.on_panel
        row.declined_at, row.decline_reason, row.on_panel = now, reason.strip()[:300], False
        row.save(update_fields=["declined_at", "decline_reason", "on_panel"])
        promoted = None
        if was_on_panel:
            promoted = (
                DrawEntry.objects.select_for_update()
                .filter(
                    draw=row.draw,
                    drawn_as=DrawEntry.DrawnAs.RESERVE,
                    on_panel=False,
                    declined_at__isnull=True,
                    promoted_at__isnull=True,
                )
                .order_by("position")
                .first()
            )
            if promoted is not None:
                promoted.on_panel, promoted.promoted_at, promoted.replaces = True, now, row
                promoted.save(update_fields=["on_panel", "promoted_at", "replaces"])
    if promoted is not None:
        _invite(promoted.expert, locked_meeting)
    return promoted


# ---------------------------------------------------------------- the meeting


def meeting_start(*, meeting: Meeting, actor) -> Meeting:
    """The meeting opens on its day; the draw and its seed are revealed (D: Draw seed)."""
    require_clerk(actor, meeting.committee_id)

    def check(locked: Meeting) -> None:
        if clock.today() < locked.held_on:
            raise CommitteeError(f"会议定于{locked.held_on:%Y年%m月%d日}召开，不能提前开始。")

    def change(locked: Meeting) -> None:
        locked.started_at = locked.seed_revealed_at = clock.now()
        locked.started_by = actor

    return MEETING.take(meeting, "start", actor=actor, check=check, change=change)


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
        locked.voting_opened_at = now

    return MEETING.take(meeting, "open_voting", actor=actor, check=check, change=open_boxes)


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
    return recusal


# ---------------------------------------------------------------- closing and counting


def count_box(
    meeting: Meeting, application: Application, *, present: dict[int, Attendance], panel: dict[int, Expert]
) -> dict:
    box = BallotBox.objects.get(meeting=meeting, application=application)
    tally = dict(Ballot.objects.filter(box=box).values_list("choice").annotate(n=Count("id")))
    agree, disagree, abstain = (tally.get(c, 0) for c in ("agree", "disagree", "abstain"))
    receipts = BallotReceipt.objects.filter(box=box).count()
    recused = set(
        Recusal.objects.filter(
            meeting=meeting, application=application, expert_id__in=list(present)
        ).values_list("expert_id", flat=True)
    )
    entitled = len(present) - len(recused)
    ballots = agree + disagree + abstain
    return {
        "panel_size": meeting.panel_size,
        "present": len(present),
        "recused": len(recused),
        "entitled": entitled,
        "agree": agree,
        "disagree": disagree,
        "abstain": abstain,
        "ballots": ballots,
        "receipts": receipts,
        "not_voted": max(entitled - receipts, 0),
        "required": voting.required_agree(entitled),
        "passed": voting.passes(agree=agree, entitled=entitled),
        "rule": voting.PASS_RULE,
        "attendance": {
            "present": [
                {"name": panel[pk].name, "mode": a.get_mode_display(), "recused": pk in recused}
                for pk, a in present.items()
            ],
            "absent": [panel[pk].name for pk in panel if pk not in present],
        },
    }


def meeting_close(
    *, meeting: Meeting, actor, note: str = "", allow_missing: bool = False
) -> list[MeetingResult]:
    """Count every application's ballots, store each result with its rule, attendance and counts, and
    move the application through the workflow (vote_pass / vote_fail). One transaction, once."""
    require_clerk(actor, meeting.committee_id)
    results: list[MeetingResult] = []

    def count(locked: Meeting) -> None:
        panel = {e.expert_id: e.expert for e in panel_entries(locked)}
        present = {a.expert_id: a for a in Attendance.objects.filter(meeting=locked, present=True)}
        counts = [
            (item.application, count_box(locked, item.application, present=present, panel=panel))
            for item in live_items(locked)
        ]
        missing = [(a, c) for a, c in counts if c["not_voted"]]
        if missing and not allow_missing:
            raise CommitteeError(
                "以下申报尚有专家未投票："
                + "、".join(f"{a.archive.name}（{c['not_voted']}人）" for a, c in missing),
                field="allow_missing",
            )
        if allow_missing and missing and not note.strip():
            raise CommitteeError("有专家未投票时结束表决，须在会议说明中写明原因。", field="note")
        now = clock.now()
        for application, c in counts:
            if c["ballots"] != c["receipts"]:
                raise CommitteeError(f"{application.number}的票数与投票回执数不一致，请核查。")
            results.append(
                MeetingResult.objects.create(meeting=locked, application=application, computed_at=now, **c)
            )
            workflow.transition(
                application_id=application.pk,
                action="vote_pass" if c["passed"] else "vote_fail",
                actor=actor,
                acting_role=Role.CLERK,
                note=f"同意{c['agree']}票，不同意{c['disagree']}票，弃权{c['abstain']}票；有表决权出席专家{c['entitled']}人，"
                f"通过需同意{c['required']}票。",
                data={"meeting": locked.pk, "agree": c["agree"], "entitled": c["entitled"]},
            )
        locked.closed_at = now
        locked.closed_by = actor
        locked.close_note = note.strip()

    def tell(locked: Meeting) -> None:
        for result in results:
            notify(
                user=result.application.applicant,
                message=f"您的申报{result.application.number}已经评审会议表决，结果将经公示后公布。",
                link=f"/applications/{result.application.pk}/",
            )

    MEETING.take(meeting, "close", actor=actor, note=note.strip(), change=count, notify=tell)
    return results
