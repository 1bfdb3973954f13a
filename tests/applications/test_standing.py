"""Where do I stand: the applicant's page names who holds the application, since when, the current
step's due date and the steps still ahead on its route."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications import audit, services
from applications.standing import standing, steps_ahead
from applications.states import State
from portal.models import TitleLevel
from tests.applications.test_moves_table import Walk

pytestmark = pytest.mark.django_db


def _panel(world, application, user=None) -> str:
    page = world.client_for(user or world.applicant).get(
        reverse("applications:detail", args=[application.pk])
    )
    text = page.content.decode()
    if 'id="standing"' not in text:
        return ""
    return text[text.index('id="standing"') : text.index("</section>", text.index('id="standing"'))]


def test_a_draft_is_with_the_applicant_until_the_declaration_deadline(world):
    application = world.ready_draft()
    now = standing(application)
    assert now.role == "申报人" and now.due_label == "个人申报截止"
    assert now.ahead[:2] == ["提交申报", "审核通过并公示"] and now.ahead[-1] == "发放电子证书"


def test_submitted_it_is_with_the_employer_until_the_employer_deadline(world):
    application = world.submitted()
    panel = _panel(world, application)
    assert world.employer.name in panel and "推荐单位经办人" in panel
    assert "单位审核推荐截止" in panel and "提交申报" not in panel
    assert application.events.last().at.strftime("%Y-%m-%d") in panel


def test_in_publicity_it_shows_the_publisher_and_the_last_day(world):
    application = world.submitted()
    notice = world.publicised([application])
    application.refresh_from_db()
    now = standing(application)
    assert now.organisation == world.employer.name and "公示" in now.role
    assert now.due == notice.end_date.isoformat()
    assert now.ahead[0] == "单位公示期满"


def test_returned_it_is_with_the_applicant_until_the_employer_deadline(world):
    application = world.submitted()
    audit.employer_return(application=application, actor=world.hr, items={"degree": "不清晰"})
    application.refresh_from_db()
    now = standing(application)
    assert now.role == "申报人" and now.due_label.startswith("重新提交截止")
    assert now.ahead[0] == "修改后重新提交"


def test_at_the_bureau_and_at_the_committee(world, frozen_clock):
    application = world.submitted()
    world.through_employer_publicity([application], frozen_clock)
    audit.employer_recommend(application=application, actor=world.hr)
    application.refresh_from_db()
    assert standing(application).organisation == world.bureau.name
    assert standing(application).due_label == "材料接收截止"
    audit.bureau_recommend(application=application, actor=world.officer)
    application.refresh_from_db()
    now = standing(application)
    assert now.organisation == world.committee.name and now.role == "评委会办公室"
    assert now.ahead[0] == "资格审查通过" and "安排评审会议" in now.ahead


@pytest.mark.parametrize(
    "declaration_type, skipped, present",
    [
        ("recognition", "安排评审会议", "认定通过"),
        ("initial", "评前公示", "初定通过"),
        ("normal", "认定通过", "评审通过"),
    ],
)
def test_the_steps_ahead_follow_the_route(world, declaration_type, skipped, present):
    application = world.ready_draft(declaration_type=declaration_type)
    ahead = steps_ahead(application)
    assert skipped not in ahead and present in ahead
    assert ahead[-2:] == ["核准公布", "发放电子证书"]


def test_a_finished_application_has_nothing_ahead(world):
    application = world.submitted()
    services.application_withdraw(application=application, actor=world.applicant)
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    assert standing(application).ahead == [] and "后续环节" not in _panel(world, application)


def test_the_panel_is_for_the_applicant_only(world):
    application = world.submitted()
    assert _panel(world, application, world.hr) == ""
    assert (
        world.client_for(world.other_applicant)
        .get(reverse("applications:detail", args=[application.pk]))
        .status_code
        == 404
    )


def test_a_recommend_only_title_goes_upward_first(world, frozen_clock):
    walk = Walk(world, frozen_clock)
    application = walk.new_application(qualification=world.quals[TitleLevel.DEPUTY_SENIOR])
    ahead = steps_ahead(application)
    assert ahead.index("推荐至上级评委会") < ahead.index("上级评委会接收") < ahead.index("评前公示")
