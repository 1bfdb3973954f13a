"""The queues and an application's page cost the same number of queries however many rows match and
whatever the page size; the queue pages walk forwards and back through every row once, with plain links."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import audit, queues
from applications.models import Application
from applications.states import State
from committees import selectors
from portal.models import Role

pytestmark = pytest.mark.django_db

HR_DONE = reverse("applications:audit_queue") + "?role=hr&state=employer_publicity_done"
BUREAU = reverse("applications:audit_queue") + "?role=officer&state=bureau_review"


def _submitted(world, n: int, start: int = 0) -> list[Application]:
    return [
        world.submitted(world.user(f"queued{i}", Role.APPLICANT, world.employer), serial=300 + i)
        for i in range(start, start + n)
    ]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _path(url: str) -> str:
    """The page's path: its links are relative (`?role=…&after=…`), as a browser follows them."""
    return url.split("?", 1)[0]


def _pages_cost(client, url: str) -> list[int]:
    """Queries of the first page, and of the next one when there is one."""
    costs = [_queries(client, url)]
    page = client.get(url).context["page"]
    if page.has_next:
        costs.append(_queries(client, _path(url) + page.next_link))
    return costs


def test_the_hr_and_bureau_queues_cost_the_same_for_3_and_30_rows(world, frozen_clock):
    applications = _submitted(world, 30)
    world.through_employer_publicity(applications, frozen_clock)
    hr, officer = world.client_for(world.hr), world.client_for(world.officer)
    for application in applications[:3]:
        audit.employer_recommend(application=application, actor=world.hr)
    hr_27, bureau_3 = _pages_cost(hr, HR_DONE), _pages_cost(officer, BUREAU)
    for application in applications[3:]:
        audit.employer_recommend(application=application, actor=world.hr)
    hr_30 = _pages_cost(hr, reverse("applications:audit_queue") + "?role=hr&state=bureau_review")
    bureau_30 = _pages_cost(officer, BUREAU)
    assert len(hr_27) == len(bureau_30) == 2 and len(bureau_3) == 1
    assert set(hr_27) | set(hr_30) == {hr_27[0]} and set(bureau_3) | set(bureau_30) == {bureau_3[0]}


def test_the_clerks_queue_costs_the_same_for_3_and_30_rows(world, frozen_clock):
    applications = _submitted(world, 30)
    world.through_employer_publicity(applications, frozen_clock)
    clerk = world.client_for(world.clerk)
    url = reverse("committees:queue") + f"?committee={world.committee.pk}&state=qualification_review"
    costs = []
    for batch in (applications[:3], applications[3:]):
        for application in batch:
            audit.employer_recommend(application=application, actor=world.hr)
            audit.bureau_recommend(application=application, actor=world.officer)
        costs.append(_pages_cost(clerk, url))
    assert [len(c) for c in costs] == [1, 2]
    assert len({*costs[0], *costs[1]}) == 1


def test_the_page_size_does_not_change_the_queries(world, frozen_clock, monkeypatch):
    _submitted(world, 12)
    hr = world.client_for(world.hr)
    url = reverse("applications:audit_queue") + "?role=hr&state=employer_audit"
    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    small = _pages_cost(hr, url)
    monkeypatch.setattr(queues, "PAGE_SIZE", 10)
    large = _pages_cost(hr, url)
    assert len(small) == len(large) == 2
    assert len({*small, *large}) == 1


def test_an_applications_page_and_api_cost_the_same_beside_3_and_30_others(world):
    mine = world.submitted()
    hr = world.client_for(world.hr)
    urls = [reverse("applications:detail", args=[mine.pk]), f"/api/v1/applications/{mine.pk}/"]
    _submitted(world, 3)
    few = [_queries(hr, url) for url in urls]
    _submitted(world, 27, start=3)
    assert [_queries(hr, url) for url in urls] == few


def test_the_queue_walks_every_row_once_forwards_and_back(world, monkeypatch):
    applications = _submitted(world, 11)
    monkeypatch.setattr(queues, "PAGE_SIZE", 4)
    hr = world.client_for(world.hr)
    url = reverse("applications:audit_queue") + "?role=hr&state=employer_audit"
    pages, link = [], url
    while link:
        page = hr.get(link).context["page"]
        pages.append([a.number for a in page.object_list])
        link = page.next_link and _path(url) + page.next_link
    expected = list(
        Application.objects.filter(pk__in=[a.pk for a in applications])
        .order_by("submitted_at", "number")
        .values_list("number", flat=True)
    )
    assert [n for p in pages for n in p] == expected and [len(p) for p in pages] == [4, 4, 3]
    back, link = [], _path(url) + page.previous_link
    while link:
        page = hr.get(link).context["page"]
        back.insert(0, [a.number for a in page.object_list])
        link = page.previous_link and _path(url) + page.previous_link
    assert back == pages[:-1]


def test_a_queue_row_shows_the_application_as_its_own_page_does(world, frozen_clock):
    """The rows are read as joined columns, not model instances: the same texts, the submission time
    in China Standard Time (16:30 UTC is 00:30 the next day in Beijing)."""
    application = _submitted(world, 1)[0]
    Application.objects.filter(pk=application.pk).update(
        submitted_at=dt.datetime(2026, 9, 1, 16, 30, 59, tzinfo=dt.UTC)
    )
    application.refresh_from_db()
    html = (
        world.client_for(world.hr)
        .get(reverse("applications:audit_queue") + "?role=hr&state=employer_audit")
        .content.decode()
    )
    row = html[html.index(application.number) :]
    row = row[: row.index("</tr>")]
    shown = [
        application.archive.name,
        application.recommending_org.name,
        f"{application.qualification.name}（{application.specialty.name}）",
        application.get_declaration_type_display(),
        application.plan.title,
        "2026-09-02 00:30",
    ]
    assert all(f"<td>{text}</td>" in row for text in shown), row
    assert reverse("applications:detail", args=[application.pk]) in html


def test_the_links_work_without_script_and_the_total_is_capped(world, monkeypatch):
    _submitted(world, 7)
    monkeypatch.setattr(queues, "PAGE_SIZE", 3)
    monkeypatch.setattr(queues, "COUNT_CAP", 5)
    html = (
        world.client_for(world.hr)
        .get(reverse("applications:audit_queue") + "?role=hr&state=employer_audit")
        .content.decode()
    )
    assert "共 5+ 份" in html
    assert 'href="?role=hr&amp;state=employer_audit&amp;after=' in html


def test_the_public_publicity_list_costs_the_same_for_3_and_30_notices_and_reads_no_bodies(world):
    applications = _submitted(world, 30)
    public = reverse("applications:public_notices")
    costs = []
    for batch in (applications[:3], applications[3:]):
        for application in batch:
            world.publicised([application])
        costs.append(_pages_cost(world.client_for(world.applicant), public))
    # 3 notices: one page; 30: the first page and the next cost the same.
    assert costs[0] == costs[1][:1] and len(set(costs[1])) == 1
    with CaptureQueriesContext(connection) as captured:
        world.client_for(world.applicant).get(public)
    listed = [q["sql"] for q in captured.captured_queries if "applications_publicitynotice" in q["sql"]]
    assert listed and not any('"body"' in sql for sql in listed)


@pytest.mark.parametrize(("count", "cap", "shown"), [(4, 5, "4"), (5, 5, "5"), (7, 5, "5+")])
def test_a_count_over_two_holders_counts_a_shared_application_once_and_stops_at_the_cap(
    world, monkeypatch, count, cap, shown
):
    """An application both branches hold (e.g. the bureau is its receiving and its employer's bureau) is
    one application; beyond the cap the count says so, however the branches split the rows."""
    applications = _submitted(world, count)
    monkeypatch.setattr(queues, "COUNT_CAP", cap)
    everyone = Application.objects.filter(recommending_org=world.employer)
    some = Application.objects.filter(pk__in=[a.pk for a in applications[:3]])
    for branches in ([everyone, some], [some, everyone], [everyone]):
        assert queues.capped(queues.capped_count(branches)) == shown


def test_the_clerks_other_tabs_count_to_99_plus_and_the_shown_one_to_the_full_cap(
    world, frozen_clock, monkeypatch
):
    applications = _submitted(world, 4)
    world.through_employer_publicity(applications, frozen_clock)
    for application in applications:
        audit.employer_recommend(application=application, actor=world.hr)
        audit.bureau_recommend(application=application, actor=world.officer)
    monkeypatch.setattr(selectors, "TAB_CAP", 2)
    monkeypatch.setattr(queues, "COUNT_CAP", 5)
    clerk = world.client_for(world.clerk)
    url = reverse("committees:queue") + f"?committee={world.committee.pk}&state="
    shown = clerk.get(url + "qualification_review").content.decode()
    other = clerk.get(url + "qualified").content.decode()
    label = State.QUALIFICATION_REVIEW.label
    assert f"{label}（4）" in shown and "共 4 份" in shown
    assert f"{label}（2+）" in other and "（0）" in other
