"""Closing a meeting: each box's sealed tally opened once and checked against its receipts, the result
stored and sealed into the application's history with its move, and the tally wiped: afterwards nothing
stored says more about the ballots than the counts per application and who voted (the receipts)."""

from __future__ import annotations

from applications import workflow
from applications.models import Application
from portal import clock
from portal.models import Role
from portal.services import notify

from .. import voting
from ..exceptions import CommitteeError
from ..models import Attendance, BallotBox, BallotReceipt, Expert, Meeting, MeetingResult, Recusal
from ..permissions import require_clerk
from ..workflow import MEETING
from .attendance import panel_entries
from .ballots import box_tally
from .grants import dossier_withdraw_meeting
from .meetings import live_items


def count_box(
    meeting: Meeting, application: Application, *, present: dict[int, Attendance], panel: dict[int, Expert]
) -> dict:
    box = BallotBox.objects.select_for_update().get(meeting=meeting, application=application)
    tally = box_tally(box)
    agree, disagree, abstain = tally.agree, tally.disagree, tally.abstain
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
                raise CommitteeError(
                    f"{application.number}的票数（{c['ballots']}）与投票回执数（{c['receipts']}）不一致，"
                    "票箱数据可能被改动，不能结束表决，请联系系统管理员核查。"
                )
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
                # The result, sealed into the application's history (and its audit chain).
                data={
                    "meeting": locked.pk,
                    **{
                        k: c[k]
                        for k in (
                            "agree",
                            "disagree",
                            "abstain",
                            "ballots",
                            "receipts",
                            "entitled",
                            "required",
                            "passed",
                        )
                    },
                },
            )
        # The counts live on in the results and the histories; the sealed tallies are wiped.
        BallotBox.objects.filter(meeting=locked).update(sealed_tally=None)
        locked.closed_at = now
        locked.closed_by = actor
        locked.close_note = note.strip()
        dossier_withdraw_meeting(locked)

    def tell(locked: Meeting) -> None:
        for result in results:
            notify(
                user=result.application.applicant,
                message=f"您的申报{result.application.number}已经评审会议表决，结果将经公示后公布。",
                link=f"/applications/{result.application.pk}/",
            )

    MEETING.take(meeting, "close", actor=actor, note=note.strip(), change=count, notify=tell)
    return results
