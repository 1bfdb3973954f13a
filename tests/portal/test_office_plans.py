from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import PlanMaterial, ReviewPlan

pytestmark = pytest.mark.django_db


def _form(world, **over):
    data = {
        "code": "qz2026-new",
        "title": "2026年度工程师评审计划（新）",
        "committee": world.committee.pk,
        "year": 2026,
        "qualifications": [world.quals[3].pk],
        "specialties": [world.specialty.pk],
        "opens_at": "2026-06-01T09:00",
        "declaration_deadline": "2026-07-01T17:00",
        "employer_deadline": "2026-07-15T17:00",
        "material_deadline": "2026-07-20T17:00",
        "expected_review_month": "9-10月",
        "contact_phone": "0570-8758639",
    }
    data.update(over)
    return data


def test_a_clerk_drafts_and_publishes_a_plan(world):
    client = world.client_for(world.clerk)
    assert client.post(reverse("office_plan_new"), _form(world)).status_code == 302
    plan = ReviewPlan.objects.get(code="qz2026-new")
    assert plan.status == ReviewPlan.Status.DRAFT
    assert PlanMaterial.objects.filter(plan=plan, code="degree").exists()
    client.post(reverse("office_plan_publish", args=[plan.code]))
    plan.refresh_from_db()
    assert plan.status == ReviewPlan.Status.DRAFT  # no document number yet
    client.post(
        reverse("office_plan_edit", args=[plan.code]), _form(world, document_no="衢人社发〔2026〕12号")
    )
    client.post(reverse("office_plan_publish", args=[plan.code]))
    plan.refresh_from_db()
    assert plan.status == ReviewPlan.Status.PUBLISHED
    assert plan.title in world.client_for(world.applicant).get(reverse("plans")).content.decode()


def test_deadlines_out_of_order_are_field_errors(world):
    response = world.client_for(world.clerk).post(
        reverse("office_plan_new"), _form(world, employer_deadline="2026-06-20T17:00")
    )
    assert response.status_code == 400
    assert "单位推荐截止时间不能早于个人申报截止时间" in response.content.decode()
    assert not ReviewPlan.objects.filter(code="qz2026-new").exists()


def test_only_the_committees_clerk_manages_its_plans(world):
    other = world.client_for(world.other_clerk)
    response = other.post(reverse("office_plan_new"), _form(world))
    assert response.status_code == 400  # the committee is not one of theirs
    assert other.get(reverse("office_plan_edit", args=[world.plan.code])).status_code == 404
    assert other.post(reverse("office_plan_publish", args=[world.plan.code])).status_code == 404
    for persona in (world.applicant, world.hr, world.officer):
        assert world.client_for(persona).get(reverse("office_plans")).status_code == 403


def test_the_clerk_sets_when_reminders_go_out(world):
    client = world.client_for(world.clerk)
    assert client.post(reverse("office_plan_new"), _form(world, reminder_working_days=5)).status_code == 302
    assert ReviewPlan.objects.get(code="qz2026-new").reminder_working_days == 5
    refused = client.post(reverse("office_plan_new"), _form(world, code="qz2026-b", reminder_working_days=0))
    assert refused.status_code == 400 and "截止前提醒" in refused.content.decode()
    assert not ReviewPlan.objects.filter(code="qz2026-b").exists()
