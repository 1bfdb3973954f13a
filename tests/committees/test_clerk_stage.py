"""The committee office sees an application only once the bureau recommended it to the committee."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications import audit
from applications.permissions import applications_visible_to

pytestmark = pytest.mark.django_db


def _pages(application):
    return [
        reverse("committees:qualification", args=[application.pk]),
        reverse("applications:detail", args=[application.pk]),
    ]


def test_the_clerk_cannot_open_a_draft_of_the_committees_plan(world):
    draft = world.draft()
    client = world.client_for(world.clerk)
    assert [client.get(url).status_code for url in _pages(draft)] == [404, 404]
    assert not applications_visible_to(world.clerk).filter(pk=draft.pk).exists()


def test_the_clerk_cannot_open_an_application_still_with_the_employer_or_the_bureau(world, frozen_clock):
    application = world.submitted()
    client = world.client_for(world.clerk)
    assert [client.get(url).status_code for url in _pages(application)] == [404, 404]
    world.through_employer_publicity([application], frozen_clock)
    audit.employer_recommend(application=application, actor=world.hr)
    assert [client.get(url).status_code for url in _pages(application)] == [404, 404]


def test_the_clerk_opens_it_once_the_bureau_recommended_it(world, frozen_clock):
    application = world.submitted()
    world.through_employer_publicity([application], frozen_clock)
    audit.employer_recommend(application=application, actor=world.hr)
    audit.bureau_recommend(application=application, actor=world.officer)
    client = world.client_for(world.clerk)
    assert [client.get(url).status_code for url in _pages(application)] == [200, 200]
