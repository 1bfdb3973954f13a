"""The year runs by itself in the set-up the README gives: `manage.py serve` (web, worker, beat on the
embedded SQLite and filesystem broker) with the demo loaded one minute before midnight, and the demo's
short employer publicity ends on its own — HR sees the applications move on in the browser, with
nothing started by hand and no shell."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from demo.tables import DEMO_PASSWORD
from tests.portal.test_serve import ROOT, Served, _env, _free_port, _migrated_database

from .conftest import ARTIFACTS, Actor

pytestmark = pytest.mark.e2e

BEIJING = dt.timezone(dt.timedelta(hours=8))
FIND = (
    "from applications.models import PublicityNotice\n"
    "from demo.story import SHORT_TITLE\n"
    "from portal.models import Membership, Role\n"
    "notices = PublicityNotice.objects.filter(title=SHORT_TITLE, status=PublicityNotice.Status.OPEN)\n"
    "n = notices.order_by('ends_at', 'pk').first()\n"
    "hr = Membership.objects.filter(organisation=n.publisher, role=Role.HR).order_by('pk').first()\n"
    "print('JOURNEY', hr.user.username, *[e.public_fields['name'] for e in n.entries.all()])\n"
)


def _manage(var_dir, *args) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(var_dir),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_a_publicity_ends_by_itself_under_serve(browser, tmp_path, monkeypatch):
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    _migrated_database(var_dir)
    # One minute before midnight on the demo clock: the short publicity ends at 24:00.
    today = dt.datetime.now(BEIJING).date()
    loaded = _manage(var_dir, "load_demo", "--now", f"{today:%Y-%m-%d}T23:59")
    assert "自动结束" in loaded
    found = next(
        line for line in _manage(var_dir, "shell", "-c", FIND).splitlines() if line.startswith("JOURNEY")
    )
    _, hr, *names = found.split()
    assert names

    monkeypatch.setenv("PORTAL_PUBLICITY_SWEEP_SECONDS", "5")
    served = Served(var_dir, _free_port())
    try:
        served.wait_for(lambda: len(served.pids()) == 3, "three children")
        served.wait_for(lambda: (b := served.health()) and b["status"] == "ok", "a healthy portal")
        actor = Actor(browser, f"http://127.0.0.1:{served.port}", ARTIFACTS / "serve_journey", hr)
        try:
            actor.login(hr, DEMO_PASSWORD)
            assert "演示" in actor.page.inner_text("body")  # the demo clock's banner

            def moved_on() -> bool:
                actor.goto("/audit/?role=hr&state=employer_publicity_done")
                body = actor.page.inner_text("body")
                return all(name in body for name in names)

            served.wait_for(moved_on, "the publicity to end and the sweep to move its applications")
            actor.shot("publicity-ended-by-itself")
            actor.goto("/audit/?role=hr&state=employer_publicity")
            assert not any(name in actor.page.inner_text("body") for name in names)
        finally:
            actor.close()
    finally:
        served.stop()
