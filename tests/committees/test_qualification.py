"""Qualification review, pre-review publicity, the routes without a ballot, and upward recommendation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import publicity
from applications.models import PublicityNotice
from applications.states import State
from committees import services
from committees.exceptions import CommitteeError, OutOfScope, PermissionDenied
from committees.models import UpwardRecommendation
from portal.models import TitleLevel
from rules.services.rulesets import ruleset_install_defaults
from tests.committees.conftest import committee_org

pytestmark = pytest.mark.django_db


def test_the_clerk_sees_the_eligibility_result_beside_the_evidence(cw, world):
    application = cw.at_committee(1)[0]
    ruleset_install_defaults(
        plan=world.plan, template="zj_engineer_mid_2023", qualification=cw.quals[TitleLevel.INTERMEDIATE]
    )
    page = (
        world.client_for(world.clerk)
        .get(reverse("committees:qualification", args=[application.pk]))
        .content.decode()
    )
    assert "资格条件比对" in page
    assert any(label in page for label in ("符合条件", "不符合条件", "待材料核实"))
    assert "degree.pdf" in page


def test_without_rules_the_page_says_why_there_is_no_comparison(cw, world):
    application = cw.at_committee(1)[0]
    page = (
        world.client_for(world.clerk)
        .get(reverse("committees:qualification", args=[application.pk]))
        .content.decode()
    )
    assert "未能自动比对" in page and "规则集" in page


def test_pass_return_and_reject_through_the_pages(cw, world):
    a, b, c = cw.at_committee(3)
    client = world.client_for(world.clerk)
    client.post(reverse("committees:pass", args=[a.pk]), {"note": "符合申报条件"})
    client.post(reverse("committees:return", args=[b.pk]), {"reason": "缺少单位公示情况说明"})
    response = client.post(reverse("committees:reject", args=[c.pk]), {"reason": ""}, follow=True)
    assert "请填写理由" in response.content.decode()
    client.post(reverse("committees:reject", args=[c.pk]), {"reason": "任职年限不足"})
    for app, state in ((a, State.QUALIFIED), (b, State.BUREAU_REVIEW), (c, State.REJECTED)):
        app.refresh_from_db()
        assert app.state == state
    assert a.events.get(action="qualification_pass").actor == world.clerk
    # A repeated pass changes nothing twice.
    client.post(reverse("committees:pass", args=[a.pk]), {"note": "再次"})
    assert a.events.filter(action="qualification_pass").count() == 1


@pytest.mark.parametrize("persona", ["other_clerk", "applicant", "hr", "officer", "expert"])
def test_others_cannot_take_the_qualification_check(cw, world, persona):
    application = cw.at_committee(1)[0]
    user = {"expert": cw.experts[0].user, "applicant": application.applicant}.get(persona) or getattr(
        world, persona
    )
    client = world.client_for(user)
    # Those who see the application elsewhere get 403; those who do not, 404.
    expected = {"other_clerk": 404, "applicant": 403, "hr": 403, "officer": 403, "expert": 404}[persona]
    assert client.get(reverse("committees:qualification", args=[application.pk])).status_code == expected
    for name in ("pass", "return", "reject", "recognise"):
        assert (
            client.post(reverse(f"committees:{name}", args=[application.pk]), {"reason": "x"}).status_code
            == expected
        )
    assert client.get(reverse("committees:pass", args=[application.pk])).status_code == 405
    application.refresh_from_db()
    assert application.state == State.QUALIFICATION_REVIEW


def test_an_application_outside_the_scope_cannot_pass(cw, world):
    application = cw.at_committee(1)[0]
    cw.authority.max_level = TitleLevel.ASSISTANT
    cw.authority.save()
    with pytest.raises(OutOfScope, match="授权评审层级"):
        services.qualification_pass(application=application, actor=world.clerk)
    application.refresh_from_db()
    assert application.state == State.QUALIFICATION_REVIEW


def test_pre_review_publicity_uses_the_one_publicity_service(cw, world, frozen_clock):
    apps = cw.qualified(2)
    response = world.client_for(world.clerk).post(
        reverse("committees:pre_review_publicise"),
        {
            "applications": [a.pk for a in apps],
            "title": "评前公示",
            "posted_on": frozen_clock.now().date().isoformat(),
            "working_days": 5,
        },
    )
    assert response.status_code == 302
    notice = PublicityNotice.objects.get(stage="pre_review")
    assert notice.publisher == world.committee and notice.working_days == 5
    frozen_clock.set(notice.ends_at - dt.timedelta(seconds=1))
    publicity.publicity_sweep()
    apps[0].refresh_from_db()
    assert apps[0].state == State.PRE_REVIEW_PUBLICITY
    frozen_clock.set(notice.ends_at)
    publicity.publicity_sweep()
    apps[0].refresh_from_db()
    assert apps[0].state == State.AWAITING_MEETING


def test_a_publicity_shorter_than_five_working_days_is_refused(cw, world, frozen_clock):
    apps = cw.qualified(1)
    response = world.client_for(world.clerk).post(
        reverse("committees:pre_review_publicise"),
        {
            "applications": [apps[0].pk],
            "title": "评前公示",
            "posted_on": frozen_clock.now().date().isoformat(),
            "working_days": 3,
        },
        follow=True,
    )
    assert "5" in response.content.decode()
    assert not PublicityNotice.objects.filter(stage="pre_review").exists()


def test_direct_recognition_needs_no_vote_but_the_publicity(cw, world, frozen_clock):
    application = cw.qualified(1, declaration_type="recognition")[0]
    client = world.client_for(world.clerk)
    response = client.post(
        reverse("committees:recognise", args=[application.pk]), {"reason": "省首席技师"}, follow=True
    )
    assert "不能执行" in response.content.decode() or "评前公示期满后" in response.content.decode()
    notice = services.pre_review_publicise(
        committee=world.committee, applications=[application], actor=world.clerk, title="认定评前公示"
    )
    frozen_clock.set(notice.ends_at)
    publicity.publicity_sweep()
    meeting = cw.meeting()
    done, failed = services.meeting_assign(meeting=meeting, applications=[application], actor=world.clerk)
    assert not done and "无需专家表决" in failed[0][1]
    client.post(
        reverse("committees:recognise", args=[application.pk]), {"reason": "浙江省首席技师，符合中级认定条件"}
    )
    application.refresh_from_db()
    assert application.state == State.PASSED
    assert application.events.get(action="recognise").note == "浙江省首席技师，符合中级认定条件"


def test_a_normal_application_cannot_be_recognised(cw, world):
    application = cw.awaiting_meeting(1)[0]
    with pytest.raises(CommitteeError, match="须经评审会议表决"):
        services.application_recognise(application=application, actor=world.clerk, reason="x")


def test_initial_determination_is_the_bureaus(cw, world):
    application = cw.qualified(1, declaration_type="initial")[0]
    assert (
        world.client_for(world.clerk)
        .post(reverse("committees:initial_determine", args=[application.pk]), {"reason": "x"})
        .status_code
        == 403
    )
    assert (
        world.client_for(world.other_officer)
        .post(reverse("committees:initial_determine", args=[application.pk]), {"reason": "x"})
        .status_code
        == 404
    )
    page = world.client_for(world.officer).get(reverse("committees:initial_queue")).content.decode()
    assert application.number in page
    world.client_for(world.officer).post(
        reverse("committees:initial_determine", args=[application.pk]),
        {"reason": "硕士学位，从事专业工作满3年，初定工程师"},
    )
    application.refresh_from_db()
    assert application.state == State.PASSED
    assert application.events.get(action="initial_determine").actor == world.officer


def test_exam_based_series_have_no_initial_determination(cw, world):
    application = cw.at_committee(1, declaration_type="initial")[0]
    cw.series.exam_based = True
    cw.series.save()
    with pytest.raises(CommitteeError, match="不再进行职称初定"):
        services.qualification_pass(application=application, actor=world.clerk)


def test_a_recommend_only_title_goes_to_the_higher_committee(cw, world):
    higher = committee_org(name="浙江省工程技术高级职务评审委员会", parent_bureau=world.bureau)
    cw.authorise(
        higher,
        world.bureau,
        min_level=TitleLevel.DEPUTY_SENIOR,
        max_level=TitleLevel.SENIOR,
        panel_size_senior=11,
    )
    world.plan.higher_committee = higher
    world.plan.save()
    higher_clerk = world.user("clerk_high", "clerk", higher)
    application = cw.at_committee(1, qualification=cw.quals[TitleLevel.DEPUTY_SENIOR])[0]
    world.client_for(world.clerk).post(
        reverse("committees:pass", args=[application.pk]), {"note": "推荐高级"}
    )
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED_UPWARD
    upward = UpwardRecommendation.objects.get(application=application)
    assert (upward.from_committee, upward.to_committee, upward.note) == (world.committee, higher, "推荐高级")
    queue = world.client_for(higher_clerk).get(reverse("committees:queue") + "?state=recommended_upward")
    assert application.number in queue.content.decode()
    # The city committee cannot receive it; the higher one does, then holds it.
    assert (
        world.client_for(world.clerk).post(reverse("committees:receive", args=[application.pk])).status_code
        == 403
    )
    world.client_for(higher_clerk).post(reverse("committees:receive", args=[application.pk]))
    application.refresh_from_db()
    assert application.state == State.QUALIFICATION_REVIEW
    with pytest.raises(PermissionDenied):
        services.qualification_pass(application=application, actor=world.clerk)
    services.qualification_pass(application=application, actor=higher_clerk)
    application.refresh_from_db()
    assert application.state == State.QUALIFIED


def test_a_recommend_only_title_needs_a_higher_committee(cw, world):
    application = cw.at_committee(1, qualification=cw.quals[TitleLevel.DEPUTY_SENIOR])[0]
    with pytest.raises(CommitteeError, match="未指定上级评审委员会"):
        services.qualification_pass(application=application, actor=world.clerk)


def test_the_queue_is_paginated_with_a_fixed_number_of_queries(cw, world):
    cw.at_committee(3)
    client = world.client_for(world.clerk)
    url = reverse("committees:queue")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    cw.at_committee(12)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert len(large) == len(small)
    assert page.count('name="applications"') == 15
