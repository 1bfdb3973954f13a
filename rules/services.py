"""Services of the rules app: eligibility rule sets and their evaluation, enterprise honours and the
破格B quota, integrity records. Everything that writes these tables goes through here.

Called from applications/ (self-check, submission, recommendation), from the admin and from
``manage.py eligibility``; the evaluation itself is pure (rules/eligibility/)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from portal import clock
from portal.models import Organisation, Qualification, ReviewPlan
from portal.validators import normalise_id_number

from .eligibility.archive import parse_archive
from .eligibility.context import EmployerInfo, HonourInfo, RuleSetData
from .eligibility.dates import add_years
from .eligibility.employer import honour_window, quota_for, valid_honours
from .eligibility.exceptions import (
    ArchiveFormatError,
    EligibilityError,
    InvalidParams,
    NoValidHonour,
    QuotaExceeded,
    RuleSetMissing,
)
from .eligibility.loader import PlanRules, ruleset_data
from .eligibility.result import Result
from .eligibility.templates import get_template
from .models import (
    EnterpriseHonour,
    ExceptionalBReservation,
    HonourCategory,
    IntegrityRecord,
    RuleSet,
)

__all__ = [
    "ArchiveFormatError",
    "BulkInput",
    "EligibilityError",
    "InvalidParams",
    "NoValidHonour",
    "QuotaExceeded",
    "QuotaStatus",
    "RuleSetMissing",
    "enterprise_honour_record",
    "evaluate_for",
    "evaluate_many",
    "exceptional_b_quota_release",
    "exceptional_b_quota_reserve",
    "exceptional_b_quota_status",
    "integrity_ban_for",
    "integrity_record_create",
    "integrity_record_withdraw",
    "plan_rules",
    "ruleset_for",
    "ruleset_install_defaults",
    "ruleset_update_params",
]


# ---------------------------------------------------------------- rule sets


def ruleset_install_defaults(
    *,
    plan: ReviewPlan,
    template: str,
    qualification: Qualification | None = None,
    document_no: str = "",
    actor=None,
) -> RuleSet:
    """Create (or reset to its template's defaults) the rule set of a plan and qualification.

    Templates: ``zj_engineer_mid_2023`` (seed 003), ``sx_engineer_mid_2020`` and
    ``sx_engineer_assistant_2020`` (seed 000), ``wh_engineer_green_channel_2020`` (seed 001),
    ``zj_initial_2021`` (seed 004). Without ``qualification`` the plan's only qualification at a level
    the template judges is used."""
    t = get_template(template)
    if qualification is None:
        fitting = [q for q in plan.qualifications.all() if q.level in t.levels]
        if len(fitting) != 1:
            names = "、".join(q.name for q in fitting) or "无"
            raise EligibilityError(f"请指定申报资格：计划中适用模板“{t.name}”的资格为 {names}")
        qualification = fitting[0]
    elif qualification.level not in t.levels:
        raise EligibilityError(f"模板“{t.name}”不适用于{qualification.name}")
    with transaction.atomic():
        ruleset, _ = RuleSet.objects.update_or_create(
            plan=plan,
            qualification=qualification,
            defaults={
                "template": t.code,
                "params": t.defaults(),
                "document_no": document_no,
                "is_active": True,
                "updated_by": actor,
            },
        )
        categories = []
        for position, (code, name) in enumerate(t.honour_categories, start=1):
            category, _ = HonourCategory.objects.get_or_create(
                code=code, defaults={"name": name, "position": position}
            )
            categories.append(category)
        ruleset.honour_categories.set(categories)
    return ruleset


def ruleset_update_params(*, ruleset: RuleSet, params: Mapping[str, Any], actor=None) -> RuleSet:
    """Change thresholds; every value is checked against the template (raises InvalidParams)."""
    ruleset.params = get_template(ruleset.template).clean_params({**ruleset.params, **params})
    ruleset.updated_by = actor
    ruleset.save(update_fields=["params", "updated_by", "updated_at"])
    return ruleset


def ruleset_for(*, plan: ReviewPlan, qualification: Qualification) -> RuleSet:
    ruleset = RuleSet.objects.filter(plan=plan, qualification=qualification, is_active=True).first()
    if ruleset is None:
        raise RuleSetMissing(f"评审计划“{plan}”尚未为“{qualification}”配置资格条件规则集")
    return ruleset


# ---------------------------------------------------------------- evaluation


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
    rules = plan_rules(plan=plan, qualification=qualification)
    return rules.evaluate(
        archive_json,
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


# ---------------------------------------------------------------- enterprise honours and the 破格B quota


def enterprise_honour_record(
    *,
    organisation: Organisation,
    category: HonourCategory,
    level: str,
    title: str,
    issued_on: dt.date,
    document_no: str = "",
    issuer: str = "",
    actor=None,
) -> EnterpriseHonour:
    honour = EnterpriseHonour(
        organisation=organisation,
        category=category,
        level=level,
        title=title,
        issued_on=issued_on,
        document_no=document_no,
        issuer=issuer,
        created_by=actor,
    )
    honour.full_clean()
    honour.save()
    return honour


@dataclass(frozen=True)
class QuotaStatus:
    quota: int
    level: str  # "national" | "provincial" | ""
    used: int
    honours: tuple[EnterpriseHonour, ...]
    window: tuple[dt.date, dt.date]

    @property
    def remaining(self) -> int:
        return max(self.quota - self.used, 0)


def _plan_rule_data(plan: ReviewPlan) -> list[tuple[RuleSet, RuleSetData]]:
    out = []
    for ruleset in (
        RuleSet.objects.select_related("plan", "qualification__series")
        .prefetch_related("honour_categories")
        .filter(plan=plan, is_active=True)
    ):
        data = ruleset_data(ruleset)
        if "b.quota_national" in data.params:
            out.append((ruleset, data))
    return out


def _quota(plan: ReviewPlan, enterprise: Organisation, used: int) -> QuotaStatus:
    """The quota comes from the plan's rule sets that have a 破格B route (the largest if several)."""
    best: QuotaStatus | None = None
    for _ruleset, data in _plan_rule_data(plan):
        start, end = honour_window(data)
        codes = [code for code, _ in data.honour_categories]
        rows = list(
            EnterpriseHonour.objects.select_related("category").filter(
                organisation=enterprise, category__code__in=codes, issued_on__range=(start, end)
            )
        )
        infos = [
            HonourInfo(h.category.code, h.category.name, h.level, h.title, h.document_no, h.issued_on)
            for h in rows
        ]
        valid = valid_honours(data, EmployerInfo(honours=tuple(infos)))
        quota, level = quota_for(data, valid)
        status = QuotaStatus(quota=quota, level=level, used=used, honours=tuple(rows), window=(start, end))
        if best is None or status.quota > best.quota:
            best = status
    if best is None:
        raise NoValidHonour(f"评审计划“{plan}”没有破格B类申报途径")
    return best


def exceptional_b_quota_status(*, plan: ReviewPlan, enterprise: Organisation) -> QuotaStatus:
    used = ExceptionalBReservation.objects.filter(
        plan=plan, enterprise=enterprise, released_at__isnull=True
    ).count()
    return _quota(plan, enterprise, used)


def exceptional_b_quota_reserve(
    *, plan: ReviewPlan, enterprise: Organisation, application_id: Any, actor=None
) -> ExceptionalBReservation:
    """Take one of the enterprise's 破格B places in the plan for an application (idempotent per application).

    Two HR officers recommending at the same moment cannot exceed the quota: the enterprise row is locked
    (SELECT … FOR UPDATE) while places are counted and taken, and the partial unique constraint on
    (plan, enterprise, slot) refuses a second holder of the same place even without the lock."""
    with transaction.atomic():
        # Serialises reservations per enterprise; other enterprises are not blocked.
        Organisation.objects.select_for_update().only("id").get(pk=enterprise.pk)
        live = ExceptionalBReservation.objects.filter(
            plan=plan, enterprise=enterprise, released_at__isnull=True
        )
        mine = live.filter(application_id=application_id).first()
        if mine is not None:
            return mine
        taken = set(live.values_list("slot", flat=True))
        status = _quota(plan, enterprise, len(taken))
        if status.quota == 0:
            start, end = status.window
            raise NoValidHonour(
                f"{enterprise.name}在{start:%Y年%m月%d日}至{end:%Y年%m月%d日}期间没有附件2所列荣誉，"
                "不能推荐破格B类申报"
            )
        if len(taken) >= status.quota:
            raise QuotaExceeded(f"{enterprise.name}破格B类推荐名额已满（{status.quota}人）")
        slot = min(set(range(1, status.quota + 1)) - taken)
        honour = max(status.honours, key=lambda h: (h.level == "national", h.issued_on))
        try:
            with transaction.atomic():
                return ExceptionalBReservation.objects.create(
                    plan=plan,
                    enterprise=enterprise,
                    slot=slot,
                    quota=status.quota,
                    application_id=application_id,
                    honour=honour,
                    reserved_by=actor,
                )
        except IntegrityError as exc:
            # Only reachable without the row lock (e.g. a database that ignores FOR UPDATE).
            raise QuotaExceeded(f"{enterprise.name}破格B类推荐名额已被同时占用，请重试") from exc


def exceptional_b_quota_release(
    *, plan: ReviewPlan, application_id: Any, reason: str = "", actor=None
) -> bool:
    """Give the place back (application withdrawn, rejected, or changed to another declaration type)."""
    updated = ExceptionalBReservation.objects.filter(
        plan=plan, application_id=application_id, released_at__isnull=True
    ).update(released_at=clock.now(), release_reason=reason[:200])
    return bool(updated)


# ---------------------------------------------------------------- integrity


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
            id_number=normalise_id_number(id_type, id_number),
            withdrawn_at__isnull=True,
            ban_first_year__lte=year,
            ban_last_year__gte=year,
            level__lte=level,
        )
        .order_by("-review_year")
        .first()
    )
