"""The public list of open publicities pages by a cursor: walked forwards and back it shows every open
notice once, newest first, ties on the creation time included; a link's cursor that is not one shows the
first page; the total stops at the cap; closed notices and notices not yet posted are not listed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from applications import publicity_list, queues
from applications.models import PublicityNotice
from portal import clock
from portal.models import Role

pytestmark = pytest.mark.django_db

LIST = reverse("applications:public_notices")


def _notices(world, n: int, start: int = 0) -> list[PublicityNotice]:
    notices = []
    for i in range(start, start + n):
        applicant = world.user(f"public{i}", Role.APPLICANT, world.employer)
        notices.append(world.publicised([world.submitted(applicant, serial=500 + i)]))
    return notices


def _newest_first(notices) -> list:
    return [n.pk for n in sorted(notices, key=lambda n: (n.created_at, n.pk), reverse=True)]


def _walk(client, url: str, link: str) -> list[list]:
    """The pages met following `link` ("next_link" or "previous_link") from `url`, as their keys."""
    pages = []
    while True:
        response = client.get(url)
        assert response.status_code == 200
        page = response.context["page"]
        pages.append([n.pk for n in page.object_list])
        if not getattr(page, link):
            return pages
        url = LIST + getattr(page, link)


@pytest.mark.parametrize("tied", [0, 4, 7])
def test_walking_forwards_and_back_shows_every_open_notice_once_newest_first(world, monkeypatch, tied):
    monkeypatch.setattr(publicity_list, "PAGE_SIZE", 3)
    notices = _notices(world, 7)
    if tied:
        # Notices made in the same instant: the key decides their order.
        PublicityNotice.objects.filter(pk__in=[n.pk for n in notices[:tied]]).update(
            created_at=notices[0].created_at
        )
        notices = list(PublicityNotice.objects.all())
    expected = _newest_first(notices)
    client = Client()
    forward = _walk(client, LIST, "next_link")
    assert [pk for page in forward for pk in page] == expected
    assert [len(page) for page in forward] == [3, 3, 1]
    # From the last page back to the first: the same pages, the first one whole.
    url = LIST
    for _ in forward[1:]:
        url = LIST + client.get(url).context["page"].next_link
    back = _walk(client, LIST + client.get(url).context["page"].previous_link, "previous_link")
    assert back == forward[-2::-1]


def test_a_cursor_that_is_not_one_shows_the_first_page(world, monkeypatch):
    monkeypatch.setattr(publicity_list, "PAGE_SIZE", 3)
    expected = _newest_first(_notices(world, 4))[:3]
    cursors = ("after=x", "after=12.not-a-key", "before=99999999999999999999999.1", "after=", "before=1.")
    for cursor in cursors:
        response = Client().get(f"{LIST}?{cursor}")
        assert response.status_code == 200, cursor
        assert [n.pk for n in response.context["page"].object_list] == expected, cursor


def test_the_total_stops_at_the_cap(world, monkeypatch):
    monkeypatch.setattr(queues, "COUNT_CAP", 5)
    _notices(world, 5)
    assert "共 5 份" in Client().get(LIST).content.decode()
    _notices(world, 1, start=5)
    assert "共 5+ 份" in Client().get(LIST).content.decode()


def test_closed_and_not_yet_posted_notices_are_not_listed(world):
    shown, closed, later = _notices(world, 3)
    PublicityNotice.objects.filter(pk=closed.pk).update(status=PublicityNotice.Status.CLOSED)
    PublicityNotice.objects.filter(pk=later.pk).update(posted_on=clock.today() + dt.timedelta(days=3))
    page = Client().get(LIST).context["page"]
    assert [n.pk for n in page.object_list] == [shown.pk]
    assert page.total == 1
