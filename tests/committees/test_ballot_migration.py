"""Migration 0010_sealed_ballot_tally: a meeting voting during the upgrade keeps its ballots (as a sealed
tally, and the vote goes on), a closed meeting's single ballots are gone, and the table that held them
one by one no longer exists."""

from __future__ import annotations

import pytest
from django.db import connection

from committees import services
from committees.models import BallotBox, MeetingResult
from tests.migrating import migrate_to

BEFORE = [("committees", "0009_invitation_outbox")]


@pytest.mark.django_db(transaction=True)
def test_open_boxes_keep_their_ballots_and_closed_ones_keep_only_their_counts(cw):
    first, second = cw.awaiting_meeting(2)
    closed = cw.voting([first])
    for e in cw.present_experts(closed):
        services.ballot_cast(meeting=closed, application=first, user=e.user, choice="agree")
    services.meeting_close(meeting=closed, actor=cw.w.clerk)
    open_ = cw.voting([second], title="第二次评审会议", days=8)
    experts = cw.present_experts(open_)
    for e, choice in zip(experts[:5], ["agree", "disagree", "agree", "abstain", "agree"], strict=True):
        services.ballot_cast(meeting=open_, application=second, user=e.user, choice=choice)
    open_box = BallotBox.objects.get(meeting=open_)
    closed_box = BallotBox.objects.get(meeting=closed)

    try:
        # The schema before: one row per ballot. The open box's ballots come back as rows; the closed
        # meeting's ballots are put back as the former code left them.
        old = migrate_to(BEFORE)
        Ballot = old.get_model("committees", "Ballot")
        rows = sorted(Ballot.objects.filter(box_id=open_box.pk).values_list("choice", flat=True))
        assert rows == ["abstain", "agree", "agree", "agree", "disagree"]
        Ballot.objects.bulk_create([Ballot(box_id=closed_box.pk, choice="agree") for _ in range(7)])
        assert Ballot.objects.count() == 12
    finally:
        migrate_to()  # through 0010_sealed_ballot_tally to the latest

    assert "committees_ballot" not in connection.introspection.table_names()
    assert BallotBox.objects.get(pk=closed_box.pk).sealed_tally is None
    assert MeetingResult.objects.get(meeting=closed).agree == 7
    # The vote goes on from the converted tally, and the close counts everything.
    for e, choice in zip(experts[5:], ["disagree", "agree"], strict=True):
        services.ballot_cast(meeting=open_, application=second, user=e.user, choice=choice)
    result = services.meeting_close(meeting=open_, actor=cw.w.clerk)[0]
    assert (result.agree, result.disagree, result.abstain, result.receipts) == (4, 2, 1, 7)
