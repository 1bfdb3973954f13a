"""Each role's menu reaches the pages of its job, every item opens for that role, and staff land on
their own work queue."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import now

from portal import context_processors
from portal.menus import APPLICANT_MENU, MENUS, menu_for
from portal.models import Notification, Role

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


def test_the_security_log_is_in_the_menu_of_exactly_those_has_perm_lets_read_it(world):
    """The menu decides with one EXISTS (on every page, in the statement that counts the unread badge);
    it must agree with has_perm for a permission held directly, through a group, not at all, by a
    superuser, and by an account that is no longer active."""
    perm = Permission.objects.get(content_type__app_label="portal", codename="view_securityevent")
    direct = User.objects.create_user("direct_reader")
    direct.user_permissions.add(perm)
    grouped = User.objects.create_user("group_reader")
    group = Group.objects.create(name="读安全日志")
    group.permissions.add(perm)
    grouped.groups.add(group)
    other_perm = Group.objects.create(name="别的权限")
    other_perm.permissions.add(Permission.objects.get(codename="view_user"))
    stranger = User.objects.create_user("stranger")
    stranger.groups.add(other_perm)
    root = User.objects.create_superuser("root2", password="x")
    gone = User.objects.create_user("gone", is_active=False)
    gone.user_permissions.add(perm)
    expected = {direct: True, grouped: True, stranger: False, world.hr: False, root: True, gone: False}
    for user, reads in expected.items():
        user = User.objects.get(pk=user.pk)  # no permission cache from the set-up
        in_menu = any(item.url_name == "security_log" for s in menu_for(user) for item in s.items)
        request = RequestFactory().get("/")
        request.user = user
        with CaptureQueriesContext(connection) as queries:
            menu = context_processors.portal(request)["nav_menu"]
        on_page = any(item.url_name == "security_log" for s in menu for item in s.items)
        assert in_menu == on_page == user.has_perm("portal.view_securityevent") == reads, user.username
        assert len(queries) == 1  # the badge and the permission together (the roles are read already)


@pytest.mark.parametrize(("unread", "badge"), [(3, "3"), (99, "99"), (100, "99+"), (250, "99+")])
def test_the_unread_badge_counts_to_99_and_costs_the_same_whatever_the_unread(world, unread, badge):
    Notification.objects.bulk_create(Notification(user=world.hr, message=f"通知{n}") for n in range(unread))
    read = (Notification(user=world.hr, message="已读", read_at=now()) for _ in range(5))
    Notification.objects.bulk_create(read)
    client = world.client_for(world.hr)
    client.get(reverse("notifications"))  # the session settles
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("account_security")).content.decode()
    assert f'<span class="badge">{badge}</span>' in page
    counts = [q["sql"] for q in queries.captured_queries if "portal_notification" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 100" in counts[0]
