"""Where do I stand: who holds an application now (organisation and role), since when, the due date of
the current step from the plan's deadlines and the publicity's end, and the steps still ahead on its
route, walked along the main path of the workflow's MOVES table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from .guards import initial_route, is_recommend_only, needs_ballot, not_initial, recognition_route
from .models import Application, PublicityEntry
from .permissions import Actor
from .states import TERMINAL_STATES, State
from .workflow import MOVES, SYSTEM

# The moves of the main path (docs/workflow.md); returns, rejections, withdrawal, entrustment, objections
# and revocation are side paths and never a step ahead.
MAIN_PATH = frozenset(
    {
        "submit",
        "resubmit",
        "employer_publicise",
        "employer_publicity_end",
        "employer_recommend",
        "bureau_recommend",
        "qualification_pass",
        "recommend_upward",
        "upward_receive",
        "pre_review_publicise",
        "pre_review_publicity_end",
        "assign_meeting",
        "vote_pass",
        "recognise",
        "initial_determine",
        "result_publicise",
        "result_publicity_end",
        "approve",
        "issue_certificate",
    }
)
PUBLICITY_STATES = {State.EMPLOYER_PUBLICITY, State.PRE_REVIEW_PUBLICITY, State.RESULT_PUBLICITY}


def _route_allows(action: str, application: Application, received_upward: bool) -> bool:
    """The route's part of a move's guard (declaration type, a title only recommended here), without
    its deadlines and scope: those decide when a step may be taken, not whether it lies ahead."""
    here = received_upward or not is_recommend_only(application)
    return {
        "recommend_upward": not here,
        "upward_receive": not here,
        "pre_review_publicise": here and not_initial(application) is None,
        "initial_determine": here and initial_route(application) is None,
        "assign_meeting": needs_ballot(application) is None,
        "recognise": recognition_route(application) is None,
    }.get(action, True)


def steps_ahead(application: Application) -> list[str]:
    """The labels of the moves still ahead on this application's route, in order."""
    state, received, steps = application.state, False, []
    while state not in TERMINAL_STATES and len(steps) < len(MOVES):
        move = next(
            (
                m
                for m in MOVES.values()
                if m.action in MAIN_PATH
                and state in m.sources
                and _route_allows(m.action, application, received)
            ),
            None,
        )
        if move is None:
            break
        received = received or move.action == "upward_receive"
        steps.append(move.label)
        state = move.target
    return steps


@dataclass
class Standing:
    organisation: str = ""
    role: str = ""
    since: dt.datetime | None = None
    due_label: str = ""
    due: str | None = None  # as shown: a deadline's Beijing date and time, a publicity's last day
    ahead: list[str] = field(default_factory=list)


def _holder(application: Application, notice) -> tuple[str, str]:
    if notice is not None:
        return notice.publisher.name, str(notice.get_stage_display()) + "发布单位"
    actors = {
        actor
        for m in MOVES.values()
        if application.state in m.sources
        and m.action in MAIN_PATH
        and _route_allows(m.action, application, False)
        for actor in m.by
        if actor != SYSTEM
    }
    plan = application.plan
    orgs = {
        Actor.APPLICANT: application.archive.name,
        Actor.EMPLOYER: (application.workplace or application.recommending_org).name,
        Actor.BUREAU: (
            plan.receiving_org or application.recommending_org.parent_bureau or plan.committee
        ).name,
        Actor.COMMITTEE: application.committee.name,
        Actor.HIGHER_COMMITTEE: plan.higher_committee.name if plan.higher_committee_id else "",
        Actor.FILING_BUREAU: application.committee.parent_bureau.name
        if application.committee.parent_bureau_id
        else "",
    }
    # A step the system takes (the vote, certificate issuance) is held by the people who run it.
    actors = actors or {State.IN_MEETING: {Actor.COMMITTEE}, State.APPROVED: {Actor.FILING_BUREAU}}.get(
        application.state, set()
    )
    for actor in Actor:  # in the order of the enumeration: the applicant first, the filing bureau last
        if actor in actors:
            return orgs[actor], str(actor.label)
    return "", ""


def _due(application: Application, notice) -> tuple[str, dt.datetime | dt.date | None]:
    plan = application.plan
    if notice is not None:
        return "公示截止", notice.end_date
    return {
        State.DRAFT: ("个人申报截止", plan.declaration_deadline),
        State.RETURNED: ("重新提交截止（单位推荐截止时间）", plan.employer_deadline),
        State.EMPLOYER_AUDIT: ("单位审核推荐截止", plan.employer_deadline),
        State.EMPLOYER_PUBLICITY_DONE: ("单位推荐截止", plan.employer_deadline),
        State.BUREAU_REVIEW: ("材料接收截止", plan.material_deadline),
    }.get(application.state, ("", None))


def standing(application: Application) -> Standing:
    """Where the application stands now, for its applicant's page."""
    if application.state in TERMINAL_STATES:
        last = application.events.order_by("seq").last()
        return Standing(since=last.at if last else None)
    notice = None
    if application.state in PUBLICITY_STATES:
        entry = (
            PublicityEntry.objects.filter(application=application, outcome=PublicityEntry.Outcome.PENDING)
            .select_related("notice__publisher")
            .order_by("-notice__created_at")
            .first()
        )
        notice = entry.notice if entry else None
    organisation, role = _holder(application, notice)
    due_label, due = _due(application, notice)
    if isinstance(due, dt.datetime):
        due = timezone.localtime(due).strftime("%Y-%m-%d %H:%M")
    elif due is not None:
        due = due.isoformat()
    last = application.events.order_by("seq").last()
    return Standing(organisation, role, last.at if last else None, due_label, due, steps_ahead(application))
