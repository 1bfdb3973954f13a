"""The new-application wizard offers only the chosen plan's qualifications and specialties."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.models import Application
from portal.models import Qualification, Series, Specialty, TitleLevel
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def economics_plan(world):
    """An open plan of another series: its own qualification and specialty only."""
    series = Series.objects.create(code="economics", name="经济")
    qualification = Qualification.objects.create(series=series, level=TitleLevel.INTERMEDIATE, name="经济师")
    specialty = Specialty.objects.create(series=series, code="gongshang", name="工商管理")
    plan = factories.PlanFactory(title="2026年度经济师评审计划")
    plan.qualifications.set([qualification])
    plan.recommend_qualifications.clear()
    plan.specialties.set([specialty])
    return plan, qualification, specialty


def _form(world, **data):
    response = world.client_for(world.applicant).get(reverse("applications:new"), data)
    return response.context["form"]


def test_the_chosen_plans_qualifications_and_specialties_only_are_offered(world, economics_plan):
    plan, qualification, specialty = economics_plan
    form = _form(world, plan=world.plan.pk)
    assert set(form.fields["qualification"].queryset) == {
        world.quals[TitleLevel.INTERMEDIATE],
        world.quals[TitleLevel.ASSISTANT],
        world.quals[TitleLevel.DEPUTY_SENIOR],
    }
    assert list(form.fields["specialty"].queryset) == [world.specialty]
    other = _form(world, plan=plan.pk)
    assert list(other.fields["qualification"].queryset) == [qualification]
    assert list(other.fields["specialty"].queryset) == [specialty]


def test_before_a_plan_is_chosen_only_open_plans_choices_are_offered(world, economics_plan):
    closed = world.quals[TitleLevel.SENIOR]
    offered = set(_form(world).fields["qualification"].queryset)
    assert economics_plan[1] in offered and world.quals[TitleLevel.INTERMEDIATE] in offered
    assert closed not in offered


def test_another_plans_qualification_is_a_field_error(world, economics_plan):
    plan, qualification, specialty = economics_plan
    world.complete_archive(world.applicant)
    response = world.client_for(world.applicant).post(
        reverse("applications:new"),
        {
            "plan": world.plan.pk,
            "qualification": qualification.pk,
            "specialty": specialty.pk,
            "declaration_type": "normal",
            "specialty_matches": "on",
            "channel": "employer",
            "recommending_org": world.employer.pk,
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["qualification"] == ["所选评审计划不评审或推荐该资格。"]
    assert errors["specialty"] == ["所选评审计划不含该专业。"]
    assert not Application.objects.exists()
