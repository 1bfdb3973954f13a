"""portal/settings/production.py refuses to start without what a real year needs: here, the public https
address printed into every certificate's QR code. Each case imports the settings in a fresh process
with a controlled environment, as gunicorn would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = "import django; django.setup(); from django.conf import settings; print(settings.PORTAL_BASE_URL)"


def start_production(tmp_path, **variables) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PORTAL_BASE_URL", "DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "PORTAL_VAR_DIR": str(tmp_path),
            "SECRET_KEY": "a-real-secret-for-this-test-only-0123456789",
        }
    )
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_starts_with_an_https_base_url(tmp_path):
    started = start_production(tmp_path, PORTAL_BASE_URL="https://zhicheng.example.gov.cn")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "https://zhicheng.example.gov.cn"


def test_production_refuses_to_start_without_a_base_url(tmp_path):
    refused = start_production(tmp_path)
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr and "PORTAL_BASE_URL" in refused.stderr


@pytest.mark.parametrize(
    "value", ["", "http://zhicheng.example.gov.cn", "zhicheng.example.gov.cn", "https://", "ftp://x.cn"]
)
def test_production_refuses_a_base_url_that_is_not_https(tmp_path, value):
    refused = start_production(tmp_path, PORTAL_BASE_URL=value)
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr and "PORTAL_BASE_URL" in refused.stderr
