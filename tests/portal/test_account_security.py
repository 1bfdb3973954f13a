"""The password policy on every form that sets a password, the idle timeout, API tokens that expire and
can be revoked, and logging out everywhere."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from portal.identity import LAST_SEEN
from portal.models import LoginSession, PasswordHistory
from tests import factories

PASSWORD = "Gongzuo-2026-mima"


def _signup(client, username, password):
    data = {"username": username, "full_name": "王小明", "email": f"{username}@example.cn"}
    return client.post(reverse("signup"), {**data, "password1": password, "password2": password})


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1-short", "密码长度太短"),  # 9 characters
        ("alllowercaseletters", "至少包含小写字母、大写字母、数字、符号中的 3 类"),
        ("lowercase2026only", "至少包含小写字母、大写字母、数字、符号中的 3 类"),
        ("Wangxiaoming-2026", "太相似"),
    ],
)
def test_signup_refuses_a_weak_password_in_chinese(db, password, message):
    response = _signup(Client(), "wangxiaoming", password)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="wangxiaoming").exists()


def test_signup_accepts_a_password_that_meets_the_policy(db):
    response = _signup(Client(), "wangxiaoming", "Qiantang#2026")
    assert response.status_code == 302, response.context["form"].errors
    user = get_user_model().objects.get(username="wangxiaoming")
    assert PasswordHistory.objects.filter(user=user).count() == 1


def test_the_password_change_refuses_the_last_five_passwords(db):
    user = factories.UserFactory(username="lisi")
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    client.force_login(user)
    current = PASSWORD
    used = [PASSWORD]
    for n in range(5):
        new = f"Xinmima-{n}-2026#"
        response = client.post(
            reverse("account_password"),
            {"old_password": current, "new_password1": new, "new_password2": new},
        )
        assert response.status_code == 302, response.content.decode()
        current = new
        used.append(new)
    # The last five (the current one included) are refused; the sixth back is allowed again.
    for old in used[-5:]:
        response = client.post(
            reverse("account_password"), {"old_password": current, "new_password1": old, "new_password2": old}
        )
        assert response.status_code == 200 and "最近使用过的 5 个密码" in response.content.decode()
    assert PasswordHistory.objects.filter(user=user).count() == 5
    response = client.post(
        reverse("account_password"),
        {"old_password": current, "new_password1": used[0], "new_password2": used[0]},
    )
    assert response.status_code == 302


def test_the_password_change_applies_the_strength_rules(db):
    user = factories.UserFactory(username="lisi")
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("account_password"),
        {"old_password": PASSWORD, "new_password1": "abcdefghijk", "new_password2": "abcdefghijk"},
    )
    assert response.status_code == 200 and "至少包含" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_an_idle_session_is_logged_out(world, settings):
    settings.PORTAL_IDLE_TIMEOUT_SECONDS = 30 * 60
    client = Client()
    client.force_login(world.applicant)
    assert client.get(reverse("notifications")).status_code == 200
    session = client.session
    session[LAST_SEEN] -= 29 * 60  # 29 minutes without a request: still in
    session.save()
    assert client.get(reverse("notifications")).status_code == 200
    session = client.session
    session[LAST_SEEN] -= 31 * 60
    session.save()
    response = client.get(reverse("notifications"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # Logged out for good, not only redirected once.
    assert client.get(reverse("notifications"))["Location"].startswith(reverse("login"))


def _token(username="applicant", password="pass12345") -> str:
    response = Client().post(
        reverse("api-token"), {"username": username, "password": password}, content_type="application/json"
    )
    assert response.status_code == 200
    return response.json()["token"]


def _api(token):
    return Client().get(reverse("api-archive"), HTTP_AUTHORIZATION=f"Token {token}")


def test_an_expired_token_is_refused_with_401(world, settings):
    settings.PORTAL_API_TOKEN_TTL_SECONDS = 8 * 3600
    token = _token()
    assert _api(token).status_code == 200
    Token.objects.filter(key=token).update(
        created=Token.objects.get(key=token).created - dt.timedelta(hours=7)
    )
    assert _api(token).status_code == 200
    Token.objects.filter(key=token).update(
        created=Token.objects.get(key=token).created - dt.timedelta(hours=2)
    )
    expired = _api(token)
    assert expired.status_code == 401 and "过期" in expired.json()["detail"]
    # A new request issues a new token.
    assert _token() != token


def test_a_revoked_token_is_refused_with_401(world):
    token = _token()
    client = Client()
    client.force_login(world.applicant)
    page = client.get(reverse("account_security")).content.decode()
    assert "作废令牌" in page
    assert client.post(reverse("account_token_revoke")).status_code == 302
    assert _api(token).status_code == 401


def test_logout_everywhere_ends_every_session_and_the_token(world):
    phone, desktop, other = Client(), Client(), Client()
    for client in (phone, desktop):
        assert (
            client.post(reverse("login"), {"username": "applicant", "password": "pass12345"}).status_code
            == 302
        )
    other.post(reverse("login"), {"username": "applicant2", "password": "pass12345"})
    token = _token()
    assert LoginSession.objects.filter(user=world.applicant).count() == 2
    response = phone.post(reverse("account_logout_all"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    for client in (phone, desktop):
        assert client.get(reverse("notifications"))["Location"].startswith(reverse("login"))
    assert _api(token).status_code == 401
    assert not LoginSession.objects.filter(user=world.applicant).exists()
    # Another user's session is untouched.
    assert other.get(reverse("notifications")).status_code == 200
