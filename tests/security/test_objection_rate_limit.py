"""The public objection API's rate limit counts per client address: a varied User-Agent does not reset
it, and requests arriving at once cannot all pass (one atomic counter). The sender's fingerprint kept
with an objection is keyed with the server's secret, so that the database alone cannot give the address
back."""

from __future__ import annotations

import hashlib
import threading

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse

from applications.models import Objection
from applications.objection_limits import OBJECTIONS_PER_HOUR, fingerprint

REASON = "所报项目并非本人主持，项目验收报告中无其姓名，请核实。"


def _post(notice, entry, *, address="203.0.113.7", agent="Mozilla/5.0"):
    return Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent).post(
        reverse("api-objection-create", args=[notice.pk]),
        {"entry": entry.pk, "name": "王某", "contact": "13800000000", "reason": REASON},
        content_type="application/json",
    )


def _notice(world):
    notice = world.publicised([world.submitted()])
    return notice, notice.entries.get()


@pytest.mark.django_db
def test_a_varied_user_agent_does_not_reset_the_limit(world):
    notice, entry = _notice(world)
    codes = [_post(notice, entry, agent=f"Agent/{i}").status_code for i in range(12)]
    assert codes == [201] * OBJECTIONS_PER_HOUR + [429] * (12 - OBJECTIONS_PER_HOUR)
    assert Objection.objects.count() == OBJECTIONS_PER_HOUR
    assert _post(notice, entry, address="203.0.113.8").status_code == 201  # another client


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="concurrent writers need PostgreSQL: the in-memory SQLite test database locks its tables",
)
def test_twenty_requests_at_once_pass_only_up_to_the_limit(world):
    notice, entry = _notice(world)
    n = 20
    barrier = threading.Barrier(n)
    codes: list[int] = []
    lock = threading.Lock()

    def sender(i):
        try:
            barrier.wait()
            code = _post(notice, entry, agent=f"Agent/{i}").status_code
            with lock:
                codes.append(code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [201] * OBJECTIONS_PER_HOUR + [429] * (n - OBJECTIONS_PER_HOUR)
    assert Objection.objects.count() == OBJECTIONS_PER_HOUR


@pytest.mark.django_db
def test_the_stored_fingerprint_is_keyed_with_the_server_secret(world, settings):
    notice, entry = _notice(world)
    assert _post(notice, entry, address="198.51.100.23", agent="Mozilla/5.0").status_code == 201
    stored = Objection.objects.get().client_fingerprint
    # What an insider with the database could compute by trying every address: not what is stored.
    assert stored and stored != hashlib.sha256(b"198.51.100.23|Mozilla/5.0").hexdigest()
    assert stored == fingerprint("198.51.100.23", "Mozilla/5.0")
    settings.SECRET_KEY = "another-secret-" + "x" * 40
    settings.PORTAL_INTEGRITY_SECRET = ""
    assert fingerprint("198.51.100.23", "Mozilla/5.0") != stored
