"""The year in a real browser, route by route, played by the roles in turn through the pages.

One journey per route (正常申报, 破格A类, 技能人才, 直接认定): the committee office publishes the plan; the
applicant signs up, fills the archive, checks, declares and corrects a returned item; HR publicises and
recommends; the bureau recommends; the office passes the qualification review and publicises it; then a
meeting (created, filed by the bureau, experts drawn, held, voted by the drawn experts on their own
accounts, closed) — or, for 直接认定, the office's recognition — ; the result publicity with an anonymous
objection the office dismisses; the filing form and the bureau's approval; the certificate issued (by a
real Celery worker for the normal route when PostgreSQL and Redis are there), downloaded by its holder
and verified by an anonymous visitor by number and by the QR code's link.

Only "time passes" (the frozen clock and the beat's publicity sweep) and the bureau's installing of the
plan's rule set are done outside the pages.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from applications.states import State
from rules.services.rulesets import ruleset_install_defaults
from tests.certificates.conftest import issuer  # noqa: F401  (fixture)
from tests.worker.process import real_stack

from . import journey

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

# route: (the plan's rule set, the self-check's label for it, 破格 class, decided by a meeting)
ROUTES = {
    "normal": ("zj_engineer_mid_2023", "正常申报", "", True),
    "exceptional": ("zj_engineer_mid_2023", "破格申报", "A", True),
    "skills": ("zj_engineer_mid_2023", "技能人才申报", "", True),
    # Seed 000's 认定 conditions (a master's degree and 3 years of professional work).
    "recognition": ("sx_engineer_mid_2020", "直接认定", "", False),
}
NAME = "张建国"


def _declaration_to_committee(actors, world, frozen_clock, tmp_path, *, code, username, route, viewport=None):
    template, label, exceptional_class, _meeting = ROUTES[route]
    clerk = actors("clerk")
    clerk.login("clerk", "pass12345")
    plan = journey.publish_plan(clerk, world, code)
    # The bureau sets the plan's eligibility rules from the seed's template (admin; no code change).
    ruleset_install_defaults(plan=plan, template=template, qualification=world.quals[3])

    applicant = actors("applicant", viewport)
    journey.sign_up(applicant, username, NAME)
    journey.fill_archive(applicant, world, name=NAME, serial=611, route=route)
    verdict, offered = journey.self_check(applicant, plan, world)
    assert "符合" in verdict and label in offered, (verdict, offered)
    application = journey.declare(
        applicant, plan, world, declaration_type=route, tmp_path=tmp_path, exceptional_class=exceptional_class
    )
    application.refresh_from_db()
    assert (application.declaration_type, application.exceptional_class) == (route, exceptional_class)

    hr = actors("hr")
    hr.login("hr", "pass12345")
    journey.hr_returns_one_item(hr, application)
    journey.applicant_corrects(applicant, application, tmp_path)
    notice = journey.hr_publicises(hr, application)
    journey.publicity_passes(frozen_clock, notice)
    journey.hr_recommends(hr, application)

    officer = actors("officer")
    officer.login("officer", "pass12345")
    journey.bureau_recommends(officer, application)
    application.refresh_from_db()
    assert application.state == State.QUALIFICATION_REVIEW
    return application, clerk, applicant, officer


@pytest.mark.parametrize("route", list(ROUTES))
def test_the_year_in_the_browser(route, actors, world, frozen_clock, tmp_path, issuer, request):  # noqa: F811
    cache.clear()  # the verification rate limit counts per frozen minute
    worker = None
    if route == "normal" and real_stack():
        worker = request.getfixturevalue("celery_worker_process")
        worker.start()
    meeting_route = ROUTES[route][3]
    if meeting_route:
        journey.experts_with_accounts(world)

    application, clerk, applicant, officer = _declaration_to_committee(
        actors, world, frozen_clock, tmp_path, code=f"e2e-{route}", username=f"zhang-{route}", route=route
    )

    journey.clerk_passes_qualification(clerk, world, application)
    notice = journey.clerk_publicises(
        clerk, world, application, state=State.QUALIFIED, title="2026年度工程师职称评审评前公示"
    )
    journey.publicity_passes(frozen_clock, notice)
    application.refresh_from_db()
    assert application.state == State.AWAITING_MEETING

    if meeting_route:
        meeting = journey.clerk_creates_meeting(clerk, frozen_clock, world, application)
        journey.bureau_files_meeting(officer, meeting)
        panel = journey.clerk_draws_and_holds_meeting(clerk, frozen_clock, meeting)
        for i, expert in enumerate(panel):
            voter = actors(f"expert{i}")
            journey.expert_votes(voter, expert, meeting, application, shoot=i == 0)
            voter.close()
        journey.clerk_closes_meeting(clerk, meeting, application)
        notice = journey.clerk_publicises_meeting_results(clerk, meeting, application)
    else:
        journey.clerk_recognises(clerk, application)
        notice = journey.clerk_publicises(
            clerk, world, application, state=State.PASSED, title="2026年度工程师职称认定结果公示"
        )

    visitor = actors("visitor")
    journey.visitor_objects(visitor, frozen_clock, notice, NAME)
    journey.clerk_dismisses_objection(clerk, notice)
    journey.publicity_passes(frozen_clock, notice)
    application.refresh_from_db()
    assert application.state == State.RESULT_PUBLICITY_DONE

    filing = (
        journey.clerk_files_from_meeting(clerk, meeting)
        if meeting_route
        else journey.clerk_files_from_queue(clerk, world, application)
    )
    journey.bureau_approves(officer, filing)

    certificate = journey.wait_for_certificate(application)
    if worker is not None:  # issued in the worker's process, on its own (real) clock
        assert abs(certificate.issued_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    application.refresh_from_db()
    assert application.state == State.CERTIFIED
    pdf = journey.applicant_downloads_certificate(applicant, certificate, tmp_path)
    journey.visitor_verifies_by_number(visitor, certificate, NAME)
    link = journey.qr_link(pdf, tmp_path)
    journey.visitor_verifies_by_qr(actors("qr-visitor"), link, certificate, NAME)


def test_the_applicant_part_on_a_phone(actors, world, frozen_clock, tmp_path):
    _declaration_to_committee(
        actors,
        world,
        frozen_clock,
        tmp_path,
        code="e2e-phone",
        username="zhangm",
        route="normal",
        viewport={"width": 390, "height": 844},
    )
