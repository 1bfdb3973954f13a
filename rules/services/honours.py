"""Services of enterprise honours and the 破格B quota: record an honour, and reserve, release or
report the enterprise's 破格B places in a plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from portal import clock
from portal.models import Organisation, ReviewPlan
from rules.eligibility.context import EmployerInfo, HonourInfo, RuleSetData
from rules.eligibility.employer import honour_window, quota_for, valid_honours
from rules.eligibility.exceptions import NoValidHonour, QuotaExceeded
from rules.eligibility.loader import ruleset_data
from rules.models import EnterpriseHonour, ExceptionalBReservation, HonourCategory, RuleSet


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
