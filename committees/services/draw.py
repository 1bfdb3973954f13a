"""The expert draw of a filed meeting, the invitations, and declines filled from the reserves."""

from __future__ import annotations

from django.db import transaction

from portal import clock
from portal.services import notify

from .. import draw as drawing
from ..exceptions import CommitteeError, InvalidTransition
from ..models import ConflictKind, DrawEntry, DrawRecord, Expert, ExpertUnavailability, Meeting
from ..permissions import require_clerk
from ..workflow import MEETING
from .conflicts import active_conflicts, conflicts_refresh
from .grants import dossier_withdraw_expert
from .meetings import _locked, _require_status, live_items


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
                    "conflict_kind": c.kind,
                    "reason": f"回避（{c.get_kind_display()}）：{c.application.archive.name}",
                }
            )
    return out


# ---------------------------------------------------------------- exclusions, counted by reason

# Each kind of exclusion the draw applies, in the order the page lists them: what it means and what the
# office can do about it when the eligible experts are too few.
_KINDS = {
    "no_account": ("尚未开通账号", "可在专家库页面邀请开通"),
    "unavailable": ("会议当日不能参会", "可与专家确认能否调整，或另定会议日期"),
    "conflict": ("须回避", "回避不能免除，请补充其他专家"),
    "specialty": ("专业不在本次评审专业内", "可补充本次评审专业的专家入库"),
    "title_level": ("职称层级低于评审层级", "可补充职称层级不低于评审层级的专家"),
    "inactive": ("不在入库有效期内", "可在专家库更新其有效期"),
}


def exclusion_summary(exclusions: list[dict]) -> list[dict]:
    """The draw's exclusions counted by reason (conflicts by their kind), each with its advice."""
    labels = dict(ConflictKind.choices)
    counts: dict[tuple[str, str], int] = {}
    for x in exclusions:
        key = (x.get("kind", ""), x.get("conflict_kind", "") if x.get("kind") == "conflict" else "")
        counts[key] = counts.get(key, 0) + 1
    order = list(_KINDS)
    rows = []
    for (kind, sub), count in sorted(
        counts.items(), key=lambda item: (order.index(item[0][0]) if item[0][0] in order else 99, item[0][1])
    ):
        label, advice = _KINDS.get(kind, ("其他原因", "请核对专家库"))
        if sub:
            label = f"{label}（{labels.get(sub, sub)}）"
        rows.append({"kind": kind, "label": label, "count": count, "advice": advice})
    return rows


def _refusal(meeting: Meeting, *, pool_size: int, outcome) -> str:
    """Too few eligible experts: how many, why the others are out, and what the office can do."""
    if pool_size == 0:
        return "本评委会专家库中没有专家，请先在专家库页面导入专家后再抽取。"
    reasons = "；".join(
        f"{r['count']}人{r['label']}，{r['advice']}" for r in exclusion_summary(outcome.exclusions)
    )
    return (
        f"符合条件的专家仅{len(outcome.order)}人，不足执行委员会人数{meeting.panel_size}人。"
        f"专家库{pool_size}人中：{reasons}。"
    )


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
            raise CommitteeError(_refusal(locked, pool_size=len(pool), outcome=outcome))
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
        dossier_withdraw_expert(locked_meeting, user_id=row.expert.user_id)
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
