"""The expert draw of a filed meeting, the invitations, and declines filled from the reserves."""

from __future__ import annotations

import hashlib
import os

from django.db import transaction

from portal import clock, keyring
from portal.services import notify, notify_many

from .. import draw as drawing
from ..exceptions import CommitteeError, InvalidTransition
from ..models import DrawEntry, DrawFiling, DrawRecord, Expert, Meeting
from ..permissions import require_clerk
from ..workflow import MEETING
from .conflicts import active_conflicts, conflicts_refresh, recuse_after_draw
from .draw_filing import (
    RECORD_KEY,
    SECRET_PURPOSE,
    bound_to,
    exclusion_summary,
    filing_problem,
    refusal,
)
from .grants import dossier_withdraw_expert
from .meetings import _locked, _require_status

__all__ = ["draw_entry_decline", "exclusion_summary", "meeting_draw_experts"]


def meeting_draw_experts(*, meeting: Meeting, actor) -> DrawRecord:
    """Draw the executive panel and reserves from the pool frozen at filing (seed 004 一(四)); refuses
    when the frozen filing was changed since. The seed combines the sealed secret committed at filing
    with random bytes that exist only from this moment (committees/draw.py)."""
    require_clerk(actor, meeting.committee_id)
    drawn: dict = {}

    def draw(locked: Meeting) -> None:
        filing = DrawFiling.objects.filter(meeting=locked).first()
        if filing is None:
            raise CommitteeError("本会议备案时未冻结专家库，不能抽取；请人力社保部门重新备案确认。")
        problem = filing_problem(filing, locked)
        if problem:
            raise CommitteeError(
                f"拒绝抽取：{problem}。备案后专家库和排除名单不得改动，请联系人力社保部门核查。"
            )
        try:
            secret = keyring.unseal(SECRET_PURPOSE, filing.sealed_secret, bound_to=bound_to(locked.pk))
        except keyring.SealBroken as exc:
            raise CommitteeError(
                "拒绝抽取：备案时封存的抽取密钥无法打开（已被改动，或平台密钥已更换）。"
            ) from exc
        if drawing.commitment(secret) != filing.commitment:
            raise CommitteeError("拒绝抽取：抽取密钥与备案时公布的承诺值不符。")
        draw_random = os.urandom(32)
        outcome = drawing.compute(filing.frozen, seed=drawing.draw_seed(secret, draw_random, filing.digest))
        if len(outcome.panel) < locked.panel_size:
            raise CommitteeError(
                refusal(
                    locked,
                    pool_size=len(filing.frozen["pool"]),
                    eligible=len(outcome.order),
                    exclusions=outcome.exclusions,
                )
            )
        ids = {p: int(filing.members[p]) for p in outcome.panel + outcome.reserves}
        present = set(Expert.objects.filter(pk__in=ids.values()).values_list("pk", flat=True))
        if present != set(ids.values()):
            raise CommitteeError(
                "拒绝抽取：抽中的专家已从专家库中删除，备案后专家库不得改动，请联系人力社保部门核查。"
            )
        body = drawing.signed_body(
            frozen_digest=filing.digest,
            secret=secret.hex(),
            draw_random=draw_random.hex(),
            panel=outcome.panel,
            reserves=outcome.reserves,
        )
        record = DrawRecord.objects.create(
            meeting=locked,
            algorithm_version=drawing.ALGORITHM_VERSION,
            seed_hash=filing.commitment,
            filters=filing.frozen["filters"],
            pool=filing.frozen["pool"],
            exclusions=outcome.exclusions,
            drawn_by=actor,
            drawn_at=clock.now(),
            record_digest=hashlib.sha256(body).hexdigest(),
            secret=secret.hex(),
            draw_random=draw_random.hex(),
            frozen_digest=filing.digest,
            signature=keyring.signing_key(RECORD_KEY).sign(body).hex(),
        )
        DrawEntry.objects.bulk_create(
            [
                DrawEntry(
                    draw=record,
                    expert_id=ids[p],
                    position=i + 1,
                    drawn_as=DrawEntry.DrawnAs.PANEL,
                    on_panel=True,
                )
                for i, p in enumerate(outcome.panel)
            ]
            + [
                DrawEntry(
                    draw=record,
                    expert_id=ids[p],
                    position=len(outcome.panel) + i + 1,
                    drawn_as=DrawEntry.DrawnAs.RESERVE,
                    on_panel=False,
                )
                for i, p in enumerate(outcome.reserves)
            ]
        )
        # A conflict found between the filing and the draw did not exclude the expert (the pool was
        # frozen); it recuses them from that application, as a conflict found after the draw does.
        drawn_experts = Expert.objects.filter(pk__in=list(ids.values()))
        conflicts_refresh(meeting=locked, experts=drawn_experts)
        recuse_after_draw(
            locked,
            list(active_conflicts(locked).filter(expert__in=drawn_experts).select_related("expert")),
            actor,
        )
        drawn.update(record=record, panel=[ids[p] for p in outcome.panel])

    def invite(locked: Meeting) -> None:
        # The panel's invitations in a fixed number of statements (each once per meeting and expert).
        panel = Expert.objects.filter(pk__in=drawn["panel"], user__isnull=False).select_related("user")
        notify_many(
            notes=[
                (e.user, _invitation(locked), "/committee/my-meetings/", f"invite:{locked.pk}:{e.pk}")
                for e in panel.order_by("pk")
            ]
        )

    MEETING.take(meeting, "draw", actor=actor, change=draw, notify=invite)
    return drawn["record"]


def _invitation(meeting: Meeting) -> str:
    # The invitation names only the meeting: the list of experts stays confidential until it starts.
    return (
        f"您被抽取为{meeting.title}（{meeting.held_on:%Y年%m月%d日}，"
        f"{meeting.place or meeting.get_mode_display()}）的评审专家，请确认能否参会。"
    )


def _invite(expert: Expert, meeting: Meeting) -> None:
    if expert.user is not None:
        notify(
            user=expert.user,
            message=_invitation(meeting),
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
