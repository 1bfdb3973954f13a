"""Builds archives in the JSON form of applications.archive_json.archive_to_json for the eligibility tests,
and helpers to read a Result. Dates are written as ISO strings, as in the JSON form."""

from __future__ import annotations

from typing import Any

from rules.eligibility import EvalContext, Result, evaluate_json, ruleset_data_for_template
from rules.eligibility.result import ConditionResult, RouteResult


def good_assessments(year: int) -> list[dict[str, Any]]:
    """合格 in each of the three years before the review year (seed 003 附件3 第9项: 2020-2022 for 2023)."""
    return [{"year": y, "grade": "qualified"} for y in range(year - 3, year)]


def full_ce(
    year: int, *, public: int = 18, industry_public: int = 0, professional: int = 72
) -> list[dict[str, Any]]:
    """90 hours a year (18 公需 + 72 专业) for the three years up to the review year (seed 003: 2021-2023
    for 2023): 270 in all, 216 professional, 54 public."""
    return [
        {"year": y, "public": public, "industry_public": industry_public, "professional": professional}
        for y in range(year - 2, year + 1)
    ]


def archive(
    *,
    year: int = 2023,
    educations: list[tuple[str, str]] | list[dict[str, Any]] | None = None,
    work: list[tuple[str, str | None]] | None = None,
    skilled_work: list[tuple[str, str | None]] | None = None,
    titles: list[dict[str, Any]] | None = None,
    skills: list[tuple[str, str]] | None = None,
    assessments: list[dict[str, Any]] | None = None,
    ce_hours: list[dict[str, Any]] | None = None,
    achievements: list[dict[str, Any]] | None = None,
    credit_code: str | None = None,
    id_number: str = "330802199005171234",
) -> dict[str, Any]:
    edus = []
    for e in educations if educations is not None else [("bachelor", "2015-06-30")]:
        if isinstance(e, dict):
            edus.append(
                {
                    "level": e["level"],
                    "graduation_date": e.get("graduation_date"),
                    "technical_class": e.get("technical_class", ""),
                    "origin": e.get("origin", "domestic"),
                    "certification_no": e.get("certification_no", ""),
                    "school": "某校",
                    "major": "机械工程",
                    "degree": "",
                    "study_mode": "full_time",
                }
            )
        else:
            edus.append(
                {
                    "level": e[0],
                    "graduation_date": e[1],
                    "technical_class": "",
                    "origin": "domestic",
                    "certification_no": "",
                    "school": "某校",
                    "major": "机械工程",
                    "degree": "",
                    "study_mode": "full_time",
                }
            )
    periods = [
        {
            "employer_name": "某机电有限公司",
            "start": s,
            "end": e,
            "post": "工程技术",
            "professional": True,
            "skilled": False,
        }
        for s, e in (work if work is not None else [("2015-07-01", None)])
    ]
    periods += [
        {
            "employer_name": "某机电有限公司",
            "start": s,
            "end": e,
            "post": "技术工人",
            "professional": False,
            "skilled": True,
        }
        for s, e in (skilled_work or [])
    ]
    return {
        "identity": {
            "name": "张三",
            "gender": "male",
            "id_type": "resident",
            "id_number": id_number,
            "birth_date": "1990-05-17",
            "nationality": "中国",
            "current_employer": "某机电有限公司",
            "current_employer_credit_code": credit_code,
        },
        "educations": edus,
        "work_periods": periods,
        "titles": titles or [],
        "skill_certificates": [
            {"level": lv, "occupation": "机修钳工", "obtained_date": d} for lv, d in (skills or [])
        ],
        "assessments": good_assessments(year) if assessments is None else assessments,
        "ce_hours": full_ce(year) if ce_hours is None else ce_hours,
        "achievements": achievements or [],
        "social_insurance": [],
    }


def title(
    level: int,
    obtained: str,
    *,
    appointed: str | None = None,
    name: str | None = None,
    series: str = "engineering",
) -> dict[str, Any]:
    names = {1: "技术员", 2: "助理工程师", 3: "工程师"}
    return {
        "series": series,
        "level": level,
        "name": name or names[level],
        "obtained_date": obtained,
        "appointed_date": appointed,
        "method": "review",
    }


def achievement(kind: str, title: str, date: str, **extra: Any) -> dict[str, Any]:
    data = {
        "kind": kind,
        "title": title,
        "date": date,
        "end_date": None,
        "level": "",
        "rank": None,
        "role": "",
        "patent_type": "",
        "issuer": "",
        "issuer_is_government": False,
    }
    data.update(extra)
    return data


def check(
    template: str,
    archive_json: dict[str, Any],
    *,
    year: int = 2023,
    level: int | None = None,
    ctx: EvalContext | None = None,
    params: dict[str, Any] | None = None,
    **rs_kwargs: Any,
) -> Result:
    rs = ruleset_data_for_template(template, year=year, qualification_level=level, params=params, **rs_kwargs)
    return evaluate_json(archive_json, rs, ctx)


def route(result: Result, code: str) -> RouteResult:
    return next(r for r in result.routes if r.code == code)


def cond(result_or_route: Result | RouteResult, code: str) -> ConditionResult:
    conditions = result_or_route.common if isinstance(result_or_route, Result) else result_or_route.conditions
    for c in conditions:
        for node in c.walk():
            if node.code == code:
                return node
    raise KeyError(code)
