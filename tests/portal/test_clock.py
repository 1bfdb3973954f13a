"""The demo-only clock offset: every process computes now = real now + offset from one file."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from portal import clock

ROOT = Path(__file__).resolve().parents[2]
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
DEMO_START = dt.datetime(2026, 9, 1, 9, 0, tzinfo=SHANGHAI)


def test_without_an_offset_now_is_the_real_time(demo_clock_file, real):
    assert clock.demo_clock() is None
    assert clock.now() == real.at


def test_an_offset_shifts_now_and_time_keeps_flowing(demo_clock_file, real):
    clock.demo_clock_set(DEMO_START)
    assert clock.now() == DEMO_START
    assert clock.today() == dt.date(2026, 9, 1)

    real.at += dt.timedelta(hours=3, minutes=5)
    assert clock.now() == DEMO_START + dt.timedelta(hours=3, minutes=5)
    assert clock.stamp() == clock.now()


def test_another_process_sees_the_offset_from_the_file(demo_clock_file):
    clock.demo_clock_set(DEMO_START)
    script = "from portal import clock; print(clock.now().isoformat())"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        "PORTAL_VAR_DIR": str(demo_clock_file.parent),
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    seen = dt.datetime.fromisoformat(result.stdout.split()[-1])
    assert DEMO_START <= seen < DEMO_START + dt.timedelta(minutes=5)


def test_the_offset_is_read_again_after_a_short_while(demo_clock_file, real, monkeypatch):
    ticks = iter([100.0, 100.5, 103.0])
    monkeypatch.setattr(clock, "monotonic", lambda: next(ticks))
    assert clock.demo_offset() == dt.timedelta(0)  # read at 100.0
    clock.demo_clock_set(DEMO_START)  # written by another process: this one's cache is not reset
    monkeypatch.setattr(clock, "_cached", (100.0, demo_clock_file, None))
    assert clock.demo_offset() == dt.timedelta(0)  # 100.5: still the cached value
    assert clock.demo_offset() == DEMO_START - real.at  # 103.0: read again


def test_a_damaged_file_stops_rather_than_running_on_the_real_time(demo_clock_file):
    demo_clock_file.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="演示时钟文件"):
        clock.now()


def test_every_page_shows_the_banner_while_an_offset_is_active(demo_clock_file, db):
    assert "演示时钟" not in Client().get(reverse("plans")).content.decode()

    clock.demo_clock_set(DEMO_START)
    page = Client().get(reverse("plans")).content.decode()
    assert "演示时钟：本站按演示时间运行，现在是 2026年9月1日 09:00" in page


def test_production_settings_refuse_to_start_with_an_offset(tmp_path):
    (tmp_path / "demo-clock.json").write_text("{}", encoding="utf-8")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "PORTAL_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "k3Jx-9qLw_T2vB7nR5mZ0pYc8sD4fG6hA1eU-oIiVtXyWzQrNbMlKjHg",
        "DATABASE_URL": "postgres://portal@db.internal/portal",
        "REDIS_URL": "redis://redis.internal:6379/0",
        "CERTIFICATE_KEY_PASSPHRASE": "a passphrase kept in the vault",
        "EMAIL_HOST": "smtp.example.gov.cn",
        "PORTAL_BASE_URL": "https://zhicheng.example.gov.cn",
    }
    script = "import django; django.setup(); print('started')"
    refused = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert refused.returncode != 0 and "demo clock offset is configured" in refused.stderr

    (tmp_path / "demo-clock.json").unlink()
    started = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert started.stdout.strip() == "started", started.stderr
