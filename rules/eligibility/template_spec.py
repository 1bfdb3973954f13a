"""What a rule-set template is: the code that reads a rule set, and the parameters a bureau may edit.

A template is written once from its source document (seed 003, 000, 001, 004). Its thresholds are
parameters stored on ``rules.models.RuleSet.params``; each parameter has a label, a kind, bounds, a
default taken from the document and the clause it comes from, so the admin can show and validate it.
The templates in force are listed in ``rules.eligibility.templates``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rules.vocab import AssessmentGrade, EducationLevel

from .context import EvalContext, RuleSetData
from .exceptions import InvalidParams
from .facts import Facts
from .result import ConditionResult, RouteResult

LEVEL_NAME = {1: "员级", 2: "助理级", 3: "中级", 4: "副高级", 5: "正高级"}

INT, BOOL, GRADE, EDUCATION, MONTHDAY = "int", "bool", "grade", "education", "monthday"
_MONTHDAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


@dataclass(frozen=True)
class ParamSpec:
    key: str
    label: str
    kind: str
    default: Any
    source: str = ""
    minimum: int = 0
    maximum: int = 1000

    def clean(self, value: Any) -> Any:
        """Return the value in its stored form or raise ValueError with a Chinese message."""
        if self.kind == INT:
            if isinstance(value, bool):
                raise ValueError("应为整数")
            if isinstance(value, str) and value.strip().lstrip("-").isdigit():
                value = int(value.strip())
            if not isinstance(value, int):
                raise ValueError("应为整数")
            if not self.minimum <= value <= self.maximum:
                raise ValueError(f"应在{self.minimum}至{self.maximum}之间")
            return value
        if self.kind == BOOL:
            if isinstance(value, bool):
                return value
            raise ValueError("应为 true 或 false")
        if self.kind == GRADE:
            if value not in AssessmentGrade.values:
                raise ValueError("应为考核等次代码：" + "、".join(AssessmentGrade.values))
            return value
        if self.kind == EDUCATION:
            if value not in EducationLevel.values:
                raise ValueError("应为学历层次代码：" + "、".join(EducationLevel.values))
            return value
        if self.kind == MONTHDAY:
            if not isinstance(value, str) or not _MONTHDAY.match(value):
                raise ValueError("应为 MM-DD 格式的月日，如 06-30")
            try:
                dt.date(2000, int(value[:2]), int(value[3:]))  # a leap year: 02-29 is a valid month-day
            except ValueError:
                raise ValueError(f"没有这一天：{value}") from None
            return value
        raise ValueError(f"未知参数类型 {self.kind}")


@dataclass(frozen=True)
class Evaluation:
    common: list[ConditionResult]
    routes: list[RouteResult]
    notes: list[str]


@dataclass(frozen=True)
class Template:
    code: str
    name: str
    document: str  # default document number cited in sources
    description: str
    levels: tuple[int, ...]  # title levels (portal.models.TitleLevel) it can judge
    params: tuple[ParamSpec, ...]
    evaluate: Callable[[Facts, RuleSetData, EvalContext], Evaluation]
    honour_categories: tuple[tuple[str, str], ...] = ()
    route_types: tuple[tuple[str, str, str], ...] = ()  # (route code, declaration type, exceptional class)

    def spec(self, key: str) -> ParamSpec:
        for spec in self.params:
            if spec.key == key:
                return spec
        raise KeyError(key)

    def defaults(self) -> dict[str, Any]:
        return {spec.key: spec.default for spec in self.params}

    def clean_params(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Strict: every key known, every value valid. Missing keys take their defaults."""
        if not isinstance(params, Mapping):
            raise InvalidParams({"params": "应为JSON对象"})
        errors: dict[str, str] = {}
        known = {spec.key for spec in self.params}
        for key in params:
            if key not in known:
                errors[key] = "本模板没有此参数"
        cleaned = {}
        for spec in self.params:
            value = params.get(spec.key, spec.default)
            try:
                cleaned[spec.key] = spec.clean(value)
            except ValueError as exc:
                errors[spec.key] = f"{spec.label}：{exc}"
        if errors:
            raise InvalidParams(errors)
        return cleaned

    def resolve(self, params: Mapping[str, Any] | None) -> dict[str, Any]:
        """Lenient, for evaluation: stored values over defaults; a key added to the template later
        simply takes its default."""
        resolved = self.defaults()
        for key, value in (params or {}).items():
            if key in resolved:
                resolved[key] = value
        return resolved
