"""One declaration per person per plan year, across all committees."""

from __future__ import annotations

import pytest

from applications import services, workflow
from applications.exceptions import DomainError
from applications.states import State
from tests import factories


def _create(world, plan, **kwargs):
    params = dict(
        applicant=world.applicant,
        plan=plan,
        qualification=world.quals[3],
        specialty=world.specialty,
        sub_specialty=world.specialty.subspecialties.first(),
        declaration_type="normal",
        channel="employer",
        recommending_org=world.employer,
    )
    params.update(kwargs)
    return services.application_create(**params)


def test_it_refuses_a_second_application_of_the_same_year_in_another_committee(world):
    first = world.draft()
    assert world.other_plan.year == world.plan.year
    with pytest.raises(DomainError) as exc:
        _create(world, world.other_plan)
    assert first.number in exc.value.message and world.committee.name in exc.value.message
    assert world.applicant.applications.count() == 1


def test_it_refuses_a_second_application_of_the_same_year_for_another_qualification(world):
    world.draft()
    with pytest.raises(DomainError, match="每人每年度只能申报一次"):
        _create(world, world.plan, qualification=world.quals[2])


def test_it_allows_an_application_of_another_year(world):
    world.draft()
    next_year = factories.PlanFactory(year=world.plan.year + 1)
    again = _create(world, next_year)
    assert again.state == State.DRAFT
    assert world.applicant.applications.count() == 2


def test_it_allows_a_new_application_after_the_first_was_withdrawn(world):
    first = world.draft()
    services.application_withdraw(application=first, actor=world.applicant)
    again = _create(world, world.other_plan)
    assert again.state == State.DRAFT
    assert again.committee_id == world.other_committee.pk


def test_it_allows_a_new_application_after_the_employer_refused_the_first(world):
    first = world.submitted()
    workflow.transition(application_id=first.pk, action="employer_reject", actor=world.hr, note="不符合条件")
    again = _create(world, world.other_plan)
    assert again.state == State.DRAFT


def test_a_failed_review_keeps_the_year(world):
    first = world.draft()
    type(first).objects.filter(pk=first.pk).update(state=State.NOT_PASSED)
    with pytest.raises(DomainError, match=first.number):
        _create(world, world.other_plan)
