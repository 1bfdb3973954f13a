"""The one module that changes an application's state.

MOVES is the table of legal moves: for each action, the states it may start from, the
state it leads to, and the role that takes it. `transition` is the only writer of
Application.state: it locks the row, checks the table and the actor's right to act on
this application, runs the caller's precondition and changes, and appends a
hash-chained history row, all in one transaction. Notifications go out after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal import clock
from portal.models import Role

from . import audit, permissions
from .exceptions import InvalidTransition, PermissionDenied
from .models import Application, ApplicationEvent
from .states import State

SYSTEM = "system"


@dataclass(frozen=True)
class Move:
    action: str
    sources: frozenset[str]
    target: str
    role: str
    label: str


def _m(action: str, sources: set[str], target: str, role: str, label: str) -> Move:
    return Move(action, frozenset(sources), target, role, str(label))


S = State
MOVES: dict[str, Move] = {
    m.action: m
    for m in [
        # Applicant
        _m("create", {S.DRAFT}, S.DRAFT, Role.APPLICANT, _("创建申报")),
        _m("submit", {S.DRAFT}, S.EMPLOYER_AUDIT, Role.APPLICANT, _("提交申报")),
        _m("resubmit", {S.RETURNED}, S.EMPLOYER_AUDIT, Role.APPLICANT, _("修改后重新提交")),
        _m("withdraw", {S.DRAFT, S.EMPLOYER_AUDIT, S.RETURNED}, S.WITHDRAWN, Role.APPLICANT, _("撤回申报")),
        # Employer (or agency, dispatch company, service point)
        _m("employer_return", {S.EMPLOYER_AUDIT}, S.RETURNED, Role.HR, _("退回申报人修改")),
        _m("employer_reject", {S.EMPLOYER_AUDIT}, S.REJECTED, Role.HR, _("审核不通过")),
        _m("employer_publicise", {S.EMPLOYER_AUDIT}, S.EMPLOYER_PUBLICITY, Role.HR, _("审核通过并公示")),
        _m(
            "employer_publicity_end",
            {S.EMPLOYER_PUBLICITY},
            S.EMPLOYER_PUBLICITY_DONE,
            SYSTEM,
            _("单位公示期满"),
        ),
        _m("employer_recommend", {S.EMPLOYER_PUBLICITY_DONE}, S.BUREAU_REVIEW, Role.HR, _("单位推荐")),
        # Receiving bureau / association / agency
        _m("bureau_return", {S.BUREAU_REVIEW}, S.EMPLOYER_AUDIT, Role.OFFICER, _("退回用人单位")),
        _m(
            "bureau_recommend", {S.BUREAU_REVIEW}, S.QUALIFICATION_REVIEW, Role.OFFICER, _("审核推荐至评委会")
        ),
        # Committee office
        _m("qualification_pass", {S.QUALIFICATION_REVIEW}, S.QUALIFIED, Role.CLERK, _("资格审查通过")),
        _m("qualification_return", {S.QUALIFICATION_REVIEW}, S.BUREAU_REVIEW, Role.CLERK, _("退回推荐单位")),
        _m("qualification_reject", {S.QUALIFICATION_REVIEW}, S.REJECTED, Role.CLERK, _("资格审查不通过")),
        _m("recommend_upward", {S.QUALIFIED}, S.RECOMMENDED_UPWARD, Role.CLERK, _("推荐至上级评委会")),
        _m("upward_receive", {S.RECOMMENDED_UPWARD}, S.QUALIFICATION_REVIEW, Role.CLERK, _("上级评委会接收")),
        _m("pre_review_publicise", {S.QUALIFIED}, S.PRE_REVIEW_PUBLICITY, Role.CLERK, _("评前公示")),
        _m(
            "pre_review_publicity_end",
            {S.PRE_REVIEW_PUBLICITY},
            S.AWAITING_MEETING,
            SYSTEM,
            _("评前公示期满"),
        ),
        _m("assign_meeting", {S.AWAITING_MEETING}, S.IN_MEETING, Role.CLERK, _("安排评审会议")),
        _m("unassign_meeting", {S.IN_MEETING}, S.AWAITING_MEETING, Role.CLERK, _("移出评审会议")),
        _m("vote_pass", {S.IN_MEETING}, S.PASSED, SYSTEM, _("评审通过")),
        _m("vote_fail", {S.IN_MEETING}, S.NOT_PASSED, SYSTEM, _("评审未通过")),
        # 直接认定 after the pre-review publicity; 初定 straight after the qualification review.
        _m("recognise", {S.AWAITING_MEETING, S.QUALIFIED}, S.PASSED, Role.CLERK, _("认定通过")),
        _m("initial_determine", {S.QUALIFIED}, S.PASSED, Role.OFFICER, _("初定通过")),
        _m("result_publicise", {S.PASSED}, S.RESULT_PUBLICITY, Role.CLERK, _("结果公示")),
        _m("result_publicity_end", {S.RESULT_PUBLICITY}, S.RESULT_PUBLICITY_DONE, SYSTEM, _("结果公示期满")),
        _m("approve", {S.RESULT_PUBLICITY_DONE}, S.APPROVED, Role.OFFICER, _("核准公布")),
        _m("issue_certificate", {S.APPROVED}, S.CERTIFIED, SYSTEM, _("发放电子证书")),
        # Side paths
        _m(
            "objection_upheld",
            {S.EMPLOYER_PUBLICITY, S.PRE_REVIEW_PUBLICITY, S.RESULT_PUBLICITY},
            S.REJECTED,
            SYSTEM,
            _("公示异议成立"),
        ),
        _m("revoke", {S.APPROVED, S.CERTIFIED}, S.REVOKED, Role.OFFICER, _("撤销资格")),
    ]
}

# The same table seen from each state: where an application may go next.
NEXT_STATES: dict[str, frozenset[str]] = {
    state: frozenset(m.target for m in MOVES.values() if state in m.sources and m.target != state)
    for state in State.values
}


def available_moves(application: Application, user) -> list[Move]:
    """Moves this user may offer on this application now (templates build buttons from it)."""
    return [
        move
        for move in MOVES.values()
        if application.state in move.sources
        and move.action != "create"
        and move.role != SYSTEM
        and permissions.acts_as(user, application, move.role)
    ]


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
            .select_related("plan", "recommending_org", "workplace")
            .get(pk=application_id)
        )
        if application.state not in move.sources:
            raise InvalidTransition(
                f"当前状态为“{application.get_state_display()}”，不能执行“{move.label}”。"
            )
        if move.role == SYSTEM:
            role = acting_role or SYSTEM
        else:
            if actor is None or not permissions.acts_as(actor, application, move.role):
                raise PermissionDenied()
            role = move.role
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
    prev = application.history_head or audit.GENESIS
    at = clock.now().replace(microsecond=0)
    digest = audit.event_digest(
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
