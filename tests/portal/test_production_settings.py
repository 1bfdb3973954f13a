"""portal/settings/production.py refuses to start without what a real year needs: PostgreSQL, Redis, a strong
secret key of its own, the public https address printed into every certificate's QR code, the signing-key
passphrase and a real mail server; with them, `check --deploy` finds nothing to warn about. Each case
imports the settings in a fresh process with a controlled environment, as gunicorn would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = "import django; django.setup(); from django.conf import settings; print(settings.PORTAL_BASE_URL)"
VALID = {
    "DATABASE_URL": "postgres://portal:secret@db.internal:5432/portal",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "SECRET_KEY": "k3Jx-9qLw_T2vB7nR5mZ0pYc8sD4fG6hA1eU-oIiVtXyWzQrNbMlKjHg",
    "PORTAL_BASE_URL": "https://zhicheng.example.gov.cn",
    "CERTIFICATE_KEY_PASSPHRASE": "a passphrase kept in the vault",
    "EMAIL_HOST": "smtp.example.gov.cn",
    "PORTAL_TRUSTED_PROXIES": "10.0.0.0/8",
}
# DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests in this process; a deployment never has it.
CLEARED = {*VALID, "EMAIL_BACKEND", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def production_env(tmp_path, **variables) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(
        {**VALID, "DJANGO_SETTINGS_MODULE": "portal.settings.production", "PORTAL_VAR_DIR": str(tmp_path)}
    )
    env.update(variables)
    return {key: value for key, value in env.items() if value is not None}


def start_production(tmp_path, **variables) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=production_env(tmp_path, **variables),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_starts_with_an_https_base_url(tmp_path):
    started = start_production(tmp_path, PORTAL_BASE_URL="https://zhicheng.example.gov.cn")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "https://zhicheng.example.gov.cn"


def test_production_refuses_to_start_without_a_base_url(tmp_path):
    refused = start_production(tmp_path, PORTAL_BASE_URL=None)
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr and "PORTAL_BASE_URL" in refused.stderr


@pytest.mark.parametrize(
    "value", ["", "http://zhicheng.example.gov.cn", "zhicheng.example.gov.cn", "https://", "ftp://x.cn"]
)
def test_production_refuses_a_base_url_that_is_not_https(tmp_path, value):
    refused = start_production(tmp_path, PORTAL_BASE_URL=value)
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr and "PORTAL_BASE_URL" in refused.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SECRET_KEY", None),
        ("SECRET_KEY", "change-me-in-production"),  # docker-compose.yml's old default
        ("SECRET_KEY", "insecure-demo-key-set-SECRET_KEY-in-production-0123456789"),
        ("SECRET_KEY", "a-real-secret-for-this-test-only-0123456789"),  # 43 characters
        ("DATABASE_URL", None),
        ("DATABASE_URL", "sqlite:////tmp/portal.sqlite3"),
        ("REDIS_URL", None),
        ("REDIS_URL", "memory://"),
        ("CERTIFICATE_KEY_PASSPHRASE", None),
        ("CERTIFICATE_KEY_PASSPHRASE", "   "),
        ("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
        ("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"),
        ("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend"),
        ("EMAIL_HOST", None),
    ],
)
def test_production_refuses_to_start_without_what_a_real_year_needs(tmp_path, variable, value):
    refused = start_production(tmp_path, **{variable: value})
    assert refused.returncode != 0
    named = "EMAIL_BACKEND" if variable == "EMAIL_BACKEND" else variable
    assert "ImproperlyConfigured" in refused.stderr and named in refused.stderr


def test_check_deploy_finds_nothing_to_warn_about(tmp_path):
    checked = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no issues" in checked.stdout


def test_the_web_server_and_the_worker_load_the_production_settings(tmp_path):
    script = (
        "import portal.wsgi, portal.celery; from django.conf import settings; "
        "print(settings.SETTINGS_MODULE, settings.SECURE_SSL_REDIRECT, settings.PORTAL_REQUIRE_SECOND_FACTOR)"
    )
    env = production_env(tmp_path)
    env.pop("DJANGO_SETTINGS_MODULE")
    started = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert started.stdout.split() == ["portal.settings.production", "True", "True"], started.stderr
