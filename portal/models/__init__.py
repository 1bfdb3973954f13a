"""The platform's registry: organisations, memberships and roles, the title catalogue, review plans,
committees' review authority (核准备案) and notifications. Nothing here imports the apps built on it."""

from .authority import THREE_YEARS, CommitteeAuthority, odd_at_least_5
from .catalogue import Qualification, Series, Specialty, SubSpecialty, TitleLevel
from .identity import LoginSession, PasswordHistory, SecurityEvent
from .organisations import (
    BUREAU_KINDS,
    CHANNEL_KINDS,
    CREDIT_CODE_KINDS,
    EMPLOYER_KINDS,
    RECEIVING_KINDS,
    Membership,
    Organisation,
    OrgKind,
    Region,
    Role,
)
from .plans import PlanMaterial, ReviewPlan
from .records import Notification, RecordEvent
from .sweeps import SweepRun

__all__ = [
    "BUREAU_KINDS",
    "CHANNEL_KINDS",
    "CREDIT_CODE_KINDS",
    "EMPLOYER_KINDS",
    "RECEIVING_KINDS",
    "THREE_YEARS",
    "CommitteeAuthority",
    "LoginSession",
    "Membership",
    "Notification",
    "OrgKind",
    "Organisation",
    "PasswordHistory",
    "PlanMaterial",
    "Qualification",
    "Region",
    "RecordEvent",
    "ReviewPlan",
    "Role",
    "SecurityEvent",
    "Series",
    "Specialty",
    "SubSpecialty",
    "SweepRun",
    "TitleLevel",
    "odd_at_least_5",
]
