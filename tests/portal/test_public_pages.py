from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import clock
from portal.models import ReviewPlan
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def test_open_plans_are_public_and_drafts_and_past_plans_are_not(world):
    PlanFactory(title="草稿计划", status=ReviewPlan.Status.DRAFT)
    past = PlanFactory(title="已截止计划")
    ReviewPlan.objects.filter(pk=past.pk).update(
        opens_at=clock.now() - dt.timedelta(days=40), declaration_deadline=clock.now() - dt.timedelta(days=1)
    )
    text = Client().get(reverse("plans")).content.decode()
    assert world.plan.title in text
    assert "草稿计划" not in text and "已截止计划" not in text
    assert Client().get(reverse("plan", args=[world.plan.code])).status_code == 200
    drafted = ReviewPlan.objects.get(title="草稿计划")
    assert Client().get(reverse("plan", args=[drafted.code])).status_code == 404


def _count_queries(url, client=None):
    client = client or Client()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_plan_list_queries_do_not_grow_with_the_page(world):
    few = _count_queries(reverse("plans"))
    PlanFactory.create_batch(15)
    assert _count_queries(reverse("plans")) == few
    api_few = _count_queries(reverse("api-plans"))
    PlanFactory.create_batch(5)
    assert _count_queries(reverse("api-plans")) == api_few


def test_application_lists_do_not_grow_with_the_page(world):
    from applications import services

    client = world.client_for(world.hr)
    application = world.ready_draft()
    services.application_submit(application=application, actor=world.applicant)
    one = _count_queries(reverse("api-applications"), client)
    for n in range(5):
        user = world.user(f"more{n}", "applicant", world.employer)
        services.application_submit(application=world.ready_draft(user, serial=200 + n), actor=user)
    assert _count_queries(reverse("api-applications"), client) == one


def test_health_checks_the_database(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_schema_and_offline_docs(client):
    assert client.get(reverse("api-schema")).status_code == 200
    docs = client.get(reverse("api-docs")).content.decode()
    assert "cdn" not in docs.lower() and "/static/" in docs
