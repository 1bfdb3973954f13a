"""The holder columns (receiving bureau, employer's bureau, higher committee; the holding committee) follow
every kind of move, and the queues that filter on them list what the parties saw before."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from applications import audit, services
from applications.models import Application
from applications.permissions import applications_visible_to
from applications.states import State
from committees import services as committee_services
from portal.models import OrgKind, Role, TitleLevel
from tests import factories
from tests.applications.test_moves_table import Walk

pytestmark = pytest.mark.django_db


def _columns(application) -> tuple:
    application.refresh_from_db()
    return (
        application.receiving_bureau_id,
        application.employer_bureau_id,
        application.committee_id,
        application.higher_committee_id,
    )


def _listed(world, user, url) -> str:
    return world.client_for(user).get(url).content.decode()


def _at_bureau(world, clock, application=None):
    application = application or world.submitted()
    world.through_employer_publicity([application], clock)
    audit.employer_recommend(application=application, actor=world.hr)
    return application


@pytest.fixture
def association(world):
    """A plan received by an association, so the receiving organisation and the employer's bureau differ."""
    association = factories.OrganisationFactory(
        name="衢州市机械工程学会", kind=OrgKind.ASSOCIATION, credit_code=None
    )
    world.plan.receiving_org = association
    world.plan.save()
    return association


def test_a_new_application_carries_its_plans_and_employers_holders(world, association):
    application = world.draft()
    assert _columns(application) == (association.pk, world.bureau.pk, world.committee.pk, None)


def test_both_bureaus_list_it_at_the_bureau_stage_and_neither_before(world, frozen_clock, association):
    association_officer = world.user("assoc_officer", Role.OFFICER, association)
    application = world.submitted()
    url = reverse("applications:audit_queue") + "?role=officer&state=bureau_review"
    assert application.number not in _listed(world, association_officer, url)
    _at_bureau(world, frozen_clock, application)
    for officer in (association_officer, world.officer):
        assert application.number in _listed(world, officer, url)
        assert applications_visible_to(officer).filter(pk=application.pk).exists()
    assert application.number not in _listed(world, world.other_officer, url)


def test_a_return_to_the_employer_moves_it_between_the_queues(world, frozen_clock):
    application = _at_bureau(world, frozen_clock)
    before = _columns(application)
    audit.bureau_return(application=application, actor=world.officer, reason="材料不全，请补充。")
    assert _columns(application) == before
    bureau_url = reverse("applications:audit_queue") + "?role=officer&state=bureau_review"
    hr_url = reverse("applications:audit_queue") + "?role=hr&state=employer_audit"
    assert application.number not in _listed(world, world.officer, bureau_url)
    assert application.number in _listed(world, world.hr, hr_url)
    assert application.number not in _listed(world, world.other_hr, hr_url)


def test_a_move_takes_up_a_plan_changed_since_the_last_one(world, frozen_clock, association):
    application = world.submitted()
    world.plan.receiving_org = world.other_bureau
    world.plan.save()
    _at_bureau(world, frozen_clock, application)
    assert _columns(application)[0] == world.other_bureau.pk
    url = reverse("applications:audit_queue") + "?role=officer&state=bureau_review"
    assert application.number in _listed(world, world.other_officer, url)


def test_entrustment_hands_it_to_the_entrusted_committee_and_its_plans_bureau(world, frozen_clock):
    walk = Walk(world, frozen_clock)
    walk.far_plan.qualifications.add(world.quals[3])
    application = _at_bureau(world, frozen_clock)
    audit.bureau_entrust(
        application=application,
        actor=world.officer,
        to_plan=walk.far_plan,
        letter_no="衢人社委〔2026〕3号",
        letter_date=dt.date(2026, 5, 28),
    )
    far = walk.far_plan
    assert _columns(application) == (world.other_bureau.pk, world.bureau.pk, far.committee_id, None)
    far_clerk = world.user("far_clerk", Role.CLERK, far.committee)
    url = reverse("committees:queue") + f"?committee={far.committee_id}&state=qualification_review"
    assert application.number in _listed(world, far_clerk, url)
    own = reverse("committees:queue") + f"?committee={world.committee.pk}&state=qualification_review"
    assert application.number not in _listed(world, world.clerk, own)


def test_an_upward_recommendation_is_listed_for_the_higher_committee_then_held_by_it(world, frozen_clock):
    walk = Walk(world, frozen_clock)
    application = walk.new_application(qualification=world.quals[TitleLevel.DEPUTY_SENIOR])
    services.application_submit(application=application, actor=walk.personas["owner"])
    _at_bureau(world, frozen_clock, application)
    audit.bureau_recommend(application=application, actor=world.officer)
    committee_services.qualification_pass(application=application, actor=world.clerk)
    application.refresh_from_db()
    assert application.state == State.RECOMMENDED_UPWARD
    assert _columns(application)[2:] == (world.committee.pk, walk.higher.pk)
    upward = f"&state={State.RECOMMENDED_UPWARD}"
    higher_url = reverse("committees:queue") + f"?committee={walk.higher.pk}"
    own_url = reverse("committees:queue") + f"?committee={world.committee.pk}"
    assert application.number in _listed(world, walk.higher_clerk, higher_url + upward)
    assert application.number in _listed(world, world.clerk, own_url + upward)
    # Both offices' upward tab counts it: the one it was sent from and the one it was sent to.
    for clerk, url in ((walk.higher_clerk, higher_url), (world.clerk, own_url)):
        page = world.client_for(clerk).get(url + upward).content.decode()
        assert "共 1 份" in page and f"{State.RECOMMENDED_UPWARD.label}（1）" in page
    committee_services.upward_receive(application=application, actor=walk.higher_clerk)
    assert _columns(application)[2:] == (walk.higher.pk, walk.higher.pk)
    review = f"&state={State.QUALIFICATION_REVIEW}"
    assert application.number in _listed(world, walk.higher_clerk, higher_url + review)
    assert application.number not in _listed(world, world.clerk, own_url + review)


def test_the_migration_fills_existing_rows_as_the_moves_do(world, frozen_clock, association):
    application = _at_bureau(world, frozen_clock)
    expected = _columns(application)
    Application.objects.update(receiving_bureau=None, employer_bureau=None, higher_committee=None)
    fill = importlib.import_module("applications.migrations.0022_fill_holder_columns").fill
    fill(django_apps, None)
    assert _columns(application) == expected
