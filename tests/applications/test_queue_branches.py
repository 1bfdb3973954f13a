"""A Branch reads the keys and the capped size the ORM's queryset of the same branch reads, ties on the
submission time included, in both directions and from any cursor."""

from __future__ import annotations

import datetime as dt

import pytest

from applications import queues
from applications.models import Application
from applications.queue_branches import Branch, capped_branch_count
from applications.states import State
from portal.models import Role

pytestmark = pytest.mark.django_db


def _orm_keys(qs, *, after=None, before=None, limit):
    qs = qs.filter(submitted_at__isnull=False)
    if before is not None:
        qs = qs.filter(queues._before(before)).order_by("-submitted_at", "-number")
    else:
        if after is not None:
            qs = qs.filter(queues._after(after))
        qs = qs.order_by("submitted_at", "number")
    return list(qs.values_list("submitted_at", "number", "pk")[:limit])


def test_keys_and_counts_match_the_orm_with_ties_on_the_time(world):
    applications = [
        world.submitted(world.user(f"branch{i}", Role.APPLICANT, world.employer), serial=700 + i)
        for i in range(7)
    ]
    # Three submitted in the same microsecond: the number decides their order.
    same = dt.datetime(2026, 6, 1, 1, 2, 3, 456789, tzinfo=dt.UTC)
    Application.objects.filter(pk__in=[a.pk for a in applications[2:5]]).update(submitted_at=same)
    branch = Branch("recommending_org", (world.employer.pk,), State.EMPLOYER_AUDIT)
    everything = _orm_keys(branch.queryset(), limit=100)
    assert branch.keys(limit=100) == everything and len(everything) == 7
    for at, number, _pk in everything:
        cursor = (at, number)
        assert branch.keys(after=cursor, limit=3) == _orm_keys(branch.queryset(), after=cursor, limit=3)
        assert branch.keys(before=cursor, limit=3) == _orm_keys(branch.queryset(), before=cursor, limit=3)
    assert capped_branch_count([branch], 100) == 7
    assert capped_branch_count([branch], 4) == 4
    # Two branches sharing rows count them once.
    again = Branch("recommending_org", (world.employer.pk, world.employer.pk + 10_000), State.EMPLOYER_AUDIT)
    assert capped_branch_count([branch, again], 100) == 7
    assert capped_branch_count([Branch("workplace", (world.employer.pk,), State.EMPLOYER_AUDIT)], 100) == 0
