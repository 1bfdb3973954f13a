"""Services of integrity records: record a finding of false materials, withdraw it, and find the
ban that bars a declaration."""

from __future__ import annotations

import datetime as dt

from portal import clock
from portal.models import ReviewPlan
from portal.personal_data import id_digest
from portal.validators import normalise_id_number
from rules.eligibility.dates import add_years
from rules.models import IntegrityRecord


def integrity_record_create(
    *,
    id_type: str,
    id_number: str,
    name: str,
    review_year: int,
    level: int,
    finding: str,
    decision_date: dt.date,
    decision_document: str = "",
    kind: str = IntegrityRecord.Kind.FALSE_MATERIALS,
    user=None,
    plan: ReviewPlan | None = None,
    actor=None,
    ban_years: int = 3,
    credit_years: int = 3,
) -> IntegrityRecord:
    """Record a finding of false materials (or plagiarism, or other improper means).

    Seed 003 四 (浙人社发〔2020〕47号): no declaration of a higher title "从评审次年起3年内", i.e. in the
    review years Y+1..Y+3 for a finding in the review of year Y, for ``level`` (the level declared with
    the false materials) and above. Nationally the integrity-archive entry is kept 3 years from the
    decision (domain.md (f))."""
    record = IntegrityRecord(
        id_type=id_type,
        id_number=normalise_id_number(id_type, id_number),
        name=name,
        user=user,
        kind=kind,
        finding=finding,
        decision_document=decision_document,
        decision_date=decision_date,
        review_year=review_year,
        plan=plan,
        level=level,
        ban_first_year=review_year + 1,
        ban_last_year=review_year + ban_years,
        credit_record_until=add_years(decision_date, credit_years),
        created_by=actor,
    )
    record.full_clean()
    record.save()
    return record


def integrity_record_withdraw(*, record: IntegrityRecord, reason: str, actor=None) -> IntegrityRecord:
    """Withdraw a record found wrong (e.g. after a review of the decision); the row is kept."""
    record.withdrawn_at = clock.now()
    record.withdrawn_reason = reason[:200]
    record.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    return record


def integrity_ban_for(*, id_type: str, id_number: str, year: int, level: int) -> IntegrityRecord | None:
    """The record that bars this person from declaring a title of ``level`` in review year ``year``."""
    return (
        IntegrityRecord.objects.filter(
            id_type=id_type,
            id_number_digest=id_digest(id_number),
            withdrawn_at__isnull=True,
            ban_first_year__lte=year,
            ban_last_year__gte=year,
            level__lte=level,
        )
        .order_by("-review_year")
        .first()
    )
