"""Eligibility rules: may this person declare this title by this route this year, and if not, what is
missing. Pure evaluation over plain archive data (``archive``), rule-set templates written from the
source documents (``templates`` and the modules it loads), and an explained ``Result``.

The database side (rule sets, honours, quota, integrity records) is in ``rules.models`` and
``rules.services``; ``rules.eligibility.loader`` turns it into plain data once per plan."""

from __future__ import annotations

from .archive import Archive, parse_archive
from .context import BanInfo, EmployerInfo, EvalContext, HonourInfo, RuleSetData
from .engine import evaluate, evaluate_json, ruleset_data_for_template
from .exceptions import ArchiveFormatError, EligibilityError, InvalidParams, NoValidHonour, QuotaExceeded
from .result import MET, NEEDS_EVIDENCE, NOT_MET, ConditionResult, Result, RouteResult

__all__ = [
    "MET",
    "NEEDS_EVIDENCE",
    "NOT_MET",
    "Archive",
    "ArchiveFormatError",
    "BanInfo",
    "ConditionResult",
    "EligibilityError",
    "EmployerInfo",
    "EvalContext",
    "HonourInfo",
    "InvalidParams",
    "NoValidHonour",
    "QuotaExceeded",
    "Result",
    "RouteResult",
    "RuleSetData",
    "evaluate",
    "evaluate_json",
    "parse_archive",
    "ruleset_data_for_template",
]
