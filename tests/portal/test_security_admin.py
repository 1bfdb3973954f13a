"""The security log records who changed what from where (passwords, second factors, roles, admin-site
changes, exports of personal data), keeps it for the retention period and no shorter; three separated
administrators (三权分立) cannot do each other's job; the audit administrator reads and exports the log."""

from __future__ import annotations

import datetime as dt
import io
from itertools import combinations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from portal import admin_roles, clock
from portal.models import Membership, Role, SecurityEvent
from portal.tasks import sweep_security_log

pytestmark = pytest.mark.django_db
ADDRESS = "198.51.100.77"


def _staff(username: str, group: str) -> Client:
    admin_roles.admin_roles_install()
    user = User.objects.create_user(username=username, password="Aa1!aaaaaaaa", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(user)
    return client


def _events(kind):
    return list(SecurityEvent.objects.filter(kind=kind).order_by("id"))


def test_the_three_administrators_hold_no_permission_in_common():
    admin_roles.admin_roles_install()
    groups = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert all(groups[name] for name in (admin_roles.SYSTEM, admin_roles.SECURITY, admin_roles.AUDIT))
    for a, b in combinations((admin_roles.SYSTEM, admin_roles.SECURITY, admin_roles.AUDIT), 2):
        assert not groups[a] & groups[b], (a, b)
    admin_roles.admin_roles_install()  # idempotent
    assert Group.objects.filter(name__in=list(groups)).count() == 3


@pytest.mark.parametrize(
    "group, allowed, refused",
    [
        (
            admin_roles.SYSTEM,
            ["/admin/portal/reviewplan/"],
            [
                "/admin/auth/user/",
                "/admin/portal/membership/",
                "/security/log/",
                "/admin/portal/securityevent/",
            ],
        ),
        (
            admin_roles.SECURITY,
            ["/admin/auth/user/", "/admin/portal/membership/"],
            ["/admin/portal/reviewplan/", "/security/log/", "/admin/portal/securityevent/"],
        ),
        (
            admin_roles.AUDIT,
            ["/security/log/", "/security/log/export/", "/admin/portal/securityevent/"],
            ["/admin/auth/user/", "/admin/portal/membership/", "/admin/portal/reviewplan/"],
        ),
    ],
)
def test_each_administrator_does_their_own_job_only(group, allowed, refused):
    client = _staff("admin-" + str(abs(hash(group)) % 1000), group)
    for url in allowed:
        assert client.get(url).status_code == 200, url
    for url in refused:
        assert client.get(url).status_code == 403, url


def test_a_security_administrators_role_change_is_logged_with_who_and_where(world):
    client = _staff("secadmin", admin_roles.SECURITY)
    target = User.objects.create_user(username="new-hr")
    response = client.post(
        "/admin/portal/membership/add/",
        {"user": target.pk, "organisation": world.employer.pk, "role": Role.HR, "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.filter(user=target, role=Role.HR).exists()
    role = _events(SecurityEvent.Kind.ROLE_CHANGED)[-1]
    admin_change = _events(SecurityEvent.Kind.ADMIN_CHANGE)[-1]
    for event in (role, admin_change):
        assert event.username == "secadmin" and event.ip == ADDRESS
    assert "new-hr" in role.detail and "授予" in role.detail


def test_password_second_factor_and_export_are_logged(world):
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(world.hr)
    response = client.post(
        reverse("account_password"),
        {"old_password": "pass12345", "new_password1": "Zq8#mv2Lp0xw", "new_password2": "Zq8#mv2Lp0xw"},
    )
    assert response.status_code in (200, 302)
    changed = _events(SecurityEvent.Kind.PASSWORD_CHANGED)
    assert changed and changed[-1].username == world.hr.username and changed[-1].ip == ADDRESS
    TOTPDevice.objects.create(user=world.hr, name="手机", confirmed=True)
    assert "动态口令" in _events(SecurityEvent.Kind.SECOND_FACTOR)[-1].detail
    world.submitted()
    world.hr.refresh_from_db()  # the new password ended the old sessions
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(world.hr)
    assert client.get(reverse("applications:audit_export") + "?role=hr").status_code == 200
    export = _events(SecurityEvent.Kind.EXPORT)[-1]
    assert export.username == world.hr.username and export.ip == ADDRESS


def test_the_audit_administrator_reads_and_exports_and_that_is_logged_too(world):
    client = _staff("auditadmin", admin_roles.AUDIT)
    Client().post(reverse("login"), {"username": "nobody", "password": "wrong"})
    page = client.get(reverse("security_log") + "?kind=login_failed").content.decode()
    assert "登录失败" in page and "nobody" in page
    assert "安全日志" in client.get(reverse("home"), follow=True).content.decode()  # in the menu
    book = load_workbook(io.BytesIO(client.get(reverse("security_log_export")).content))
    values = [[c.value for c in row] for row in book.active.iter_rows()]
    assert values[0][:3] == ["时间", "事件", "用户名"] and any("nobody" in row for row in values)
    viewed = _events(SecurityEvent.Kind.VIEW_LOG)
    assert {e.detail for e in viewed} >= {"查阅安全日志", "导出安全日志"}
    assert all(e.username == "auditadmin" for e in viewed)


def test_the_log_is_append_only_and_kept_for_the_retention_period_not_less(settings, monkeypatch):
    event = SecurityEvent.objects.create(kind=SecurityEvent.Kind.LOGIN, username="x", succeeded=True)
    with pytest.raises(ValueError):
        event.delete()
    event.detail = "changed"
    with pytest.raises(ValueError):
        event.save()
    now = clock.now()
    for days in (100, 179, 200, 400):
        SecurityEvent.objects.create(
            kind=SecurityEvent.Kind.LOGIN,
            username=f"d{days}",
            succeeded=True,
            at=now - dt.timedelta(days=days),
        )
    settings.SECURITY_LOG_RETENTION_DAYS = 30  # below the floor: six months are kept anyway
    assert sweep_security_log() == 2
    left = set(SecurityEvent.objects.values_list("username", flat=True))
    assert {"d100", "d179", "x"} <= left and not {"d200", "d400"} & left


def test_a_save_that_changes_no_role_is_not_logged(world):
    membership = Membership.objects.get(user=world.hr)
    before = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ROLE_CHANGED).count()
    membership.save()
    Membership.objects.update_or_create(
        user=world.hr,
        organisation=membership.organisation,
        defaults={"role": membership.role, "is_active": True},
    )
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ROLE_CHANGED).count() == before
    membership.is_active = False
    membership.save()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ROLE_CHANGED).count() == before + 1
