"""The eligibility self-check is posted (CSRF-protected, nothing typed in the URL) and keeps what was
typed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from applications.models import AnnualAssessment, ContinuingEducation
from rules.services.rulesets import ruleset_install_defaults

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineer_rules(world):
    return ruleset_install_defaults(
        plan=world.plan, template="zj_engineer_mid_2023", qualification=world.quals[3]
    )


def _qualify(archive, year=2026):
    """Assessments for the three years before the review year and 270 CE hours (seed 003)."""
    for y in range(year - 3, year):
        AnnualAssessment.objects.create(archive=archive, year=y, grade="qualified")
    for y in range(year - 2, year + 1):
        ContinuingEducation.objects.create(archive=archive, year=y, public_hours=18, professional_hours=72)


def test_the_self_check_page_posts_its_form_with_a_csrf_token(world):
    text = world.client_for(world.applicant).get(reverse("applications:self_check")).content.decode()
    assert '<form method="post">' in text and "csrfmiddlewaretoken" in text
    assert 'method="get"' not in text


def test_the_self_check_refuses_a_post_without_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.applicant)
    response = client.post(
        reverse("applications:self_check"), {"plan": world.plan.pk, "qualification": world.quals[3].pk}
    )
    assert response.status_code == 403


def test_the_posted_self_check_keeps_the_choices_and_offers_types_by_post(world, engineer_rules):
    _qualify(world.complete_archive(world.applicant))
    response = world.client_for(world.applicant).post(
        reverse("applications:self_check"), {"plan": world.plan.pk, "qualification": world.quals[3].pk}
    )
    form = response.context["form"]
    assert (form["plan"].value(), form["qualification"].value()) == (
        str(world.plan.pk),
        str(world.quals[3].pk),
    )
    text = response.content.decode()
    assert f'action="{reverse("applications:new_check")}"' in text
    assert "declaration_type=" not in text


def test_the_wizards_check_keeps_everything_typed(world, engineer_rules):
    world.complete_archive(world.applicant)
    typed = {
        "plan": str(world.plan.pk),
        "qualification": str(world.quals[3].pk),
        "specialty": str(world.specialty.pk),
        "sub_specialty": str(world.specialty.subspecialties.first().pk),
        "declaration_type": "normal",
        "channel": "employer",
        "recommending_org": str(world.employer.pk),
    }
    response = world.client_for(world.applicant).post(reverse("applications:new_check"), typed)
    assert response.status_code == 200
    form = response.context["form"]
    assert {name: str(form[name].value()) for name in typed} == typed
    assert form["specialty_matches"].value() is False
    assert not form.errors and response.context["elig"] is not None


def test_the_wizards_check_button_posts_to_its_own_address(world):
    text = world.client_for(world.applicant).get(reverse("applications:new")).content.decode()
    assert f'formaction="{reverse("applications:new_check")}"' in text
    assert "formmethod" not in text


def test_the_wizards_check_refuses_get(world):
    response = world.client_for(world.applicant).get(reverse("applications:new_check"))
    assert response.status_code == 405
