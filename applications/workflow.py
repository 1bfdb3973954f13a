"""The one module that changes an application's state.

MOVES is the table of legal moves: for each action, the states it may start from, the state it
leads to, who takes it (an actor relative to this application: its applicant, its employer, the
bureau that receives it, the committee that holds it, that committee's filing bureau, the higher
committee it is recommended to, or the system) and the guard that decides whether the move is legal
for this application now (its route, declaration type, deadlines). `available_moves` reads the
same table, so a page offers exactly the moves `transition` accepts.

`transition` is the only writer of Application.state: it locks the row, checks the table, the guard and
the actor's right to act, runs the caller's precondition and changes, refreshes the holder columns
(permissions.place) and appends a hash-chained history row, all in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.services import notify as notify_user

from . import chain, history_sets, permissions
from .exceptions import InvalidTransition
from .guards import (
    RAISES,
    Guard,
    all_of,
    before,
    initial_route,
    needs_ballot,
    no_initial_for_exam_series,
    not_initial,
    receivable,
    recognition_route,
    recommend_only,
    recommendable,
    returns_left,
    reviewable,
    reviewed_here,
)
from .models import Application, ApplicationEvent
from .permissions import Actor
from .states import State

SYSTEM = Actor.SYSTEM


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


# ---------------------------------------------------------------- the table

A = Actor
S = State
_DECLARATION_OPEN = before("declaration_deadline", "个人申报", "不能再提交")
_RECOMMENDATION_OPEN = before("employer_deadline", "单位推荐", "不能再提交")
_EMPLOYER_DEADLINE = before("employer_deadline", "单位推荐", "不能再推荐")

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
        _m(
            "employer_return",
            {S.EMPLOYER_AUDIT},
            S.RETURNED,
            A.EMPLOYER,
            _("退回申报人修改"),
            returns_left("employer_return"),
        ),
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
        _m(
            "bureau_return",
            {S.BUREAU_REVIEW},
            S.EMPLOYER_AUDIT,
            A.BUREAU,
            _("退回用人单位"),
            returns_left("bureau_return"),
        ),
        _m(
            "bureau_recommend",
            {S.BUREAU_REVIEW},
            S.QUALIFICATION_REVIEW,
            A.BUREAU,
            _("审核推荐至评委会"),
            recommendable,
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
            all_of(no_initial_for_exam_series, reviewable),
        ),
        _m(
            "qualification_return",
            {S.QUALIFICATION_REVIEW},
            S.BUREAU_REVIEW,
            A.COMMITTEE,
            _("退回推荐单位"),
            returns_left("qualification_return"),
        ),
        _m("qualification_reject", {S.QUALIFICATION_REVIEW}, S.REJECTED, A.COMMITTEE, _("资格审查不通过")),
        _m(
            "recommend_upward",
            {S.QUALIFIED},
            S.RECOMMENDED_UPWARD,
            A.COMMITTEE,
            _("推荐至上级评委会"),
            recommend_only,
        ),
        _m(
            "upward_receive",
            {S.RECOMMENDED_UPWARD},
            S.QUALIFICATION_REVIEW,
            A.HIGHER_COMMITTEE,
            _("上级评委会接收"),
            receivable,
        ),
        _m(
            "pre_review_publicise",
            {S.QUALIFIED},
            S.PRE_REVIEW_PUBLICITY,
            A.COMMITTEE,
            _("评前公示"),
            all_of(reviewed_here, not_initial),
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
            all_of(needs_ballot, reviewable),
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
            all_of(recognition_route, reviewable),
        ),
        _m(
            "initial_determine",
            {S.QUALIFIED},
            S.PASSED,
            A.FILING_BUREAU,
            _("初定通过"),
            all_of(reviewed_here, initial_route),
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
    """Take one move. `check` may raise to refuse; `change` edits other fields of the row; `notify`
    writes the notices of the move.

    A system move (a publicity ending, a vote) may be taken on a person's behalf, e.g. the
    publisher upholding an objection: the caller has checked their right and names the role. The
    actor is checked before the state, so someone else learns nothing of the state."""
    move = MOVES[action]
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("plan", "recommending_org", "workplace", "committee", "qualification__series")
            .get(pk=application_id)
        )
        if SYSTEM in move.by:
            role = acting_role or SYSTEM
        else:
            if actor is None or not permissions.holds_any(actor, application, move.by):
                raise permissions.denial(move.by)
            role = permissions.role_held(actor, application, move.by)
        if application.state not in move.sources:
            raise InvalidTransition(
                f"当前状态为“{application.get_state_display()}”，不能执行“{move.label}”。"
            )
        reason = move.refusal(application)
        if reason:
            raise RAISES.get(type(reason), InvalidTransition)(str(reason))
        if check is not None:
            check(application)
        from_state = application.state
        if change is not None:
            change(application)
        permissions.place(application)
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
            # In the move's transaction: the notices commit with the move or not at all (portal.notify
            # queues their e-mails after commit).
            notify(application)
    return application


def _append_event(
    application: Application, *, actor, role: str, action: str, from_state: str, note: str, data: dict
) -> ApplicationEvent:
    row = history_sets.event_row(
        application_id=application.pk,
        count=application.history_count,
        head=application.history_head,
        actor_id=actor.pk if actor is not None else None,
        role=role,
        at=history_sets.stamp(),
        action=action,
        from_state=from_state,
        to_state=application.state,
        note=note,
        data=data,
        key=chain.row_key(),
    )
    event = ApplicationEvent.objects.create(**dict(zip(history_sets.EVENT_COLUMNS, row, strict=True)))
    application.history_count = event.seq
    application.history_head = event.hash
    return event


def record_event(
    *, application: Application, actor, role: str, action: str, note: str = "", data: dict | None = None
) -> ApplicationEvent:
    """Record a non-moving event (edit, upload, pledge) on an application already locked by the caller."""
    return _append_event(
        application,
        actor=actor,
        role=role,
        action=action,
        from_state=application.state,
        note=note,
        data=data or {},
    )


def tell_applicant(message: str) -> Callable[[Application], None]:
    """A `notify` for transition: tells the applicant, in the portal and by e-mail; `{number}` in the
    message becomes the application's number."""

    def tell(application: Application) -> None:
        notify_user(
            user=application.applicant,
            message=message.format(number=application.number),
            link=f"/applications/{application.pk}/",
        )

    return tell
