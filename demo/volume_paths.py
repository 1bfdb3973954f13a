"""What generate_volume gives each application: its route, the state the year has brought it to, and the
moves on its path there, each move as the workflow records it (action, the role taking it, the state it
leads to). The paths are those the demo's story takes through the services (demo/story.py)."""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass

from applications.states import State


@dataclass(frozen=True)
class Move:
    action: str
    role: str  # applicant, hr, officer, clerk or system
    to_state: str


_DECLARE = [
    Move("create", "applicant", State.DRAFT),
    Move("sign_pledge", "applicant", State.DRAFT),
    Move("submit", "applicant", State.EMPLOYER_AUDIT),
]
_TO_COMMITTEE = [
    Move("employer_publicise", "hr", State.EMPLOYER_PUBLICITY),
    Move("employer_publicity_end", "system", State.EMPLOYER_PUBLICITY_DONE),
    Move("employer_recommend", "hr", State.BUREAU_REVIEW),
    Move("bureau_recommend", "officer", State.QUALIFICATION_REVIEW),
    Move("qualification_pass", "clerk", State.QUALIFIED),
]
_PRE_REVIEW = [
    Move("pre_review_publicise", "clerk", State.PRE_REVIEW_PUBLICITY),
    Move("pre_review_publicity_end", "system", State.AWAITING_MEETING),
]
_MEETING = [*_PRE_REVIEW, Move("assign_meeting", "clerk", State.IN_MEETING)]
_RESULTS = [
    Move("result_publicise", "clerk", State.RESULT_PUBLICITY),
    Move("result_publicity_end", "system", State.RESULT_PUBLICITY_DONE),
    Move("approve", "officer", State.APPROVED),
    Move("issue_certificate", "system", State.CERTIFIED),
]
_VOTE_PASS = Move("vote_pass", "clerk", State.PASSED)
_VOTE_FAIL = Move("vote_fail", "clerk", State.NOT_PASSED)
_UPWARD = [
    Move("recommend_upward", "clerk", State.RECOMMENDED_UPWARD),
    Move("upward_receive", "clerk", State.QUALIFICATION_REVIEW),
    Move("qualification_pass", "clerk", State.QUALIFIED),
]

# The main path of each route (declaration type and whether it goes to a higher committee).
MAIN_PATHS = {
    "normal": [*_DECLARE, *_TO_COMMITTEE, *_MEETING, _VOTE_PASS, *_RESULTS],
    "exc-a": [*_DECLARE, *_TO_COMMITTEE, *_MEETING, _VOTE_PASS, *_RESULTS],
    "exc-b": [*_DECLARE, *_TO_COMMITTEE, *_MEETING, _VOTE_PASS, *_RESULTS],
    "skills": [*_DECLARE, *_TO_COMMITTEE, *_MEETING, _VOTE_PASS, *_RESULTS],
    "recog": [
        *_DECLARE,
        *_TO_COMMITTEE,
        *_PRE_REVIEW,
        Move("recognise", "clerk", State.PASSED),
        *_RESULTS,
    ],
    "initial": [*_DECLARE, *_TO_COMMITTEE, Move("initial_determine", "officer", State.PASSED), *_RESULTS],
    "upward": [*_DECLARE, *_TO_COMMITTEE, *_UPWARD, *_MEETING, _VOTE_PASS, *_RESULTS],
}
# Side exits after submission: back to the applicant, refused by the employer, withdrawn by the applicant.
SIDE_MOVES = {
    State.RETURNED: Move("employer_return", "hr", State.RETURNED),
    State.REJECTED: Move("employer_reject", "hr", State.REJECTED),
    State.WITHDRAWN: Move("withdraw", "applicant", State.WITHDRAWN),
}

ROUTES = {
    # route: (share, declaration type, 破格 class)
    "normal": (70, "normal", ""),
    "exc-a": (2, "exceptional", "A"),
    "exc-b": (2, "exceptional", "B"),
    "skills": (5, "skills", ""),
    "recog": (8, "recognition", ""),
    "initial": (7, "initial", ""),
    "upward": (6, "normal", ""),
}

# Where a province's year stands a few weeks after the plans opened: most applications still with the
# applicant or the employer, fewer at each later stage, a few certified already (per thousand).
STATE_SHARES = {
    State.DRAFT: 240,
    State.EMPLOYER_AUDIT: 190,
    State.RETURNED: 35,
    State.EMPLOYER_PUBLICITY: 80,
    State.EMPLOYER_PUBLICITY_DONE: 45,
    State.BUREAU_REVIEW: 100,
    State.QUALIFICATION_REVIEW: 70,
    State.RECOMMENDED_UPWARD: 5,
    State.QUALIFIED: 30,
    State.PRE_REVIEW_PUBLICITY: 30,
    State.AWAITING_MEETING: 25,
    State.IN_MEETING: 20,
    State.PASSED: 12,
    State.NOT_PASSED: 8,
    State.RESULT_PUBLICITY: 15,
    State.RESULT_PUBLICITY_DONE: 10,
    State.APPROVED: 10,
    State.CERTIFIED: 35,
    State.REJECTED: 10,
    State.WITHDRAWN: 15,
}


def path_to(route: str, state: str) -> list[Move] | None:
    """The moves from creation to `state` along the route, or None where the route never reaches it."""
    if state in SIDE_MOVES:
        return [*_DECLARE, SIDE_MOVES[state]]
    if state == State.NOT_PASSED:
        main = MAIN_PATHS[route]
        if _VOTE_PASS not in main:
            return None
        return [*main[: main.index(_VOTE_PASS)], _VOTE_FAIL]
    main = MAIN_PATHS[route]
    # The last move into the state: an upward application is qualified again by the higher committee.
    ends = [i for i, move in enumerate(main) if move.to_state == state]
    if not ends:
        return None
    return main[: ends[-1] + 1]


class Chooser:
    """Weighted choice of (route, state) pairs that the route reaches, reproducible from the seed."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        pairs, weights = [], []
        for route, (share, _type, _cls) in ROUTES.items():
            for state, per_thousand in STATE_SHARES.items():
                if path_to(route, state) is not None:
                    pairs.append((route, state))
                    weights.append(share * per_thousand)
        self.pairs = pairs
        self.cumulative = list(itertools.accumulate(weights))

    def __call__(self) -> tuple[str, str]:
        x = self.rng.random() * self.cumulative[-1]
        return self.pairs[bisect.bisect_right(self.cumulative, x)]

    def every_pair(self) -> list[tuple[str, str]]:
        """Each reachable (route, state) once: the first applications of a run, so a small run has all."""
        return list(self.pairs)
