"""The auditor's (监督审计) read-only pages: the region's applications (filtered, each opening on its page
with its history and no action), its publicity notices and its statistics; another region's auditor sees
none of them, other roles are refused the pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import publicity, workflow
from applications.oversight import region_statistics
from applications.states import State

pytestmark = pytest.mark.django_db

PAGES = ("applications:oversight", "applications:oversight_notices", "applications:oversight_stats")


def _submitted(world, n, start=0):
    return [
        world.submitted(world.user(f"ov{i}", "applicant", world.employer), serial=600 + i)
        for i in range(start, start + n)
    ]


def test_the_auditor_lists_the_regions_applications_but_no_draft(world):
    (submitted,) = _submitted(world, 1)
    draft = world.draft(serial=700)
    page = world.client_for(world.auditor).get(reverse("applications:oversight")).content.decode()
    assert submitted.number in page and draft.number not in page
    assert reverse("applications:detail", args=[submitted.pk]) in page


def test_the_list_filters_by_plan_and_state(world):
    first, second = _submitted(world, 2)
    workflow.transition(application_id=second.pk, action="employer_reject", actor=world.hr)
    client = world.client_for(world.auditor)
    url = reverse("applications:oversight")
    page = client.get(url, {"state": State.REJECTED, "plan": world.plan.pk}).content.decode()
    assert second.number in page and first.number not in page
    page = client.get(url, {"plan": world.other_plan.pk}).content.decode()
    assert first.number not in page and second.number not in page
    assert client.get(url, {"state": "nonsense"}).status_code == 400


def test_an_auditor_of_another_city_sees_nothing_of_this_one(world):
    (submitted,) = _submitted(world, 1)
    notice = world.publicised([submitted])
    client = world.client_for(world.auditor_of("330600", "绍兴市"))
    assert submitted.number not in client.get(reverse("applications:oversight")).content.decode()
    assert notice.title not in client.get(reverse("applications:oversight_notices")).content.decode()
    assert client.get(reverse("applications:detail", args=[submitted.pk])).status_code == 404
    assert client.get(reverse("applications:audit_notice", args=[notice.pk])).status_code == 404
    assert "<td>1</td>" not in client.get(reverse("applications:oversight_stats")).content.decode()


@pytest.mark.parametrize("persona", ["applicant", "hr", "officer", "clerk"])
def test_other_roles_are_refused_the_auditors_pages(world, persona):
    client = world.client_for(getattr(world, persona))
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 403, name


def test_the_pages_are_read_only(world):
    client = world.client_for(world.auditor)
    for name in PAGES:
        assert client.post(reverse(name)).status_code == 405, name
        assert client.get(reverse(name)).status_code == 200, name


def test_anonymous_visitors_are_sent_to_log_in(client):
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 302


def test_an_application_opens_with_its_history_and_no_action(world):
    (submitted,) = _submitted(world, 1)
    assert workflow.available_moves(submitted, world.auditor) == []
    history = submitted.events.count()
    client = world.client_for(world.auditor)
    page = client.get(reverse("applications:detail", args=[submitted.pk])).content.decode()
    assert "submit" in [e.action for e in submitted.events.all()]
    for name in ("audit_return", "audit_reject", "withdraw", "audit_bureau_return", "audit_entrust"):
        assert reverse(f"applications:{name}", args=[submitted.pk]) not in page, name
    for name in ("audit_return", "audit_reject", "withdraw"):
        assert client.post(reverse(f"applications:{name}", args=[submitted.pk])).status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == State.EMPLOYER_AUDIT and submitted.events.count() == history


def test_the_auditor_reads_a_notice_and_does_not_handle_its_objections(world):
    (submitted,) = _submitted(world, 1)
    notice = world.publicised([submitted])
    objection = publicity.objection_lodge(
        entry=notice.entries.get(),
        name="王某",
        contact="13800000000",
        reason="所报项目并非本人主持，请核实。",
    )
    client = world.client_for(world.auditor)
    assert notice.title in client.get(reverse("applications:oversight_notices")).content.decode()
    page = client.get(reverse("applications:audit_notice", args=[notice.pk])).content.decode()
    assert objection.reason in page
    assert reverse("applications:audit_objection_resolve", args=[objection.pk]) not in page
    hr_page = world.client_for(world.hr).get(reverse("applications:audit_notice", args=[notice.pk]))
    assert reverse("applications:audit_objection_resolve", args=[objection.pk]) in hr_page.content.decode()
    response = client.post(
        reverse("applications:audit_objection_resolve", args=[objection.pk]),
        {"outcome": "upheld", "reason": "属实"},
    )
    assert response.status_code == 403
    objection.refresh_from_db()
    assert objection.handled_at is None


def test_the_statistics_count_per_plan_state_and_route(world):
    first, second, third = _submitted(world, 3)
    workflow.transition(application_id=third.pk, action="employer_reject", actor=world.hr)
    world.draft(serial=700)
    stats = region_statistics(world.auditor)
    assert stats.total == 3 and (stats.passed, stats.not_passed) == (0, 0)
    (plan,) = stats.plans
    assert plan.counts == {State.EMPLOYER_AUDIT: 2, State.REJECTED: 1}
    assert stats.routes == [("正常申报", 3)]
    page = world.client_for(world.auditor).get(reverse("applications:oversight_stats")).content.decode()
    assert world.plan.title in page and "已提交，待单位审核" in page


def test_the_statistics_take_one_query(world):
    _submitted(world, 2)
    region_statistics(world.auditor)  # the auditor's region, read once and kept on the user
    with CaptureQueriesContext(connection) as ctx:
        region_statistics(world.auditor)
    assert len(ctx.captured_queries) == 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_auditors_pages_do_not_grow_their_queries(world, frozen_clock):
    client = world.client_for(world.auditor)
    world.publicised(_submitted(world, 2))
    urls = [reverse(name) for name in PAGES]
    before = [_queries(client, url) for url in urls]
    more = _submitted(world, 4, start=2)
    for application in more[:2]:
        world.publicised([application])
    workflow.transition(application_id=more[3].pk, action="employer_reject", actor=world.hr)
    assert [_queries(client, url) for url in urls] == before
