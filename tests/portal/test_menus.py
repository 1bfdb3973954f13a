"""Each role's menu reaches the pages of its job, every item opens for that role, and staff land on
their own work queue."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.menus import APPLICANT_MENU, MENUS
from portal.models import Role

pytestmark = pytest.mark.django_db


def _personas(world):
    expert = world.user("expert", Role.EXPERT, world.committee)
    return {
        Role.APPLICANT: world.applicant,
        Role.HR: world.hr,
        Role.OFFICER: world.officer,
        Role.CLERK: world.clerk,
        Role.AUDITOR: world.auditor,
        Role.EXPERT: expert,
    }


@pytest.mark.parametrize(
    "role", [Role.APPLICANT, Role.HR, Role.OFFICER, Role.CLERK, Role.AUDITOR, Role.EXPERT]
)
def test_every_item_of_a_roles_menu_opens_for_that_role(world, role):
    user = _personas(world)[role]
    client = world.client_for(user)
    page = client.get(reverse("notifications"))
    items = [*MENUS.get(role, ()), *APPLICANT_MENU]
    for item in items:
        assert f'href="{item.url}"' in page.content.decode(), item.label
        response = client.get(item.url)
        assert response.status_code == 200, f"{role}: {item.label} {item.url} -> {response.status_code}"


def test_a_role_sees_no_other_roles_menu(world):
    page = world.client_for(world.hr).get(reverse("notifications")).content.decode()
    assert reverse("committees:experts") not in page and reverse("certificates:issue") not in page


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (Role.APPLICANT, "applications:dashboard"),
        (Role.HR, "applications:audit_queue"),
        (Role.OFFICER, "applications:audit_queue"),
        (Role.CLERK, "committees:queue"),
        (Role.AUDITOR, "applications:oversight"),
        (Role.EXPERT, "committees:my_meetings"),
    ],
)
def test_after_login_staff_land_on_their_own_work(world, role, landing):
    user = _personas(world)[role]
    response = world.client_for(user).get(reverse("home"))
    assert response.status_code == 302 and response.url.split("?")[0] == reverse(landing)


def test_an_administrator_without_a_role_lands_on_the_admin_site(world):
    admin = User.objects.create_superuser("root", "root@example.cn", "pass12345")
    client = world.client_for(admin)
    assert client.get(reverse("home")).url == reverse("admin:index")
    assert f'href="{reverse("admin:index")}"' in client.get(reverse("notifications")).content.decode()


def test_anonymous_visitors_see_the_public_pages_only(client):
    page = client.get(reverse("certificates:verify")).content.decode()
    assert "role-menu" not in page and reverse("applications:dashboard") not in page


def test_the_menu_costs_the_same_queries_for_one_role_or_many(world):
    many = world.user("many", Role.OFFICER, world.bureau)
    for role, org in (
        (Role.CLERK, world.committee),
        (Role.HR, world.employer),
        (Role.AUDITOR, world.other_bureau),
    ):
        many.memberships.create(organisation=org, role=role)
    one_client, many_client = world.client_for(world.officer), world.client_for(many)
    with CaptureQueriesContext(connection) as one:
        one_client.get(reverse("notifications"))
    with CaptureQueriesContext(connection) as several:
        many_client.get(reverse("notifications"))
    assert len(several.captured_queries) == len(one.captured_queries)
