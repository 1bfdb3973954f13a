"""The table of moves tells the whole truth: along every route, in every state, for every persona,
the moves `available_moves` offers are exactly the moves the services accept.

Each route is driven along its main path by the persona the table names; at every state each
persona tries every move the table lists from that state through its service, inside a savepoint
that is rolled back, and what was accepted is compared with what was offered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from applications import audit, permissions, publicity, services, workflow
from applications.models import Application, PublicityStage
from applications.states import State
from certificates.models import CommitteeCode, IssuerProfile
from certificates.services.batches import certificate_batch_issue
from certificates.services.issuance import certificate_batch_run
from certificates.services.keys import signing_key_create
from certificates.services.status import application_revoke
from committees import services as committee_services
from committees.models import Meeting, ResultFiling
from portal.exceptions import DomainError
from portal.models import OrgKind, Role, TitleLevel
from tests import factories
from tests.certificates.conftest import APPROVAL_DATE, ISSUER_CODE, TYPE_CODE
from tests.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


class Walk:
    """The world of tests/conftest.py, plus a bureau that only files the committee (so the receiving
    bureau and the filing bureau are different people) and a higher committee for senior titles."""

    def __init__(self, world, clock):
        self.w = world
        self.clock = clock
        f = factories
        self.filing_bureau = f.OrganisationFactory(
            name="衢州市职称工作领导小组办公室", kind=OrgKind.CITY_BUREAU, credit_code=None
        )
        self.filing_officer = world.user("filing_officer", Role.OFFICER, self.filing_bureau)
        world.committee.parent_bureau = self.filing_bureau
        world.committee.save()
        self.higher = f.OrganisationFactory(
            name="浙江省工程技术高级职务评审委员会",
            kind=OrgKind.COMMITTEE,
            credit_code=None,
            parent_bureau=self.filing_bureau,
        )
        world.authorise(self.higher, world.bureau, max_level=TitleLevel.SENIOR)
        world.plan.higher_committee = self.higher
        world.plan.save()
        self.higher_clerk = world.user("higher_clerk", Role.CLERK, self.higher)
        self.personas = {
            "applicant": world.applicant,
            "other_applicant": world.other_applicant,
            "hr": world.hr,
            "other_hr": world.other_hr,
            "officer": world.officer,
            "other_officer": world.other_officer,
            "filing_officer": self.filing_officer,
            "clerk": world.clerk,
            "other_clerk": world.other_clerk,
            "higher_clerk": self.higher_clerk,
            "auditor": world.auditor,
        }
        issuer = IssuerProfile.objects.create(
            organisation=self.filing_bureau,
            name=self.filing_bureau.name,
            credit_code=ISSUER_CODE,
            region_code="330800",
            type_code=TYPE_CODE,
        )
        for committee, code in ((world.committee, "001"), (self.higher, "002")):
            CommitteeCode.objects.create(issuer=issuer, committee=committee, code=code)
        signing_key_create(issuer=issuer)
        # A committee of another region, for entrusted review (委托评审), that reviews every level.
        self.far_plan = f.PlanFactory(receiving_org=world.other_bureau)
        self.far_plan.qualifications.add(world.quals[TitleLevel.DEPUTY_SENIOR])
        world.authorise(self.far_plan.committee, world.other_bureau, max_level=TitleLevel.SENIOR)
        self.meetings: dict[tuple[int, int], Meeting] = {}
        self.serial = 500

    def clerk_of(self, application: Application):
        return self.higher_clerk if application.committee_id == self.higher.pk else self.w.clerk

    def meeting(self, application: Application) -> Meeting:
        key = (application.committee_id, application.qualification.level)
        if key not in self.meetings:
            self.meetings[key] = committee_services.meeting_create(
                committee=application.committee,
                actor=self.clerk_of(application),
                title="2026年度评审会议",
                held_on=self.clock.now().date() + dt.timedelta(days=30),
                level=application.qualification.level,
            )
        return self.meetings[key]

    def new_application(self, **kwargs) -> Application:
        self.serial += 1
        user = self.w.user(f"walker{self.serial}", Role.APPLICANT, self.w.employer)
        application = self.w.ready_draft(user, serial=self.serial, **kwargs)
        if kwargs.get("declaration_type") == "exceptional":
            services.evidence_upload(
                archive=application.archive,
                application=application,
                material_code="exceptional_form",
                upload=SimpleUploadedFile("form.pdf", PDF_BYTES, "application/pdf"),
            )
        self.personas["owner"] = user
        return application


def _title(what: str) -> str:
    return f"2026年度{what}公示"


def _approve(walk: Walk, application: Application, user) -> None:
    filing = committee_services.filing_create(
        committee=application.committee,
        applications=[application],
        actor=walk.clerk_of(application),
        title="2026年度评审结果备案表",
    )
    committee_services.filing_approve(filing=filing, actor=user, document_no="衢人社职〔2026〕9号")


def _revoke(walk: Walk, application: Application, user) -> None:
    application_revoke(
        application=application,
        actor=user,
        reason="经查提供虚假业绩材料",
        decision_document="衢人社〔2026〕99号",
    )


# Each move through the service a page calls, with valid input; the user is the one taking it.
SERVICES: dict[str, Callable[[Walk, Application, object], object]] = {
    "submit": lambda walk, a, u: services.application_submit(application=a, actor=u),
    "resubmit": lambda walk, a, u: services.application_resubmit(application=a, actor=u),
    "withdraw": lambda walk, a, u: services.application_withdraw(application=a, actor=u, reason="不再申报"),
    "employer_return": lambda walk, a, u: audit.employer_return(
        application=a, actor=u, items={"degree": "证书不清晰"}
    ),
    "employer_reject": lambda walk, a, u: audit.employer_reject(application=a, actor=u, reason="业绩不符"),
    "employer_publicise": lambda walk, a, u: publicity.publicity_start(
        stage=PublicityStage.EMPLOYER,
        applications=[a],
        actor=u,
        publisher=a.recommending_org,
        title=_title("单位"),
    ),
    "employer_recommend": lambda walk, a, u: audit.employer_recommend(application=a, actor=u),
    "bureau_return": lambda walk, a, u: audit.bureau_return(application=a, actor=u, reason="材料不全"),
    "bureau_recommend": lambda walk, a, u: audit.bureau_recommend(application=a, actor=u),
    "bureau_entrust": lambda walk, a, u: audit.bureau_entrust(
        application=a,
        actor=u,
        to_plan=walk.far_plan,
        letter_no="衢人社委〔2026〕3号",
        letter_date=dt.date(2026, 5, 28),
    ),
    "qualification_pass": lambda walk, a, u: committee_services.qualification_pass(application=a, actor=u),
    "qualification_return": lambda walk, a, u: committee_services.qualification_return(
        application=a, actor=u, reason="请补充"
    ),
    "qualification_reject": lambda walk, a, u: committee_services.qualification_reject(
        application=a, actor=u, reason="不符合条件"
    ),
    # Taken together with qualification_pass, in the same transaction (a recommend-only title).
    "recommend_upward": lambda walk, a, u: committee_services.qualification_pass(application=a, actor=u),
    "upward_receive": lambda walk, a, u: committee_services.upward_receive(application=a, actor=u),
    "pre_review_publicise": lambda walk, a, u: committee_services.pre_review_publicise(
        committee=a.committee, applications=[a], actor=u, title=_title("评前")
    ),
    "assign_meeting": lambda walk, a, u: _assigned(
        committee_services.meeting_assign(meeting=walk.meeting(a), applications=[a], actor=u)
    ),
    "unassign_meeting": lambda walk, a, u: committee_services.meeting_unassign(
        meeting=walk.meeting(a), application=a, actor=u, reason="材料需复核"
    ),
    "recognise": lambda walk, a, u: committee_services.application_recognise(
        application=a, actor=u, reason="符合认定条件"
    ),
    "initial_determine": lambda walk, a, u: committee_services.application_initial_determine(
        application=a, actor=u, reason="符合初定条件"
    ),
    "result_publicise": lambda walk, a, u: committee_services.results_publicise(
        committee=a.committee, applications=[a], actor=u, title=_title("评审结果")
    ),
    "approve": _approve,
    "revoke": _revoke,
}


def _assigned(result):
    done, failed = result
    if failed:
        raise DomainError(failed[0][1])
    return done


def accepted(walk: Walk, action: str, application: Application, user) -> bool:
    try:
        with transaction.atomic():
            SERVICES[action](walk, Application.objects.get(pk=application.pk), user)
            raise _Rollback
    except _Rollback:
        return True
    except DomainError:
        return False


@dataclass
class Route:
    name: str
    kwargs: dict
    # The main path: (action, persona) with None for a system move.
    path: list[tuple[str, str | None]]


_TO_COMMITTEE = [
    ("submit", "owner"),
    ("employer_publicise", "hr"),
    ("employer_publicity_end", None),
    ("employer_recommend", "hr"),
    ("bureau_recommend", "officer"),
]
_TO_RESULT = [
    ("result_publicise", "clerk"),
    ("result_publicity_end", None),
    ("approve", "filing_officer"),
]
_REVIEWED = [
    ("qualification_pass", "clerk"),
    ("pre_review_publicise", "clerk"),
    ("pre_review_publicity_end", None),
    ("assign_meeting", "clerk"),
    ("vote_pass", None),
]
ROUTES = [
    Route("normal", {}, [*_TO_COMMITTEE, *_REVIEWED, *_TO_RESULT, ("certify", None)]),
    Route(
        "exceptional",
        {"declaration_type": "exceptional", "exceptional_class": "A"},
        [*_TO_COMMITTEE, *_REVIEWED, *_TO_RESULT],
    ),
    Route("skills", {"declaration_type": "skills"}, [*_TO_COMMITTEE, *_REVIEWED, *_TO_RESULT]),
    Route(
        "recognition",
        {"declaration_type": "recognition"},
        [
            *_TO_COMMITTEE,
            ("qualification_pass", "clerk"),
            ("pre_review_publicise", "clerk"),
            ("pre_review_publicity_end", None),
            ("recognise", "clerk"),
            *_TO_RESULT,
        ],
    ),
    Route(
        "initial",
        {"declaration_type": "initial"},
        [
            *_TO_COMMITTEE,
            ("qualification_pass", "clerk"),
            ("initial_determine", "filing_officer"),
            *_TO_RESULT,
        ],
    ),
    Route(
        "upward",
        {"qualification": "senior"},
        [
            *_TO_COMMITTEE,
            ("qualification_pass", "clerk"),
            ("upward_receive", "higher_clerk"),
            *[(a, "higher_clerk" if p == "clerk" else p) for a, p in _REVIEWED],
            *[(a, "higher_clerk" if p == "clerk" else p) for a, p in _TO_RESULT],
        ],
    ),
]


def _check_state(walk: Walk, application: Application, checked: dict) -> None:
    application = Application.objects.select_related("plan", "committee").get(pk=application.pk)
    if application.state in (State.AWAITING_MEETING, State.IN_MEETING):
        walk.meeting(application)  # outside the savepoints below
    listed = [m for m in workflow.MOVES.values() if application.state in m.sources]
    for name, user in walk.personas.items():
        offered = {m.action for m in workflow.available_moves(application, user)}
        taken = {
            m.action
            for m in listed
            if workflow.SYSTEM not in m.by
            and m.action != "create"
            and accepted(walk, m.action, application, user)
        }
        assert offered == taken, (application.state, name, offered, taken)
        # Whoever may act on an application sees it in their lists and on its page.
        acts = offered or any(permissions.acts_as(user, application, role) for role in Role.values)
        if acts:
            assert permissions.applications_visible_to(user).filter(pk=application.pk).exists(), (
                application.state,
                name,
            )
        checked.setdefault(application.state, set()).add(name)


def _drive(walk: Walk, application: Application, action: str, persona: str | None) -> None:
    if action == "certify":
        batch_app = Application.objects.get(pk=application.pk)
        certificate_batch_issue(
            approved_by=walk.filing_officer,
            approval_doc_no="衢人社职〔2026〕9号",
            approval_date=APPROVAL_DATE,
            applications=[batch_app],
        )
        batch = batch_app.certificate_batch_item.batch
        certificate_batch_run(batch_id=batch.pk)
    elif persona is None:
        workflow.transition(application_id=application.pk, action=action)
    else:
        SERVICES[action](walk, Application.objects.get(pk=application.pk), walk.personas[persona])


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_every_move_offered_is_accepted_and_every_accepted_move_is_offered(world, frozen_clock, route):
    walk = Walk(world, frozen_clock)
    kwargs = dict(route.kwargs)
    if kwargs.pop("qualification", None) == "senior":
        kwargs["qualification"] = world.quals[TitleLevel.DEPUTY_SENIOR]
    application = walk.new_application(**kwargs)
    checked: dict = {}
    _check_state(walk, application, checked)
    for action, persona in route.path:
        _drive(walk, application, action, persona)
        application.refresh_from_db()
        _check_state(walk, application, checked)
    assert application.state in (State.APPROVED, State.CERTIFIED)
    # Each state of the route was checked for every persona.
    assert all(len(names) == len(walk.personas) for names in checked.values())


def test_the_side_paths_agree_too(world, frozen_clock):
    """Returned, then resubmitted; returned by the bureau and by the committee; withdrawn."""
    walk = Walk(world, frozen_clock)
    application = walk.new_application()
    checked: dict = {}
    for action, persona in [
        ("submit", "owner"),
        ("employer_return", "hr"),
        ("resubmit", "owner"),
        ("employer_publicise", "hr"),
        ("employer_publicity_end", None),
        ("employer_recommend", "hr"),
        ("bureau_return", "officer"),
        ("employer_reject", "hr"),
    ]:
        _drive(walk, application, action, persona)
        _check_state(walk, application, checked)
    assert Application.objects.get(pk=application.pk).state == State.REJECTED
    assert State.RETURNED in checked and State.REJECTED in checked


def test_a_filing_is_approved_by_the_filing_bureau_only(world, frozen_clock):
    walk = Walk(world, frozen_clock)
    application = walk.new_application()
    for action, persona in [
        *_TO_COMMITTEE,
        *_REVIEWED,
        ("result_publicise", "clerk"),
        ("result_publicity_end", None),
    ]:
        _drive(walk, application, action, persona)
    application.refresh_from_db()
    assert "approve" not in {m.action for m in workflow.available_moves(application, world.officer)}
    assert "approve" in {m.action for m in workflow.available_moves(application, walk.filing_officer)}
    assert not ResultFiling.objects.exists()


def test_the_documented_table_is_the_table():
    """docs/workflow.md lists the moves as the code has them: action, sources, target and actors."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "workflow.md").read_text(encoding="utf-8")
    documented = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`"):
            action, sources, target, by, _ = cells
            documented[action.strip("`")] = (set(sources.split(", ")), target, set(by.split(", ")))
    code = {m.action: (set(m.sources), m.target, set(m.by)) for m in workflow.MOVES.values()}
    assert documented == code


def test_a_plan_that_limits_returns_stops_offering_the_return_it_would_refuse(world, frozen_clock):
    """ReviewPlan.max_returns_per_stage: each stage's further return is neither offered nor accepted."""
    world.plan.max_returns_per_stage = 1
    world.plan.save()
    walk = Walk(world, frozen_clock)
    application = walk.new_application()
    checked: dict = {}
    for action, persona in [
        ("submit", "owner"),
        ("employer_return", "hr"),
        ("resubmit", "owner"),
        ("employer_publicise", "hr"),
        ("employer_publicity_end", None),
        ("employer_recommend", "hr"),
        ("bureau_return", "officer"),
    ]:
        _drive(walk, application, action, persona)
        _check_state(walk, application, checked)
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_AUDIT
    assert "employer_return" not in {m.action for m in workflow.available_moves(application, world.hr)}
    assert "最多退回1次" in workflow.refusal(application, "employer_return", world.hr)
