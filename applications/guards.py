"""The guards of the application's moves: deadlines, routes, declaration types and the holding
committee's scope. Each returns None when the move is legal for the application now, or the refusal
to show; a Late refusal is answered as DeadlinePassed and an Outside one as OutOfScope."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from portal import clock
from portal.authority import scope_refusal
from rules.vocab import DeclarationType

from .exceptions import DeadlinePassed, OutOfScope
from .models import Application

# Routes without an expert vote: 直接认定 (recognised by the committee office after the pre-review
# publicity, seed 000 三) and 初定 (determined by the bureau after the qualification review, seed 004 二(三)).
NO_BALLOT_TYPES = frozenset({DeclarationType.RECOGNITION, DeclarationType.INITIAL})

Guard = Callable[[Application], "str | None"]


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y年%m月%d日 %H:%M")


class Late(str):
    """A refusal because a deadline of the plan has passed (answered as DeadlinePassed)."""


class Outside(str):
    """A refusal because the committee's authority does not cover the application (OutOfScope)."""


# What each kind of refusal raises; a plain string is an InvalidTransition.
RAISES = {Late: DeadlinePassed, Outside: OutOfScope}


def before(deadline_field: str, what: str, verb: str) -> Guard:
    def guard(application: Application) -> str | None:
        deadline = getattr(application.plan, deadline_field)
        if clock.now() >= deadline:
            return Late(f"{what}已于{_local(deadline)}截止（{application.plan.title}），{verb}。")
        return None

    return guard


def all_of(*guards: Guard) -> Guard:
    def guard(application: Application) -> str | None:
        for g in guards:
            refusal = g(application)
            if refusal:
                return refusal
        return None

    return guard


def no_initial_for_exam_series(application: Application) -> str | None:
    if (
        application.declaration_type == DeclarationType.INITIAL
        and application.qualification.series.exam_based
    ):
        # Seed 004 二(三): series with a unified exam (经济、会计…) have no 初定.
        return "实行全国、全省统一考试的系列不再进行职称初定，请作资格审查不通过处理。"
    return None


def recommend_only(application: Application) -> str | None:
    if not is_recommend_only(application):
        return "本评委会评审该资格，无需推荐至上级评委会。"
    if application.plan.higher_committee_id is None:
        return "评审计划未指定上级评审委员会，不能推荐。"
    return None


def reviewed_here(application: Application) -> str | None:
    if is_recommend_only(application):
        return "本评委会只推荐该资格，资格审查通过后推荐至上级评委会。"
    return None


def not_initial(application: Application) -> str | None:
    if application.declaration_type == DeclarationType.INITIAL:
        return f"{application.number}为初定申报，资格审查后由人力社保部门初定，无需评前公示。"
    return None


def needs_ballot(application: Application) -> str | None:
    if application.declaration_type in NO_BALLOT_TYPES:
        return "直接认定和初定的申报无需专家表决，不能安排评审会议。"
    return None


def recognition_route(application: Application) -> str | None:
    if application.declaration_type != DeclarationType.RECOGNITION:
        return "只有直接认定的申报可以认定通过，其他申报须经评审会议表决。"
    return None


def initial_route(application: Application) -> str | None:
    if application.declaration_type != DeclarationType.INITIAL:
        return "只有初定申报可以办理初定。"
    if application.qualification.series.exam_based:
        return "实行统一考试的系列不再进行职称初定。"
    return None


def in_scope_of(committee, application: Application, *, check_level: bool = True) -> str | None:
    refusal = scope_refusal(committee=committee, application=application, check_level=check_level)
    return Outside(refusal) if refusal else None


def recommendable(application: Application) -> str | None:
    # The level is judged at the committee's qualification review: a city committee also receives the
    # senior applications it only recommends upward (seed 004's table).
    return in_scope_of(application.committee, application, check_level=False)


def reviewable(application: Application) -> str | None:
    """The holding committee may review the application; a title it only recommends needs only its
    series, specialty and region, and the higher committee's full scope."""
    if is_recommend_only(application):
        higher = application.plan.higher_committee
        return in_scope_of(application.committee, application, check_level=False) or (
            in_scope_of(higher, application) if higher is not None else None
        )
    return in_scope_of(application.committee, application)


def receivable(application: Application) -> str | None:
    return in_scope_of(application.plan.higher_committee, application)


def is_recommend_only(application: Application) -> bool:
    """The committee holding the application only recommends this title to the higher committee
    named in the plan (seed 004's table: 评审…，推荐高级…)."""
    plan = application.plan
    if application.committee_id != plan.committee_id:
        return False
    qualification_id = application.qualification_id
    return (
        plan.recommend_qualifications.filter(pk=qualification_id).exists()
        and not plan.qualifications.filter(pk=qualification_id).exists()
    )


def returns_left(action: str) -> Guard:
    """The plan may limit how many times one stage returns an application (ReviewPlan.max_returns_per_stage,
    0 = no limit); the return that would exceed it is refused, so the page stops offering it."""

    def guard(application: Application) -> str | None:
        limit = application.plan.max_returns_per_stage
        if not limit:
            return None
        taken = application.events.filter(action=action).count()
        if taken >= limit:
            return (
                f"{application.plan.title}规定同一审核环节对一份申报最多退回{limit}次，"
                f"本环节已退回{taken}次，不能再退回，请作审核通过或不通过处理。"
            )
        return None

    return guard
