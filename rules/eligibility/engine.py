"""Evaluate one archive against one rule set: pure, no database access."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from rules.vocab import DeclarationType

from .archive import Archive, parse_archive
from .context import EvalContext, RuleSetData
from .facts import Facts
from .result import NOT_MET, ConditionResult, Result
from .templates import get_template

TYPE_LABEL = {
    DeclarationType.NORMAL: "正常申报",
    DeclarationType.EXCEPTIONAL: "破格申报",
    DeclarationType.SKILLS: "技能人才申报",
    DeclarationType.RECOGNITION: "直接认定",
    DeclarationType.INITIAL: "初定",
}


def evaluate(archive: Archive, rs: RuleSetData, ctx: EvalContext | None = None) -> Result:
    ctx = ctx or EvalContext()
    template = get_template(rs.template)
    facts = Facts(archive, rs.as_of, series_code=rs.series_code)
    ev = template.evaluate(facts, rs, ctx)
    common = list(ev.common)
    routes = list(ev.routes)
    notes = list(ev.notes)
    wanted, klass = ctx.declaration_type, (ctx.exceptional_class or "").upper()
    if wanted:

        def fits(route) -> bool:
            if route.declaration_type != wanted:
                return False
            return not (wanted == DeclarationType.EXCEPTIONAL and klass and route.exceptional_class != klass)

        routes = [dataclasses.replace(r, selected=fits(r)) for r in routes]
        if not any(r.selected for r in routes):
            offered = []
            for r in routes:
                label = TYPE_LABEL.get(r.declaration_type, r.declaration_type) + (
                    f"{r.exceptional_class}类" if r.exceptional_class else ""
                )
                if label not in offered:
                    offered.append(label)
            asked = TYPE_LABEL.get(wanted, wanted) + (f"{klass}类" if klass else "")
            common.append(
                ConditionResult(
                    "declaration_type",
                    "申报类型为本评审计划所设类型",
                    NOT_MET,
                    f"本计划{rs.qualification_name}未设“{asked}”；可选：{'、'.join(offered)}",
                    rs.src(""),
                )
            )
    if rs.qualification_level not in template.levels:
        notes.append(f"规则模板“{template.name}”不适用于该资格层级，结果仅供参考。")
    return Result(
        plan_code=rs.plan_code,
        plan_year=rs.year,
        qualification=rs.qualification_name,
        template=rs.template,
        as_of=rs.as_of,
        common=tuple(common),
        routes=tuple(routes),
        declaration_type=wanted,
        exceptional_class=klass if wanted == DeclarationType.EXCEPTIONAL else "",
        notes=tuple(notes),
    )


def evaluate_json(archive_json: Mapping[str, Any], rs: RuleSetData, ctx: EvalContext | None = None) -> Result:
    return evaluate(parse_archive(archive_json), rs, ctx)


def ruleset_data_for_template(
    template_code: str,
    *,
    year: int,
    qualification_level: int | None = None,
    qualification_name: str = "",
    params: Mapping[str, Any] | None = None,
    plan_code: str = "",
    series_code: str = "engineering",
    series_name: str = "工程",
    series_exam_based: bool = False,
    document: str | None = None,
) -> RuleSetData:
    """A RuleSetData straight from a template's defaults (tests, offline checks without a database)."""
    template = get_template(template_code)
    level = qualification_level or template.levels[-1]
    names = {1: "技术员", 2: "助理工程师", 3: "工程师", 4: "高级工程师", 5: "正高级工程师"}
    return RuleSetData(
        template=template_code,
        params=template.resolve(template.clean_params(params or {})),
        year=year,
        plan_code=plan_code,
        qualification_name=qualification_name or names.get(level, ""),
        qualification_level=level,
        series_code=series_code,
        series_name=series_name,
        series_exam_based=series_exam_based,
        document=template.document if document is None else document,
        honour_categories=template.honour_categories,
    )
