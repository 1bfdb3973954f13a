"""Repeated failed logins lock the account and the address (django-axes), even against the right password,
until the cool-off passes or a security administrator unlocks; the client address behind a trusted proxy
is the forwarded one, and a forwarded header from anyone else changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests import factories

PASSWORD = "Gongzuo-2026-mima"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/8"]
    return settings


def _user(username="zhangsan"):
    user = factories.UserFactory(username=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(username, password, **extra):
    return Client(**extra).post(reverse("login"), {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(axes_on, db):
    _user()
    for _attempt in range(4):
        assert _login("zhangsan", "wrong-password-1").status_code == 200  # the form again, with an error
    locked = _login("zhangsan", "wrong-password-1")
    assert locked.status_code == 429
    assert "已被暂时锁定" in locked.content.decode() and "30 分钟后再试" in locked.content.decode()
    # The right password from another address is refused too: the account itself is locked.
    right = _login("zhangsan", PASSWORD, REMOTE_ADDR="192.0.2.9")
    assert right.status_code == 429 and "_auth_user_id" not in right.wsgi_request.session


def test_the_lock_ends_after_the_cool_off(axes_on, db):
    _user()
    for _attempt in range(5):
        _login("zhangsan", "wrong-password-1")
    assert _login("zhangsan", PASSWORD).status_code == 429
    # Thirty-one minutes later (the attempts' stored times moved back, as the database would hold them).
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= dt.timedelta(minutes=31)
        attempt.save()
    assert _login("zhangsan", PASSWORD).status_code == 302


def test_a_security_administrator_unlocks_the_account(axes_on, db):
    _user()
    admin = factories.UserFactory(username="anquan", is_staff=True, is_superuser=True)
    for _attempt in range(5):
        _login("zhangsan", "wrong-password-1")
    assert _login("zhangsan", PASSWORD).status_code == 429
    staff = Client()
    staff.force_login(admin)
    target = get_user_model().objects.get(username="zhangsan")
    response = staff.post(
        reverse("admin:auth_user_changelist"), {"action": "unlock", "_selected_action": [target.pk]}
    )
    assert response.status_code == 302
    assert _login("zhangsan", PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_locked(axes_on, db):
    for n in range(6):
        _user(f"user{n}")
    for n in range(5):
        _login(f"user{n}", "wrong-password-1", REMOTE_ADDR="198.51.100.7")
    # A sixth account, with its right password, from the same address: the address is locked.
    assert _login("user5", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 429
    # From another address the same account logs in.
    assert _login("user5", PASSWORD, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_behind_a_trusted_proxy_each_client_has_its_own_count(axes_on, db):
    for n in range(6):
        _user(f"user{n}")
    via_proxy = {"REMOTE_ADDR": "10.1.2.3"}
    for n in range(5):
        _login(f"user{n}", "wrong-password-1", HTTP_X_FORWARDED_FOR="203.0.113.5", **via_proxy)
    assert _login("user5", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", **via_proxy).status_code == 429
    # Another client behind the same proxy is not locked with it.
    assert _login("user5", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6", **via_proxy).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_a_forwarded_header_from_an_untrusted_peer_does_not_escape_the_lock(axes_on, db):
    for n in range(6):
        _user(f"user{n}")
    for n in range(5):
        _login(
            f"user{n}", "wrong-password-1", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        )
    spoofed = _login("user5", PASSWORD, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert spoofed.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_the_token_endpoint_counts_failures_and_answers_the_lock_in_chinese(axes_on, db):
    _user()
    url = reverse("api-token")
    for _attempt in range(4):
        bad = Client().post(
            url, {"username": "zhangsan", "password": "nope"}, content_type="application/json"
        )
        assert bad.status_code == 400
    Client().post(url, {"username": "zhangsan", "password": "nope"}, content_type="application/json")
    locked = Client().post(
        url, {"username": "zhangsan", "password": PASSWORD}, content_type="application/json"
    )
    assert locked.status_code == 429 and "锁定" in locked.json()["detail"]


def test_the_token_endpoint_is_throttled_per_address(settings, db):
    cache.clear()
    settings.PORTAL_API_TOKEN_RATE = "3/min"
    url = reverse("api-token")
    answers = [
        Client().post(url, {"username": "x", "password": "y"}, content_type="application/json").status_code
        for _attempt in range(4)
    ]
    assert answers == [400, 400, 400, 429]
    cache.clear()
