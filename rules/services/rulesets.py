"""Services of rule sets: install a template's defaults for a plan and qualification, change
its thresholds, find the active one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from portal.models import Qualification, ReviewPlan
from rules.eligibility.exceptions import EligibilityError, RuleSetMissing
from rules.eligibility.templates import get_template
from rules.models import HonourCategory, RuleSet


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
