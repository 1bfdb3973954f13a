"""Plain data the evaluation needs besides the archive: the rule set (thresholds and lists) and the
facts about this declaration that live in the database (employer, honours, quota use, integrity bans).
Loaded once per plan by ``rules.eligibility.loader``; the evaluation itself never touches the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .dates import monthday


@dataclass(frozen=True)
class RuleSetData:
    template: str
    params: Mapping[str, Any]
    year: int
    plan_code: str = ""
    qualification_name: str = ""
    qualification_level: int = 3  # portal.models.TitleLevel: 1 员级 … 5 正高级
    series_code: str = "engineering"
    series_name: str = "工程"
    series_exam_based: bool = False
    document: str = ""  # the plan's document number, cited in every source
    # Attachment 2 of seed 003: the honour categories that count, as (code, name).
    honour_categories: tuple[tuple[str, str], ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def as_of(self) -> dt.date:
        """Years are counted to 31 December of the review year (seed 003 三（一））."""
        return monthday(self.year, str(self.params.get("as_of", "12-31")))

    def p(self, key: str) -> Any:
        return self.params[key]

    def src(self, clause: str, document: str | None = None) -> str:
        return f"{document or self.document} {clause}".strip()


@dataclass(frozen=True)
class HonourInfo:
    category_code: str
    category_name: str
    level: str  # "national" | "provincial"
    title: str
    document_no: str
    issued_on: dt.date


@dataclass(frozen=True)
class EmployerInfo:
    """The applicant's employer as the portal knows it (or only by its credit code)."""

    name: str = ""
    credit_code: str | None = None
    organisation_id: int | None = None
    kind: str = ""  # a portal.models.OrgKind value when registered in the portal
    is_private: bool | None = None
    honours: tuple[HonourInfo, ...] = ()
    quota_used: int = 0  # active 破格B reservations of this plan, this application's own excluded

    @property
    def registered(self) -> bool:
        return self.organisation_id is not None


@dataclass(frozen=True)
class BanInfo:
    review_year: int
    first_year: int
    last_year: int
    level: int  # declarations of this level and above are banned
    decision_document: str = ""
    finding: str = ""


@dataclass(frozen=True)
class EvalContext:
    specialty_matches: bool = True
    declaration_type: str | None = None
    exceptional_class: str = ""
    employer: EmployerInfo | None = None
    bans: tuple[BanInfo, ...] = ()
    # This application's 破格B slot, when HR has already reserved one for it.
    reservation_slot: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
