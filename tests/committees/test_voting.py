"""The two-thirds rule and the quorum, in integers (seed 004 一(四); domain.md Decisions)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from applications.states import State
from committees import services, voting
from committees.models import MeetingResult

# (present, recused, agree needed): entitled = present − recused; agree × 3 ≥ entitled × 2.
THRESHOLDS = [
    (5, 0, 4),
    (5, 1, 3),
    (5, 2, 2),
    (7, 0, 5),
    (7, 1, 4),
    (7, 2, 4),
    (9, 0, 6),
    (9, 1, 6),
    (9, 3, 4),
    (11, 0, 8),
    (11, 1, 7),
    (11, 2, 6),
    (25, 0, 17),
    (25, 1, 16),
    (25, 4, 14),
]


@pytest.mark.parametrize(("present", "recused", "needed"), THRESHOLDS)
def test_agree_votes_must_reach_two_thirds_of_those_entitled(present, recused, needed):
    entitled = present - recused
    assert voting.required_agree(entitled) == needed
    assert voting.passes(agree=needed, entitled=entitled)
    assert not voting.passes(agree=needed - 1, entitled=entitled)


def test_nobody_passes_without_an_entitled_voter():
    assert not voting.passes(agree=0, entitled=0)


@pytest.mark.parametrize(
    ("panel", "present", "met"),
    [
        (7, 5, True),
        (7, 4, False),
        (11, 8, True),
        (11, 7, False),
        (25, 17, True),
        (25, 16, False),
        (5, 4, True),
        (5, 3, False),
    ],
)
def test_the_quorum_is_two_thirds_of_the_panel(panel, present, met):
    assert voting.quorum_met(present=present, panel_size=panel) is met


def _cast(cw, meeting, application, *, agree: int, recused: int = 0):
    experts = cw.present_experts(meeting)
    for expert in experts[:recused]:
        services.recusal_add(
            meeting=meeting,
            expert=expert,
            application=application,
            actor=cw.w.clerk,
            reason="与申报人同一项目组",
        )
    for i, expert in enumerate(experts[recused:]):
        services.ballot_cast(
            meeting=meeting,
            application=application,
            user=expert.user,
            choice="agree" if i < agree else "disagree",
        )


# Through real meetings: the panel, who is present, who recuses, and the agree votes at and below the line.
E2E = [(5, 5, 0), (7, 7, 1), (9, 9, 0), (11, 11, 2), (25, 25, 1), (7, 5, 0)]


@pytest.mark.parametrize(("panel", "present", "recused"), E2E)
def test_results_through_the_ballot_box(cw, panel, present, recused):
    for i in range(16, 30):
        cw.experts.append(cw.expert(i))
    if panel == 5:
        cw.authority.panel_size_standard = 5
        cw.authority.save()
    at_line, below = cw.awaiting_meeting(2)
    meeting = cw.voting([at_line, below], present=present, panel_size=panel)
    needed = voting.required_agree(present - recused)
    _cast(cw, meeting, at_line, agree=needed, recused=recused)
    _cast(cw, meeting, below, agree=needed - 1, recused=recused)
    services.meeting_close(meeting=meeting, actor=cw.w.clerk)
    at_line.refresh_from_db()
    below.refresh_from_db()
    assert (at_line.state, below.state) == (State.PASSED, State.NOT_PASSED)
    result = MeetingResult.objects.get(meeting=meeting, application=at_line)
    assert (result.present, result.recused, result.entitled, result.agree, result.required) == (
        present,
        recused,
        present - recused,
        needed,
        needed,
    )
    assert result.rule == voting.PASS_RULE
    assert len(result.attendance["present"]) == present
    assert sum(p["recused"] for p in result.attendance["present"]) == recused
    assert at_line.events.get(action="vote_pass").data["entitled"] == present - recused
    # The stored counts cannot be edited into another outcome.
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingResult.objects.filter(pk=result.pk).update(agree=F("agree") - 1, ballots=F("ballots") - 1)
