"""An auditor (监督审计) reads the meetings and result filings of the committees in their region, and
takes no action on them; an auditor of another region does not see them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.models import Meeting, ResultFiling
from committees.permissions import meetings_visible_to

pytestmark = pytest.mark.django_db


def _filing(cw, title="备案表"):
    return ResultFiling.objects.create(
        committee=cw.committee, title=title, created_by=cw.w.clerk, created_at=cw.clock.now()
    )


def test_the_citys_auditor_reads_a_meeting_without_any_action(cw, world):
    (application,) = cw.awaiting_meeting(1)
    meeting = cw.filed([application])
    client = world.client_for(world.auditor)
    assert meeting.title in client.get(reverse("committees:meetings")).content.decode()
    page = client.get(reverse("committees:meeting", args=[meeting.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("applications:detail", args=[application.pk]) in html
    for name in ("meeting_draw", "meeting_conflicts", "meeting_unassign", "meeting_file", "meeting_start"):
        assert reverse(f"committees:{name}", args=[meeting.pk]) not in html, name
    assert client.post(reverse("committees:meeting_draw", args=[meeting.pk])).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.FILED


def test_an_auditor_of_another_city_does_not_see_the_meeting(cw, world):
    meeting = cw.filed()
    elsewhere = world.auditor_of("330600", "绍兴市")
    client = world.client_for(elsewhere)
    assert client.get(reverse("committees:meeting", args=[meeting.pk])).status_code == 404
    assert meeting.title not in client.get(reverse("committees:meetings")).content.decode()
    assert not meetings_visible_to(elsewhere).exists()
    assert list(meetings_visible_to(world.auditor)) == [meeting]


def test_the_auditor_reads_the_citys_filings_and_approves_none(cw, world):
    filing = _filing(cw)
    client = world.client_for(world.auditor)
    assert filing.title in client.get(reverse("committees:filings")).content.decode()
    page = client.get(reverse("committees:filing", args=[filing.pk])).content.decode()
    assert reverse("committees:filing_approve", args=[filing.pk]) not in page
    response = client.post(reverse("committees:filing_approve", args=[filing.pk]), {"document_no": "x"})
    assert response.status_code == 403
    filing.refresh_from_db()
    assert filing.status == ResultFiling.Status.SUBMITTED
    other = world.client_for(world.auditor_of("330600", "绍兴市"))
    assert filing.title not in other.get(reverse("committees:filings")).content.decode()
    assert other.get(reverse("committees:filing", args=[filing.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("meetings", lambda cw, n: [cw.meeting(title=f"会议{i}") for i in range(n)]),
        ("filings", lambda cw, n: [_filing(cw, f"备案{i}") for i in range(n)]),
    ],
)
def test_the_auditors_lists_do_not_grow_their_queries(cw, world, name, make):
    client = world.client_for(world.auditor)
    url = reverse(f"committees:{name}")
    make(cw, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    make(cw, 15)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
