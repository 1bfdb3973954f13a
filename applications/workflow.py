"""The one module that changes an application's state.

MOVES is the table of legal moves: for each action, the states it may start from, the state it
leads to, who takes it (an actor relative to this application: its applicant, its employer, the
bureau that receives it, the committee that holds it, that committee's filing bureau, the higher
committee it is recommended to, or the system) and the guard that decides whether the move is legal
for this application now (its route, declaration type, deadlines). `available_moves` reads the
same table, so a page offers exactly the moves `transition` accepts.

`transition` is the only writer of Application.state: it locks the row, checks the table, the
guard and the actor's right to act, runs the caller's precondition and changes, and appends a
hash-chained history row, all in one transaction. Notifications go out after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import clock
from portal.authority import scope_refusal
from rules.vocab import DeclarationType

from . import chain, permissions
from .exceptions import DeadlinePassed, InvalidTransition, OutOfScope
from .models import Application, ApplicationEvent
from .permissions import Actor
from .states import State

SYSTEM = Actor.SYSTEM
# Routes without an expert vote: 直接认定 (recognised by the committee office after the pre-review
# publicity, seed 000 三) and 初定 (determined by the bureau after the qualification review, seed 004 二(三)).
NO_BALLOT_TYPES = frozenset({DeclarationType.RECOGNITION, DeclarationType.INITIAL})

Guard = Callable[[Application], "str | None"]


@dataclass(frozen=True)
class Move:
    action: str
    sources: frozenset[str]
    target: str
    by: frozenset[str]
    label: str
    guard: Guard | None = None

    @property
    def role(self) -> str:
        """The role the history records for this move (system moves: "system")."""
        return permissions.ROLE_OF[min(self.by)]

    def refusal(self, application: Application) -> str | None:
        return self.guard(application) if self.guard is not None else None


def _m(action, sources, target, by, label, guard=None) -> Move:
    by = frozenset(by if isinstance(by, set | frozenset) else {by})
    return Move(action, frozenset(sources), target, by, str(label), guard)


# ---------------------------------------------------------------- guards


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y年%m月%d日 %H:%M")


class Late(str):
    """A refusal because a deadline of the plan has passed (answered as DeadlinePassed)."""


class Outside(str):
    """A refusal because the committee's authority does not cover the application (OutOfScope)."""


# What each kind of refusal raises; a plain string is an InvalidTransition.
_RAISES = {Late: DeadlinePassed, Outside: OutOfScope}


def _before(deadline_field: str, what: str, verb: str) -> Guard:
    def guard(application: Application) -> str | None:
        deadline = getattr(application.plan, deadline_field)
        if clock.now() >= deadline:
            return Late(f"{what}已于{_local(deadline)}截止（{application.plan.title}），{verb}。")
        return None

    return guard


def _all(*guards: Guard) -> Guard:
    def guard(application: Application) -> str | None:
        for g in guards:
            refusal = g(application)
            if refusal:
                return refusal
        return None

    return guard


def _no_initial_for_exam_series(application: Application) -> str | None:
    if (
        application.declaration_type == DeclarationType.INITIAL
        and application.qualification.series.exam_based
    ):
        # Seed 004 二(三): series with a unified exam (经济、会计…) have no 初定.
        return "实行全国、全省统一考试的系列不再进行职称初定，请作资格审查不通过处理。"
    return None


def _recommend_only(application: Application) -> str | None:
    if not is_recommend_only(application):
        return "本评委会评审该资格，无需推荐至上级评委会。"
    if application.plan.higher_committee_id is None:
        return "评审计划未指定上级评审委员会，不能推荐。"
    return None


def _reviewed_here(application: Application) -> str | None:
    if is_recommend_only(application):
        return "本评委会只推荐该资格，资格审查通过后推荐至上级评委会。"
    return None


def _not_initial(application: Application) -> str | None:
    if application.declaration_type == DeclarationType.INITIAL:
        return f"{application.number}为初定申报，资格审查后由人力社保部门初定，无需评前公示。"
    return None


def _needs_ballot(application: Application) -> str | None:
    if application.declaration_type in NO_BALLOT_TYPES:
        return "直接认定和初定的申报无需专家表决，不能安排评审会议。"
    return None


def _recognition(application: Application) -> str | None:
    if application.declaration_type != DeclarationType.RECOGNITION:
        return "只有直接认定的申报可以认定通过，其他申报须经评审会议表决。"
    return None


def _initial(application: Application) -> str | None:
    if application.declaration_type != DeclarationType.INITIAL:
        return "只有初定申报可以办理初定。"
    if application.qualification.series.exam_based:
        return "实行统一考试的系列不再进行职称初定。"
    return None


def _in_scope_of(committee, application: Application, *, check_level: bool = True) -> str | None:
    refusal = scope_refusal(committee=committee, application=application, check_level=check_level)
    return Outside(refusal) if refusal else None


def _recommendable(application: Application) -> str | None:
    # The level is judged at the committee's qualification review: a city committee also receives the
    # senior applications it only recommends upward (seed 004's table).
    return _in_scope_of(application.committee, application, check_level=False)


def _reviewable(application: Application) -> str | None:
    """The holding committee may review the application; a title it only recommends needs only its
    series, specialty and region, and the higher committee's full scope."""
    if is_recommend_only(application):
        higher = application.plan.higher_committee
        return _in_scope_of(application.committee, application, check_level=False) or (
            _in_scope_of(higher, application) if higher is not None else None
        )
    return _in_scope_of(application.committee, application)


def _receivable(application: Application) -> str | None:
    return _in_scope_of(application.plan.higher_committee, application)


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


# ---------------------------------------------------------------- the table

A = Actor
S = State
_DECLARATION_OPEN = _before("declaration_deadline", "个人申报", "不能再提交")
_RECOMMENDATION_OPEN = _before("employer_deadline", "单位推荐", "不能再提交")
_EMPLOYER_DEADLINE = _before("employer_deadline", "单位推荐", "不能再推荐")

MOVES: dict[str, Move] = {
    m.action: m
    for m in [
        # Applicant
        _m("create", {S.DRAFT}, S.DRAFT, A.APPLICANT, _("创建申报")),
        _m("submit", {S.DRAFT}, S.EMPLOYER_AUDIT, A.APPLICANT, _("提交申报"), _DECLARATION_OPEN),
        # After a return the applicant may resubmit until the employer's deadline.
        _m(
            "resubmit", {S.RETURNED}, S.EMPLOYER_AUDIT, A.APPLICANT, _("修改后重新提交"), _RECOMMENDATION_OPEN
        ),
        _m("withdraw", {S.DRAFT, S.EMPLOYER_AUDIT, S.RETURNED}, S.WITHDRAWN, A.APPLICANT, _("撤回申报")),
        # Employer (or agency, dispatch company, service point)
        _m("employer_return", {S.EMPLOYER_AUDIT}, S.RETURNED, A.EMPLOYER, _("退回申报人修改")),
        _m("employer_reject", {S.EMPLOYER_AUDIT}, S.REJECTED, A.EMPLOYER, _("审核不通过")),
        _m("employer_publicise", {S.EMPLOYER_AUDIT}, S.EMPLOYER_PUBLICITY, A.EMPLOYER, _("审核通过并公示")),
        _m(
            "employer_publicity_end",
            {S.EMPLOYER_PUBLICITY},
            S.EMPLOYER_PUBLICITY_DONE,
            SYSTEM,
            _("单位公示期满"),
        ),
        _m(
            "employer_recommend",
            {S.EMPLOYER_PUBLICITY_DONE},
            S.BUREAU_REVIEW,
            A.EMPLOYER,
            _("单位推荐"),
            _EMPLOYER_DEADLINE,
        ),
        # Receiving bureau / association / agency
        _m("bureau_return", {S.BUREAU_REVIEW}, S.EMPLOYER_AUDIT, A.BUREAU, _("退回用人单位")),
        _m(
            "bureau_recommend",
            {S.BUREAU_REVIEW},
            S.QUALIFICATION_REVIEW,
            A.BUREAU,
            _("审核推荐至评委会"),
            _recommendable,
        ),
        # 委托评审: to a committee of another region; its scope is checked against the chosen plan.
        _m("bureau_entrust", {S.BUREAU_REVIEW}, S.QUALIFICATION_REVIEW, A.BUREAU, _("委托评审")),
        # The committee office of the committee holding the application
        _m(
            "qualification_pass",
            {S.QUALIFICATION_REVIEW},
            S.QUALIFIED,
            A.COMMITTEE,
            _("资格审查通过"),
            _all(_no_initial_for_exam_series, _reviewable),
        ),
        _m("qualification_return", {S.QUALIFICATION_REVIEW}, S.BUREAU_REVIEW, A.COMMITTEE, _("退回推荐单位")),
        _m("qualification_reject", {S.QUALIFICATION_REVIEW}, S.REJECTED, A.COMMITTEE, _("资格审查不通过")),
        _m(
            "recommend_upward",
            {S.QUALIFIED},
            S.RECOMMENDED_UPWARD,
            A.COMMITTEE,
            _("推荐至上级评委会"),
            _recommend_only,
        ),
        _m(
            "upward_receive",
            {S.RECOMMENDED_UPWARD},
            S.QUALIFICATION_REVIEW,
            A.HIGHER_COMMITTEE,
            _("上级评委会接收"),
            _receivable,
        ),
        _m(
            "pre_review_publicise",
            {S.QUALIFIED},
            S.PRE_REVIEW_PUBLICITY,
            A.COMMITTEE,
            _("评前公示"),
            _all(_reviewed_here, _not_initial),
        ),
        _m(
            "pre_review_publicity_end",
            {S.PRE_REVIEW_PUBLICITY},
            S.AWAITING_MEETING,
            SYSTEM,
            _("评前公示期满"),
        ),
        _m(
            "assign_meeting",
            {S.AWAITING_MEETING},
            S.IN_MEETING,
            A.COMMITTEE,
            _("安排评审会议"),
            _all(_needs_ballot, _reviewable),
        ),
        _m("unassign_meeting", {S.IN_MEETING}, S.AWAITING_MEETING, A.COMMITTEE, _("移出评审会议")),
        _m("vote_pass", {S.IN_MEETING}, S.PASSED, SYSTEM, _("评审通过")),
        _m("vote_fail", {S.IN_MEETING}, S.NOT_PASSED, SYSTEM, _("评审未通过")),
        # 直接认定 after the pre-review publicity; 初定 straight after the qualification review.
        _m(
            "recognise",
            {S.AWAITING_MEETING},
            S.PASSED,
            A.COMMITTEE,
            _("认定通过"),
            _all(_recognition, _reviewable),
        ),
        _m(
            "initial_determine",
            {S.QUALIFIED},
            S.PASSED,
            A.FILING_BUREAU,
            _("初定通过"),
            _all(_reviewed_here, _initial),
        ),
        _m("result_publicise", {S.PASSED}, S.RESULT_PUBLICITY, A.COMMITTEE, _("结果公示")),
        _m("result_publicity_end", {S.RESULT_PUBLICITY}, S.RESULT_PUBLICITY_DONE, SYSTEM, _("结果公示期满")),
        # 核准公布 by the bureau that files the committee (seed 004 一(五)).
        _m("approve", {S.RESULT_PUBLICITY_DONE}, S.APPROVED, A.FILING_BUREAU, _("核准公布")),
        _m("issue_certificate", {S.APPROVED}, S.CERTIFIED, SYSTEM, _("发放电子证书")),
        # Side paths
        _m(
            "objection_upheld",
            {S.EMPLOYER_PUBLICITY, S.PRE_REVIEW_PUBLICITY, S.RESULT_PUBLICITY},
            S.REJECTED,
            SYSTEM,
            _("公示异议成立"),
        ),
        # Revoked (with its certificate, once issued) by the bureau that approved the result.
        _m("revoke", {S.APPROVED, S.CERTIFIED}, S.REVOKED, A.FILING_BUREAU, _("撤销资格")),
    ]
}

# The same table seen from each state: where an application may go next.
NEXT_STATES: dict[str, frozenset[str]] = {
    state: frozenset(m.target for m in MOVES.values() if state in m.sources and m.target != state)
    for state in State.values
}


def may_take(move: Move, application: Application, user) -> bool:
    return SYSTEM not in move.by and permissions.holds_any(user, application, move.by)


def available_moves(application: Application, user) -> list[Move]:
    """The moves this user may take on this application now; pages build their buttons from it."""
    return [
        move
        for move in MOVES.values()
        if application.state in move.sources
        and move.action != "create"
        and may_take(move, application, user)
        and move.refusal(application) is None
    ]


def batch_actions(state: str, actor: str) -> set[str]:
    """The moves a queue of applications in `state` offers to `actor` for a selection; each
    application's own guard is checked when the batch is taken (failures come back one by one)."""
    return {m.action for m in MOVES.values() if state in m.sources and actor in m.by}


def refusal(application: Application, action: str, user) -> str | None:
    """Why this user may not take this move now, or None (for pages that explain a missing button)."""
    move = MOVES[action]
    if application.state not in move.sources:
        return f"当前状态为“{application.get_state_display()}”，不能执行“{move.label}”。"
    if not may_take(move, application, user):
        return permissions.denial(move.by).message
    return move.refusal(application)


def transition(
    *,
    application_id,
    action: str,
    actor=None,
    note: str = "",
    data: dict | None = None,
    check: Callable[[Application], None] | None = None,
    change: Callable[[Application], None] | None = None,
    notify: Callable[[Application], None] | None = None,
    acting_role: str | None = None,
) -> Application:
    """Take one move. `check` may raise to refuse; `change` edits other fields of the row.

    A system move (a publicity ending, a vote) may be taken on a person's behalf, e.g. the
    publisher upholding an objection: the caller has checked their right and names the role.
    """
    move = MOVES[action]
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("plan", "recommending_org", "workplace", "committee", "qualification__series")
            .get(pk=application_id)
        )
        if application.state not in move.sources:
            raise InvalidTransition(
                f"当前状态为“{application.get_state_display()}”，不能执行“{move.label}”。"
            )
        if SYSTEM in move.by:
            role = acting_role or SYSTEM
        else:
            if actor is None or not permissions.holds_any(actor, application, move.by):
                raise permissions.denial(move.by)
            role = permissions.role_held(actor, application, move.by)
        reason = move.refusal(application)
        if reason:
            raise _RAISES.get(type(reason), InvalidTransition)(str(reason))
        if check is not None:
            check(application)
        from_state = application.state
        if change is not None:
            change(application)
        application.state = move.target
        _append_event(
            application,
            actor=actor,
            role=role,
            action=action,
            from_state=from_state,
            note=note,
            data=data or {},
        )
        application.save()
        if notify is not None:
            transaction.on_commit(lambda: notify(application))
    return application


def _append_event(
    application: Application, *, actor, role: str, action: str, from_state: str, note: str, data: dict
) -> ApplicationEvent:
    seq = application.history_count + 1
    prev = application.history_head or chain.GENESIS
    at = clock.now().replace(microsecond=0)
    digest = chain.event_digest(
        prev_hash=prev,
        application_id=str(application.pk),
        seq=seq,
        actor_id=actor.pk if actor is not None else None,
        actor_role=role,
        at_iso=at.isoformat(),
        action=action,
        from_state=from_state,
        to_state=application.state,
        note=note,
        data=data,
    )
    event = ApplicationEvent.objects.create(
        application=application,
        seq=seq,
        actor=actor,
        actor_role=role,
        at=at,
        action=action,
        from_state=from_state,
        to_state=application.state,
        note=note,
        data=data,
        prev_hash=prev,
        hash=digest,
    )
    application.history_count = seq
    application.history_head = digest
    return event


def record_event(
    *, application: Application, actor, role: str, action: str, note: str = "", data: dict | None = None
) -> ApplicationEvent:
    """Record a non-moving event (edit, upload, pledge) on an application already locked by the caller."""
    event = _append_event(
        application,
        actor=actor,
        role=role,
        action=action,
        from_state=application.state,
        note=note,
        data=data or {},
    )
    return event
