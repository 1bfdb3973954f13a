"""The committee's work: authority and scope, the expert pool, conflicts of interest, review meetings,
the replayable expert draw, secret ballots, results and their filing.

Rule sources are cited as in docs/domain.md: seed 004 (衢市人社专〔2021〕61号, the five steps), seed 000
(Shaoxing pilot units), seed 002 (13号: committee kinds, remote review), W1/W3 (人社部令第40号 as quoted)
and the "Decisions the portal takes" table (D: …).
"""

from __future__ import annotations

from .ballots import BallotBox, BallotReceipt, Choice, MeetingResult
from .conflicts import DERIVED_KINDS, Conflict, ConflictDeclaration, ConflictKind
from .experts import INVITATION_VALIDITY, Expert, ExpertEmployment, ExpertInvitation, ExpertUnavailability
from .filings import FilingEntry, ResultFiling, UpwardRecommendation
from .meetings import (
    ONE_WEEK,
    Attendance,
    DrawEntry,
    DrawRecord,
    Meeting,
    MeetingApplication,
    Recusal,
)
from .pilots import PilotApplication

__all__ = [
    "DERIVED_KINDS",
    "INVITATION_VALIDITY",
    "ONE_WEEK",
    "Attendance",
    "BallotBox",
    "BallotReceipt",
    "Choice",
    "Conflict",
    "ConflictDeclaration",
    "ConflictKind",
    "DrawEntry",
    "DrawRecord",
    "Expert",
    "ExpertEmployment",
    "ExpertInvitation",
    "ExpertUnavailability",
    "FilingEntry",
    "Meeting",
    "MeetingApplication",
    "MeetingResult",
    "PilotApplication",
    "Recusal",
    "ResultFiling",
    "UpwardRecommendation",
]
