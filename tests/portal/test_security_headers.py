"""Under the production settings every page carries HSTS, a Content-Security-Policy without inline script,
and the other security headers, and its cookies are Secure and HttpOnly; the client address comes from
X-Forwarded-For only when the direct peer is a trusted proxy.

The production values are read from portal.settings.production in a fresh process (it needs the
production environment) and applied here, to pages served from the test database."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from portal.client_ip import client_ip
from tests import factories
from tests.portal.test_production_settings import ROOT, production_env

SECURITY_SETTINGS = [
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_NAME",
    "X_FRAME_OPTIONS",
]


@pytest.fixture(scope="module")
def production_values(tmp_path_factory):
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {SECURITY_SETTINGS!r}}}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=production_env(tmp_path_factory.mktemp("var")),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def production(settings, production_values):
    for name, value in production_values.items():
        setattr(settings, name, tuple(value) if name == "SECURE_PROXY_SSL_HEADER" else value)
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/8"]
    return settings


def test_plain_http_is_redirected_to_https(production, db):
    response = Client().get(reverse("plans"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    # Behind the proxy, its X-Forwarded-Proto says the client came over https.
    via_proxy = Client().get(reverse("plans"), HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="10.0.0.2")
    assert via_proxy.status_code == 200


def test_every_security_header_is_on_a_page(production, world):
    client = Client()
    client.force_login(world.applicant)
    response = client.get(reverse("notifications"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_cookies_are_secure_and_http_only(production, db):
    client = Client()
    page = client.get(reverse("login"), secure=True)
    csrf = page.cookies["__Secure-csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    user_data = {"username": "nobody", "password": "x"}
    client.post(reverse("login"), user_data, secure=True)  # refused; no session yet
    user = factories.UserFactory(username="zhangsan")
    logged = client.post(reverse("login"), {"username": "zhangsan", "password": "pass12345"}, secure=True)
    assert logged.status_code == 302 and user.pk
    session = logged.cookies["__Secure-sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_no_template_has_inline_script_or_event_handlers():
    """The policy refuses inline script; no page may depend on it."""
    offending = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=", text, re.IGNORECASE):
            offending.append(f"{path.relative_to(ROOT)}: {match.group(0).strip()}")
    assert not offending, "\n".join(offending)


def test_the_api_reference_runs_without_inline_script(production, db):
    response = Client().get(reverse("api-docs"), secure=True)
    page = response.content.decode()
    assert response.status_code == 200 and "redoc-init.js" in page
    assert "script-src 'self';" in response["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\b(src=|type=\"application/json\"))[^>]*>", page)


# ---------------------------------------------------------------- the client address


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("198.51.100.7", "", "198.51.100.7"),
        ("198.51.100.7", "203.0.113.5", "198.51.100.7"),  # an untrusted peer's header is ignored
        ("10.0.0.2", "203.0.113.5", "203.0.113.5"),  # from the trusted proxy it is used
        ("10.0.0.2", "1.2.3.4, 203.0.113.5", "203.0.113.5"),  # a client-made left part is not believed
        ("10.0.0.2", "203.0.113.5, 10.9.9.9", "203.0.113.5"),  # a second trusted hop is skipped
        ("10.0.0.2", "", "10.0.0.2"),
        ("10.0.0.2", "not-an-address", "10.0.0.2"),
        ("10.0.0.2", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip(settings, peer, forwarded, expected):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.0/8"]
    extra = {"REMOTE_ADDR": peer}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(RequestFactory().get("/", **extra)) == expected


def test_without_trusted_proxies_the_header_is_never_used(settings):
    settings.PORTAL_TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(request) == "10.0.0.2"
