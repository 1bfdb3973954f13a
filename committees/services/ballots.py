"""Secret ballots (无记名投票; W4, seed 004 一(四)), cast on site or remotely through the web (seed 002).

A vote, in one transaction: the per-(meeting, application) BallotBox row is locked (SELECT … FOR UPDATE
on PostgreSQL; SQLite serialises writers on the whole database instead), a BallotReceipt is written (who
voted on which application, unique, never how), and the box's sealed tally is opened, the chosen counter
raised by one and sealed again (committees/tally.py). No row holds the single ballot, so nothing stored
can later be ordered against the receipts to link a voter to a choice; what a live reader of the
database could still see is set out in docs/committees.md. Two submissions of one expert are serialised
by the lock and the second finds the receipt; the unique constraint on receipts backs this up.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count

from applications.models import Application
from applications.states import State
from portal import clock

from .. import tally as tallies
from ..exceptions import AlreadyVoted, CommitteeError, InvalidTransition, PermissionDenied
from ..models import (
    Attendance,
    BallotBox,
    BallotReceipt,
    Choice,
    DrawEntry,
    Expert,
    Meeting,
    MeetingResult,
    Recusal,
)


def ballot_cast(*, meeting: Meeting, application: Application | str, user, choice: str) -> None:
    """Cast one expert's ballot. Returns nothing: not even the voter gets a handle on their ballot."""
    if choice not in Choice.values:
        raise CommitteeError("请选择同意、不同意或弃权。", field="choice")
    expert = Expert.objects.filter(user=user).first() if user.is_authenticated else None
    if expert is None:
        raise PermissionDenied("只有本次会议的评审专家可以投票。")
    application_id = getattr(application, "pk", application)
    with transaction.atomic():
        box = (
            BallotBox.objects.select_for_update()
            .select_related("meeting")
            .filter(meeting=meeting, application_id=application_id)
            .first()
        )
        if box is None:
            raise CommitteeError("该申报不在本次会议的表决名单中。", field="application")
        if box.meeting.status != Meeting.Status.VOTING:
            raise InvalidTransition("会议不在投票阶段。")
        if not DrawEntry.objects.filter(draw__meeting=meeting, expert=expert, on_panel=True).exists():
            raise PermissionDenied("您不是本次会议的执行委员。")
        if not Attendance.objects.filter(meeting=meeting, expert=expert, present=True).exists():
            raise PermissionDenied("您未登记出席本次会议，不能投票（不得委托投票或会后补投）。")
        if Recusal.objects.filter(meeting=meeting, expert=expert, application_id=application_id).exists():
            raise PermissionDenied("您已对该申报回避，不能投票。")
        if (
            Application.objects.filter(pk=application_id).values_list("state", flat=True).first()
            != State.IN_MEETING
        ):
            raise InvalidTransition("该申报已不在表决中。")
        if BallotReceipt.objects.filter(box=box, expert=expert).exists():
            raise AlreadyVoted()
        counts = box_tally(box)
        try:
            with transaction.atomic():
                BallotReceipt.objects.create(box=box, expert=expert, created_at=clock.now())
        except IntegrityError as exc:
            raise AlreadyVoted() from exc
        box.sealed_tally = tallies.seal(box, counts.add(choice))
        box.save(update_fields=["sealed_tally"])


BOX_BROKEN = "申报{number}的票箱数据校验失败（可能被改动），不能继续投票或计票，请联系系统管理员核查。"


def _number(application_id) -> str:
    return Application.objects.filter(pk=application_id).values_list("number", flat=True).first() or ""


def box_tally(box: BallotBox) -> tallies.Tally:
    """The counts sealed in an open box. For counting at the close, never for showing while voting;
    raises CommitteeError when the sealed value does not open (altered, moved, wiped)."""
    try:
        return tallies.unseal(box)
    except tallies.TallyBroken as exc:
        raise CommitteeError(BOX_BROKEN.format(number=_number(box.application_id))) from exc


def box_seal_zero(box: BallotBox) -> None:
    """A box opens with zero in each counter, sealed to it."""
    box.sealed_tally = tallies.seal(box, tallies.Tally())
    box.save(update_fields=["sealed_tally"])


@dataclass(frozen=True)
class BoxCheck:
    """Receipts against ballots for one box. While voting is open only the numbers of receipts and of
    ballots are given (the choices stay sealed, also from the office); after the close, the counts
    stored in the result."""

    application_id: str
    receipts: int
    ballots: int | None
    agree: int | None = None
    disagree: int | None = None
    abstain: int | None = None

    @property
    def consistent(self) -> bool:
        if self.ballots is None or self.receipts != self.ballots:
            return False
        if self.agree is None:
            return True
        return self.ballots == self.agree + self.disagree + self.abstain


def ballot_boxes_check(meeting: Meeting) -> list[BoxCheck]:
    """Each box's ballots against its receipts: whoever may see the meeting's progress can check that
    every ballot has exactly one voter behind it, without learning who voted how, and before the close
    without learning how the vote stands. A box whose sealed tally does not open reports no ballots."""
    receipts = dict(
        BallotReceipt.objects.filter(box__meeting=meeting)
        .values_list("box__application_id")
        .annotate(n=Count("id"))
    )
    results = {r.application_id: r for r in MeetingResult.objects.filter(meeting=meeting)}
    out = []
    for box in BallotBox.objects.filter(meeting=meeting).order_by("pk"):
        app_id = box.application_id
        result = results.get(app_id)
        if result is not None:
            out.append(
                BoxCheck(
                    str(app_id),
                    receipts.get(app_id, 0),
                    result.ballots,
                    result.agree,
                    result.disagree,
                    result.abstain,
                )
            )
            continue
        try:
            ballots = tallies.unseal(box).ballots if box.sealed_tally else None
        except tallies.TallyBroken:
            ballots = None
        out.append(BoxCheck(str(app_id), receipts.get(app_id, 0), ballots))
    return out


def voted_application_ids(meeting: Meeting, expert: Expert) -> set:
    return set(
        BallotReceipt.objects.filter(box__meeting=meeting, expert=expert).values_list(
            "box__application_id", flat=True
        )
    )
