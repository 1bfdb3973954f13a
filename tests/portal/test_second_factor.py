"""Every staff role must bind a TOTP authenticator and enter a code after the password before any page
answers; applicants and experts log in with the password alone. Codes are computed here with
django_otp.oath.totp from the device's key, as an authenticator app would; a recovery code works once."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "Gongzuo-2026-mima"


@pytest.fixture
def required(settings):
    settings.PORTAL_REQUIRE_SECOND_FACTOR = True
    return settings


def _login(user) -> Client:
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _code(device: TOTPDevice, shift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=shift):06d}"


def _bind(client, user) -> tuple[TOTPDevice, list[str]]:
    page = client.get(reverse("account_otp_setup"))
    assert page.status_code == 200 and "data:image/svg+xml;base64," in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    shown = re.search(r'class="otp-secret">([A-Z2-7 ]+)<', page.content.decode()).group(1).replace(" ", "")
    assert base64.b32decode(shown) == device.bin_key  # the secret shown is the device's key
    done = client.post(reverse("account_otp_setup"), {"code": _code(device), "next": "/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    return TOTPDevice.objects.get(pk=device.pk), codes


@pytest.mark.parametrize("role", ["hr", "officer", "clerk", "auditor"])
def test_a_staff_role_reaches_no_page_before_binding_an_authenticator(required, world, role):
    user = getattr(world, role)
    client = _login(user)
    for name in ("home", "notifications", "account_security"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_otp_setup"))
    api = client.get(reverse("api-archive"))
    assert api.status_code == 403 and "双因素认证" in api.json()["detail"]


def test_applicants_and_experts_log_in_with_the_password_alone(required, world):
    client = _login(world.applicant)
    assert client.get(reverse("applications:dashboard")).status_code == 200
    assert client.get(reverse("notifications")).status_code == 200


def test_binding_then_a_code_at_each_login(required, world):
    client = _login(world.hr)
    device, _codes = _bind(client, world.hr)
    assert device.confirmed
    # The binding session is verified: the work queue opens.
    assert client.get(reverse("notifications")).status_code == 200

    again = _login(world.hr)
    blocked = again.get(reverse("notifications"))
    assert blocked["Location"].startswith(reverse("account_otp_verify"))
    wrong = again.post(
        reverse("account_otp_verify"), {"code": "000000" if _code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    assert again.get(reverse("notifications")).status_code == 302
    time.sleep(1.1)  # a failed code makes the device wait a second before the next try
    # The next time step's code (the binding used this step's; a code is accepted once).
    ok = again.post(
        reverse("account_otp_verify"), {"code": _code(device, 1), "next": reverse("notifications")}
    )
    assert ok.status_code == 302 and ok["Location"] == reverse("notifications")
    assert again.get(reverse("notifications")).status_code == 200


def test_a_wrong_code_does_not_bind(required, world):
    client = _login(world.officer)
    client.get(reverse("account_otp_setup"))
    device = TOTPDevice.objects.get(user=world.officer)
    wrong = _code(device, shift=40)  # twenty minutes off: outside any tolerance
    response = client.post(reverse("account_otp_setup"), {"code": wrong})
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=world.officer, confirmed=True).exists()
    assert client.get(reverse("notifications")).status_code == 302


def test_a_recovery_code_works_once(required, world):
    client = _login(world.clerk)
    _device, codes = _bind(client, world.clerk)

    first = _login(world.clerk)
    assert first.post(reverse("account_otp_verify"), {"code": codes[0]}).status_code == 302
    assert first.get(reverse("notifications")).status_code == 200

    second = _login(world.clerk)
    refused = second.post(reverse("account_otp_verify"), {"code": codes[0]})
    assert refused.status_code == 400
    assert second.get(reverse("notifications")).status_code == 302
    time.sleep(1.1)  # the refusal makes the devices wait a second before the next try
    assert second.post(reverse("account_otp_verify"), {"code": codes[1]}).status_code == 302


def test_an_unverified_session_cannot_rebind_the_authenticator(required, world):
    client = _login(world.auditor)
    device, _codes = _bind(client, world.auditor)
    thief = _login(world.auditor)  # knows the password, not the phone
    response = thief.get(reverse("account_otp_setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_otp_verify"))
    assert list(TOTPDevice.objects.filter(user=world.auditor)) == [device]


def test_a_staff_token_needs_the_code(required, world):
    client = _login(world.hr)
    device, _codes = _bind(client, world.hr)
    url = reverse("api-token")
    without = Client().post(url, {"username": "hr", "password": PASSWORD}, content_type="application/json")
    assert without.status_code == 400 and "otp" in without.json()["errors"]
    time.sleep(1.1)  # the refusal makes the device wait a second before the next try
    with_code = Client().post(
        url,
        {"username": "hr", "password": PASSWORD, "otp": _code(device, 1)},
        content_type="application/json",
    )
    assert with_code.status_code == 200 and with_code.json()["token"]
