"""Services that evaluate archives against a plan's rule set: one archive, or many with a fixed
number of queries (``manage.py eligibility --bulk``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from portal.models import Organisation, Qualification, ReviewPlan
from rules.eligibility.archive import parse_archive
from rules.eligibility.exceptions import ArchiveFormatError
from rules.eligibility.loader import PlanRules
from rules.eligibility.result import Result


def plan_rules(*, plan: ReviewPlan, qualification: Qualification) -> PlanRules:
    """Load a plan's rules once (a fixed number of queries) to evaluate any number of archives."""
    return PlanRules.load(plan=plan, qualification=qualification)


def evaluate_for(
    *,
    plan: ReviewPlan,
    qualification: Qualification,
    archive_json: Mapping[str, Any],
    declaration_type: str | None = None,
    exceptional_class: str = "",
    specialty_matches: bool = True,
    enterprise: Organisation | None = None,
    application_id: Any = None,
) -> Result:
    """May this person declare this title in this plan, by which routes, and what is missing.

    ``archive_json`` is ``applications.archive_json.archive_to_json(archive)`` (or an application's
    snapshot). ``enterprise`` is the employer to judge 破格B and the enterprise conditions by (default:
    the organisation whose credit code the archive names). ``application_id`` lets the 破格B quota
    condition recognise the place this application already holds. Raises ArchiveFormatError for a
    malformed archive and RuleSetMissing when the plan has no rules for the qualification."""
    archive = parse_archive(archive_json)
    rules = PlanRules.load(plan=plan, qualification=qualification, only=archive, enterprise=enterprise)
    return rules.evaluate(
        archive,
        specialty_matches=specialty_matches,
        declaration_type=declaration_type,
        exceptional_class=exceptional_class,
        enterprise=enterprise,
        application_id=application_id,
    )


@dataclass(frozen=True)
class BulkInput:
    ref: str
    archive_json: Mapping[str, Any] | None
    specialty_matches: bool = True
    declaration_type: str | None = None
    exceptional_class: str = ""
    error: str = ""  # an input row that could not be read


def evaluate_many(
    *,
    plan: ReviewPlan,
    qualification: Qualification,
    items: Iterable[BulkInput],
    batch_size: int | None = None,
) -> Iterator[tuple[BulkInput, Result | None, str]]:
    """Evaluate many archives with a number of queries that does not depend on their number: the rules
    are loaded once and the employers of all archives in one query (``batch_size`` trades that for
    memory: one employer query per batch). Yields (input, result, error) in input order."""
    rules = plan_rules(plan=plan, qualification=qualification)
    batch: list[tuple[BulkInput, Any]] = []

    def flush():
        rules.prefetch_employers(a.identity.current_employer_credit_code for _, a in batch if a is not None)
        for item, archive in batch:
            if archive is None:
                yield item, None, item.error
                continue
            result = rules.evaluate(
                archive,
                prefetch=False,
                specialty_matches=item.specialty_matches,
                declaration_type=item.declaration_type,
                exceptional_class=item.exceptional_class,
            )
            yield item, result, ""
        batch.clear()

    for item in items:
        archive = None
        if not item.error:
            try:
                archive = parse_archive(item.archive_json)
            except ArchiveFormatError as exc:
                item = BulkInput(item.ref, None, error=f"档案格式错误：{exc}")
        batch.append((item, archive))
        if batch_size and len(batch) >= batch_size:
            yield from flush()
    yield from flush()
