"""The security log records logins, failed logins, lock-outs and logouts with time, user, client address
and outcome, and neither the application nor the admin can change or delete a row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from portal import security_log
from portal.models import SecurityEvent
from tests import factories

PASSWORD = "Gongzuo-2026-mima"


@pytest.fixture
def zhangsan(db):
    user = factories.UserFactory(username="zhangsan")
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(password, **extra):
    return Client(**extra).post(reverse("login"), {"username": "zhangsan", "password": password})


def test_logins_failures_and_logouts_are_logged_with_the_client_address(settings, zhangsan):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    assert _login("wrong-password", **proxy).status_code == 200
    client = Client(**proxy)
    client.post(reverse("login"), {"username": "zhangsan", "password": PASSWORD})
    client.post(reverse("logout"))
    rows = list(
        SecurityEvent.objects.filter(kind__in=["login", "login_failed", "logout"])
        .order_by("id")
        .values_list("kind", "username", "ip", "succeeded", "user")
    )
    assert rows == [
        ("login_failed", "zhangsan", "203.0.113.5", False, None),
        ("login", "zhangsan", "203.0.113.5", True, zhangsan.pk),
        ("logout", "zhangsan", "203.0.113.5", True, zhangsan.pk),
    ]


def test_a_lock_out_is_logged(settings, zhangsan):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
    for _attempt in range(3):
        _login("wrong-password", REMOTE_ADDR="198.51.100.7")
    assert _login(PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 429
    locked = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKED_OUT)
    assert locked.exists() and {row.ip for row in locked} == {"198.51.100.7"}
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN).exists()


def test_a_name_typed_with_control_characters_is_refused_and_never_logged_raw(db):
    response = Client().post(reverse("login"), {"username": "ad\x1bmin\x07", "password": "x"})
    assert response.status_code in (200, 400)
    assert not SecurityEvent.objects.filter(username__contains="\x1b").exists()
    # Whatever reaches the log is cleaned of control characters.
    security_log.record(SecurityEvent.Kind.LOGIN_FAILED, username="ad\x1bmin\x07", succeeded=False)
    assert SecurityEvent.objects.get(kind="login_failed").username == "admin"


def test_rows_cannot_be_changed_or_deleted(zhangsan):
    _login("wrong-password")
    row = SecurityEvent.objects.get(kind="login_failed")
    row.succeeded = True
    with pytest.raises(ValueError, match="append-only"):
        row.save()
    with pytest.raises(ValueError, match="append-only"):
        row.delete()
    admin = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    assert client.get(reverse("admin:portal_securityevent_changelist")).status_code == 200
    assert client.get(reverse("admin:portal_securityevent_delete", args=[row.pk])).status_code == 403
    response = client.post(
        reverse("admin:portal_securityevent_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert SecurityEvent.objects.filter(pk=row.pk).exists() and response.status_code in (200, 302)
