"""The year in a real browser, route by route, played by the roles in turn through the pages."""

from __future__ import annotations

import pytest

from applications.states import State
from rules import services as rule_services

from . import journey

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def _declaration_to_committee(actors, world, frozen_clock, tmp_path, *, code, username, route, viewport=None):
    clerk = actors("clerk")
    clerk.login("clerk", "pass12345")
    plan = journey.publish_plan(clerk, world, code)
    # The bureau sets the plan's eligibility rules from seed 003 (admin; no code change).
    rule_services.ruleset_install_defaults(plan=plan, template="zj_engineer_mid_2023", qualification=world.quals[3])

    applicant = actors("applicant", viewport)
    journey.sign_up(applicant, username, "张建国")
    journey.fill_archive(applicant, world, name="张建国", serial=611, route=route)
    assert "符合" in journey.self_check(applicant, plan, world)
    application = journey.declare(applicant, plan, world, declaration_type=route, tmp_path=tmp_path)

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
    return application


def test_normal_route_in_the_browser(actors, world, frozen_clock, tmp_path):
    _declaration_to_committee(actors, world, frozen_clock, tmp_path, code="e2e-normal", username="zhangjg",
                              route="normal")


def test_the_applicant_part_on_a_phone(actors, world, frozen_clock, tmp_path):
    _declaration_to_committee(actors, world, frozen_clock, tmp_path, code="e2e-phone", username="zhangm",
                              route="normal", viewport={"width": 390, "height": 844})
