"""The explained result of an eligibility check: a verdict, and for every route each condition with
its status, the figures it compared and the clause of the source document it comes from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MET = "met"
NOT_MET = "not_met"
NEEDS_EVIDENCE = "needs_evidence"
STATUSES = (MET, NOT_MET, NEEDS_EVIDENCE)
STATUS_LABEL = {MET: "符合", NOT_MET: "不符合", NEEDS_EVIDENCE: "需材料核实"}

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
VERDICT_NEEDS_EVIDENCE = "needs_evidence"
VERDICT_LABEL = {ELIGIBLE: "符合条件", NOT_ELIGIBLE: "不符合条件", VERDICT_NEEDS_EVIDENCE: "待材料核实"}
_STATUS_TO_VERDICT = {MET: ELIGIBLE, NOT_MET: NOT_ELIGIBLE, NEEDS_EVIDENCE: VERDICT_NEEDS_EVIDENCE}


def all_of(statuses: Iterable[str]) -> str:
    """All must hold: any 不符合 fails; otherwise any 需核实 leaves it open."""
    statuses = list(statuses)
    if NOT_MET in statuses:
        return NOT_MET
    if NEEDS_EVIDENCE in statuses:
        return NEEDS_EVIDENCE
    return MET


def any_of(statuses: Iterable[str]) -> str:
    statuses = list(statuses)
    if MET in statuses:
        return MET
    if NEEDS_EVIDENCE in statuses:
        return NEEDS_EVIDENCE
    return NOT_MET


def at_least(statuses: Iterable[str], n: int) -> str:
    """ "具备下列N项中的K项": met when K are met; open when K could be met once evidence is checked."""
    statuses = list(statuses)
    met = statuses.count(MET)
    if met >= n:
        return MET
    if met + statuses.count(NEEDS_EVIDENCE) >= n:
        return NEEDS_EVIDENCE
    return NOT_MET


@dataclass(frozen=True)
class ConditionResult:
    code: str
    text: str  # the condition, as the document states it
    status: str  # met | not_met | needs_evidence
    figures: (
        str  # what was compared, e.g. "大学本科，毕业后从事专业工作4年3个月，需满5年，截至2026年12月31日"
    )
    source: str  # document and clause, e.g. "虞人社职〔2023〕3号 附件1 二（二）1"
    children: tuple[ConditionResult, ...] = ()

    def __post_init__(self):
        assert self.status in STATUSES, self.status

    def as_dict(self) -> dict:
        data = {
            "code": self.code,
            "text": self.text,
            "status": self.status,
            "status_label": STATUS_LABEL[self.status],
            "figures": self.figures,
            "source": self.source,
        }
        if self.children:
            data["children"] = [c.as_dict() for c in self.children]
        return data

    def walk(self) -> Iterable[ConditionResult]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class RouteResult:
    code: str
    name: str
    declaration_type: str  # a rules.vocab.DeclarationType value
    exceptional_class: str  # "A" / "B" for 破格, else ""
    status: str  # of the route's own conditions (the common conditions are reported once, on Result)
    conditions: tuple[ConditionResult, ...]
    source: str
    selected: bool = True  # whether the requested declaration type asks about this route

    @property
    def verdict(self) -> str:
        return _STATUS_TO_VERDICT[self.status]

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "declaration_type": self.declaration_type,
            "exceptional_class": self.exceptional_class,
            "verdict": self.verdict,
            "verdict_label": VERDICT_LABEL[self.verdict],
            "selected": self.selected,
            "source": self.source,
            "conditions": [c.as_dict() for c in self.conditions],
        }


@dataclass(frozen=True)
class Result:
    """The answer to "may this person declare this title by this route this year, and if not, why"."""

    plan_code: str
    plan_year: int
    qualification: str
    template: str
    as_of: dt.date
    common: tuple[ConditionResult, ...]
    routes: tuple[RouteResult, ...]
    declaration_type: str | None = None
    exceptional_class: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def common_status(self) -> str:
        return all_of(c.status for c in self.common)

    @property
    def status(self) -> str:
        selected = [r.status for r in self.routes if r.selected]
        return all_of([self.common_status, any_of(selected)])

    @property
    def verdict(self) -> str:
        return _STATUS_TO_VERDICT[self.status]

    @property
    def eligible(self) -> bool:
        return self.verdict == ELIGIBLE

    def _types(self, statuses: Sequence[str]) -> list[str]:
        if self.common_status not in statuses:
            return []
        seen: list[str] = []
        for route in self.routes:
            if route.status in statuses and route.declaration_type not in seen:
                seen.append(route.declaration_type)
        return seen

    @property
    def allowed_declaration_types(self) -> list[str]:
        """Declaration types the person may use: met, or open pending the review of evidence."""
        return self._types((MET, NEEDS_EVIDENCE))

    @property
    def eligible_declaration_types(self) -> list[str]:
        """Declaration types whose conditions the archive alone already shows as met."""
        return self._types((MET,))

    def unmet(self) -> list[ConditionResult]:
        """Top-level conditions not met: the common ones, and those of the selected routes."""
        out = [c for c in self.common if c.status == NOT_MET]
        for route in self.routes:
            if route.selected:
                out.extend(c for c in route.conditions if c.status == NOT_MET)
        return out

    def to_check(self) -> list[ConditionResult]:
        out = [c for c in self.common if c.status == NEEDS_EVIDENCE]
        for route in self.routes:
            if route.selected and route.status != NOT_MET:
                out.extend(c for c in route.conditions if c.status == NEEDS_EVIDENCE)
        return out

    def summary(self) -> str:
        label = VERDICT_LABEL[self.verdict]
        met_routes = [r.name for r in self.routes if r.selected and r.status == MET]
        open_routes = [r.name for r in self.routes if r.selected and r.status == NEEDS_EVIDENCE]
        parts = [f"{self.plan_year}年度{self.qualification}：{label}"]
        if self.common_status == NOT_MET:
            parts.append("共同条件不符合：" + "；".join(c.text for c in self.common if c.status == NOT_MET))
        prefix = "补足共同条件后" if self.common_status == NOT_MET else ""
        if met_routes:
            parts.append(f"{prefix}可按" + "、".join(met_routes) + "申报")
        elif open_routes:
            parts.append(f"{prefix}经材料核实后可按" + "、".join(open_routes) + "申报")
        else:
            parts.append("所列申报途径均不符合")
        return "。".join(parts) + "。"

    def as_dict(self) -> dict:
        return {
            "plan": self.plan_code,
            "plan_year": self.plan_year,
            "qualification": self.qualification,
            "template": self.template,
            "as_of": self.as_of.isoformat(),
            "declaration_type": self.declaration_type,
            "exceptional_class": self.exceptional_class,
            "verdict": self.verdict,
            "verdict_label": VERDICT_LABEL[self.verdict],
            "summary": self.summary(),
            "allowed_declaration_types": self.allowed_declaration_types,
            "eligible_declaration_types": self.eligible_declaration_types,
            "common": [c.as_dict() for c in self.common],
            "routes": [r.as_dict() for r in self.routes],
            "notes": list(self.notes),
        }
