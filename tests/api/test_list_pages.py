"""The applications list of the API reads a page as its keys and counts no further than a cap: the same
statements for 3 rows or 30 and for any page size, every visible row once when following the links,
and the same errors as every paginated list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application
from portal.api import CappedPagination
from portal.models import Role

pytestmark = pytest.mark.django_db


def _submitted(world, n: int, start: int = 0) -> list[Application]:
    return [
        world.submitted(world.user(f"listed{i}", Role.APPLICANT, world.employer), serial=400 + i)
        for i in range(start, start + n)
    ]


def _get(client, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("api-applications"), params or {})
    return response, len(captured)


def test_the_list_costs_the_same_for_3_and_30_rows_and_any_page_size(world):
    hr = world.client_for(world.hr)
    _submitted(world, 3)
    _get(hr)  # the session settles
    few = [_get(hr, {"page_size": size})[1] for size in (2, 10)]
    _submitted(world, 27, start=3)
    many = [_get(hr, {"page_size": size})[1] for size in (2, 10)] + [_get(hr, {"page": 3, "page_size": 2})[1]]
    assert len({*few, *many}) == 1


@pytest.mark.parametrize(
    ("count", "cap", "shown", "capped"), [(4, 5, 4, False), (5, 5, 5, False), (7, 5, 5, True)]
)
def test_the_count_stops_at_the_cap_and_says_so(world, monkeypatch, count, cap, shown, capped):
    _submitted(world, count)
    monkeypatch.setattr(CappedPagination, "COUNT_CAP", cap)
    body = world.client_for(world.hr).get(reverse("api-applications")).json()
    assert (body["count"], body["count_capped"]) == (shown, capped)


def test_following_next_lists_every_visible_row_once_newest_first_and_previous_goes_back(world):
    mine = _submitted(world, 7)
    hr = world.client_for(world.hr)
    seen, url, pages = [], reverse("api-applications") + "?page_size=3", []
    while url:
        body = hr.get(url).json()
        pages.append(body)
        seen.extend(row["id"] for row in body["results"])
        url = body["next"]
    expected = list(
        Application.objects.filter(pk__in=[a.pk for a in mine])
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
    )
    assert seen == [str(pk) for pk in expected] and [len(p["results"]) for p in pages] == [3, 3, 1]
    assert pages[0]["previous"] is None and "page=" not in pages[1]["previous"]
    assert "page=2" in pages[2]["previous"]


@pytest.mark.parametrize("page", ["2", "0", "999999999"])
def test_a_page_past_the_last_is_a_404_in_the_error_shape(world, page):
    _submitted(world, 1)
    response = world.client_for(world.hr).get(reverse("api-applications"), {"page": page})
    assert response.status_code == 404 and set(response.json()) == {"detail", "errors"}


def test_someone_elses_applications_are_not_listed(world):
    _submitted(world, 2)
    body = world.client_for(world.applicant).get(reverse("api-applications")).json()
    assert body["count"] == Application.objects.filter(applicant=world.applicant).count()
    assert all(
        row["id"] in {str(a.pk) for a in Application.objects.filter(applicant=world.applicant)}
        for row in body["results"]
    )
