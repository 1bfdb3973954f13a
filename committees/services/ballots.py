"""Secret ballots (无记名投票; W4, seed 004 一(四)), cast on site or remotely through the web (seed 002).

A vote writes two rows in one transaction: a BallotReceipt (who voted on which application, unique,
never how) and a Ballot (how, with a random key, no voter, no time). The per-(meeting, application)
BallotBox row is locked first (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers on the
whole database instead), so two submissions of one expert are serialised and the second finds the
receipt; the unique constraint on receipts backs this up. Both rows are written by one transaction,
so a reader of the database can pair them by insertion order (see docs/committees.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count

from applications.models import Application
from applications.states import State
from portal import clock

from ..exceptions import AlreadyVoted, CommitteeError, InvalidTransition, PermissionDenied
from ..models import Attendance, Ballot, BallotBox, BallotReceipt, Choice, DrawEntry, Expert, Meeting, Recusal


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
        try:
            with transaction.atomic():
                BallotReceipt.objects.create(box=box, expert=expert, created_at=clock.now())
        except IntegrityError as exc:
            raise AlreadyVoted() from exc
        Ballot.objects.create(box=box, choice=choice)


@dataclass(frozen=True)
class BoxCheck:
    application_id: str
    receipts: int
    ballots: int
    agree: int
    disagree: int
    abstain: int

    @property
    def consistent(self) -> bool:
        return self.receipts == self.ballots == self.agree + self.disagree + self.abstain


def ballot_boxes_check(meeting: Meeting) -> list[BoxCheck]:
    """The tally of each box against the number of receipts: anyone allowed to see the counts can
    check that every ballot has exactly one voter behind it, without learning who voted how."""
    receipts = dict(
        BallotReceipt.objects.filter(box__meeting=meeting)
        .values_list("box__application_id")
        .annotate(n=Count("id"))
    )
    tallies: dict = {}
    for app_id, choice, n in (
        Ballot.objects.filter(box__meeting=meeting)
        .values_list("box__application_id", "choice")
        .annotate(n=Count("id"))
    ):
        tallies.setdefault(app_id, {})[choice] = n
    out = []
    for app_id in BallotBox.objects.filter(meeting=meeting).values_list("application_id", flat=True):
        t = tallies.get(app_id, {})
        out.append(
            BoxCheck(
                str(app_id),
                receipts.get(app_id, 0),
                sum(t.values()),
                t.get("agree", 0),
                t.get("disagree", 0),
                t.get("abstain", 0),
            )
        )
    return out


def voted_application_ids(meeting: Meeting, expert: Expert) -> set:
    return set(
        BallotReceipt.objects.filter(box__meeting=meeting, expert=expert).values_list(
            "box__application_id", flat=True
        )
    )
