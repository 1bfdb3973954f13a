"""What an auditor (监督审计) reads of their region: its applications filtered, its publicity notices,
and the statistics of its applications, counted in one grouped query."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from rules.vocab import DeclarationType

from .models import Application, PublicityNotice
from .permissions import audited_applications, auditor_regions, in_regions
from .states import State

# Passed: voted or recognised, through its result publicity to approval and the certificate.
PASSED_STATES = frozenset(
    {
        State.PASSED,
        State.RESULT_PUBLICITY,
        State.RESULT_PUBLICITY_DONE,
        State.APPROVED,
        State.CERTIFIED,
    }
)
NOT_PASSED_STATES = frozenset({State.NOT_PASSED})


def region_applications(user, *, plan=None, state: str = "") -> QuerySet[Application]:
    """The region's applications, newest first, filtered by plan and state (indexed columns)."""
    qs = audited_applications(user)
    if plan is not None:
        qs = qs.filter(plan=plan)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("archive", "plan", "qualification", "specialty", "recommending_org").order_by(
        "-created_at", "pk"
    )


def region_notices(user) -> QuerySet[PublicityNotice]:
    """The publicity notices published in the auditor's region (none for anyone else)."""
    return PublicityNotice.objects.filter(in_regions(auditor_regions(user), "publisher__region__code"))


@dataclass
class PlanRow:
    pk: int
    title: str
    counts: dict[str, int] = field(default_factory=dict)  # state -> applications
    total: int = 0
    passed: int = 0
    not_passed: int = 0


@dataclass
class Statistics:
    states: list[tuple[str, str]]  # the states that occur, in the workflow's order, with their labels
    plans: list[PlanRow]
    routes: list[tuple[str, int]]  # route label -> applications
    total: int
    passed: int
    not_passed: int


def region_statistics(user) -> Statistics:
    """Counts per plan × state, per route, passed and not passed: one GROUP BY over the region."""
    rows = (
        audited_applications(user)
        .values("plan_id", "plan__title", "state", "declaration_type")
        .annotate(n=Count("pk"))
        .order_by("plan_id", "state", "declaration_type")
    )
    plans: dict[int, PlanRow] = {}
    routes: dict[str, int] = {}
    seen_states: set[str] = set()
    for row in rows:
        plan = plans.setdefault(row["plan_id"], PlanRow(row["plan_id"], row["plan__title"]))
        n, state = row["n"], row["state"]
        plan.counts[state] = plan.counts.get(state, 0) + n
        plan.total += n
        plan.passed += n if state in PASSED_STATES else 0
        plan.not_passed += n if state in NOT_PASSED_STATES else 0
        routes[row["declaration_type"]] = routes.get(row["declaration_type"], 0) + n
        seen_states.add(state)
    states = [(value, str(label)) for value, label in State.choices if value in seen_states]
    for plan in plans.values():
        plan.counts = {value: plan.counts.get(value, 0) for value, _label in states}
    route_labels = dict(DeclarationType.choices)
    return Statistics(
        states=states,
        plans=list(plans.values()),
        routes=[(str(route_labels.get(code, code)), n) for code, n in routes.items()],
        total=sum(p.total for p in plans.values()),
        passed=sum(p.passed for p in plans.values()),
        not_passed=sum(p.not_passed for p in plans.values()),
    )
