"""Redis stopped for 30 s (a redis-server of the test's own, the broker and cache of the test and of its
worker) while an applicant saves an archive and submits, HR returns one application and recommends
another and the bureau approves a result filing: every request answers success, and once Redis is back
and the sweeps have run every e-mail, notice and certificate that the actions owe exists, once."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

import pytest
from django.core import mail
from django.urls import reverse

from applications.models import Application, Archive
from applications.states import State
from certificates.models import Certificate, CertificateBatch
from certificates.tasks import sweep_approved_filings
from committees import services
from portal import clock, queueing
from portal.celery import app
from portal.models import Notification, ReviewPlan, Role
from portal.tasks import sweep_pending_emails
from tests.factories import resident_id
from tests.worker.process import RedisServer

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
OUTAGE_SECONDS = 30


def _point_at(broker: str, results: str) -> None:
    """The test process's broker and result store (one Redis in production) from now on."""
    app.conf.broker_url = broker
    app.conf.result_backend = results
    app._pool = None
    app.amqp._producer_pool = None
    app._backend_cache = None
    app._local.backend = None


@pytest.fixture
def redis_server(settings, celery_worker_process):
    if not RedisServer.available():
        pytest.skip("needs redis-server")
    server = RedisServer()
    server.start()
    previous = app.conf.broker_url, app.conf.result_backend
    settings.REDIS_URL = server.url  # the worker's broker too (tests/worker/process.py)
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": server.url}
    }
    _point_at(server.url, server.url)
    try:
        yield server
    finally:
        _point_at(*previous)
        server.stop()


def _filing_awaiting_approval(cw, world, frozen_clock):
    apps, meeting = cw.results_publicised(2)
    filing = services.filing_create(
        committee=world.committee,
        applications=apps,
        actor=world.clerk,
        title="评审结果备案表",
        meeting=meeting,
    )
    return apps, filing


def _identity(world) -> dict:
    return {
        "name": "李四",
        "gender": "male",
        "id_type": "resident",
        "id_number": resident_id(dt.date(1990, 4, 2), 457),
        "nationality": "中国",
        "phone": "13800000001",
        "email": "lisi@example.cn",
        "current_employer": world.employer.pk,
    }


@pytest.mark.usefixtures("issuer")
def test_actions_while_redis_is_down_answer_success_and_lose_nothing(
    cw, world, frozen_clock, redis_server, celery_worker_process
):
    filed, filing = _filing_awaiting_approval(cw, world, frozen_clock)
    # The year's deadlines follow the clock the committee's steps moved on.
    ReviewPlan.objects.filter(pk=world.plan.pk).update(
        declaration_deadline=clock.now() + dt.timedelta(days=20),
        employer_deadline=clock.now() + dt.timedelta(days=35),
        material_deadline=clock.now() + dt.timedelta(days=40),
    )
    world.plan.refresh_from_db()
    to_submit = world.ready_draft(world.user("decl", Role.APPLICANT, world.employer), serial=610)
    to_return = world.submitted(world.user("ret", Role.APPLICANT, world.employer), serial=611)
    to_recommend = world.submitted(world.user("rec", Role.APPLICANT, world.employer), serial=612)
    world.through_employer_publicity([to_recommend], frozen_clock)
    saver = world.user("saver", Role.APPLICANT, world.employer)
    celery_worker_process.start()
    before = set(Notification.objects.values_list("pk", flat=True))

    redis_server.stop()
    down_at = time.monotonic()
    actions = [
        (saver, reverse("applications:archive_identity"), _identity(world)),
        (to_submit.applicant, reverse("applications:submit", args=[to_submit.pk]), {}),
        (
            world.hr,
            reverse("applications:audit_return", args=[to_return.pk]),
            {"note": "请补正", "item_degree": "学位证书扫描件不清晰"},
        ),
        (
            world.hr,
            reverse("applications:audit_recommend"),
            {"role": "hr", "applications": [to_recommend.pk]},
        ),
        (
            world.officer,
            reverse("committees:filing_approve", args=[filing.pk]),
            {"document_no": "衢人社职〔2026〕8号"},
        ),
    ]
    for user, url, data in actions:
        queueing.resume()  # each action meets the broker down itself, not the pause an earlier one began
        started = time.monotonic()
        response = world.client_for(user).post(url, data)
        assert response.status_code == 302, (url, response.status_code)
        assert time.monotonic() - started < 10, f"{url} held by the broker"
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down_at)))
    redis_server.start()

    # Every action committed while Redis was down.
    assert Archive.objects.filter(user=saver, name="李四").exists()
    states = dict(Application.objects.values_list("pk", "state"))
    assert states[to_submit.pk] == State.EMPLOYER_AUDIT
    assert states[to_return.pk] == State.RETURNED
    assert states[to_recommend.pk] == State.BUREAU_REVIEW
    assert all(states[a.pk] == State.APPROVED for a in filed)
    # Their in-app notices were written with them.
    during = Notification.objects.exclude(pk__in=before)
    assert during.filter(user=world.hr, link__contains=str(to_submit.pk)).exists()
    assert during.filter(user=to_return.applicant).exists()
    assert {n.user_id for n in during.filter(message__contains="核准公布")} == {a.applicant_id for a in filed}

    # The beat's sweeps, as they run after Redis is back (the web process's pause is over by then).
    queueing.resume()
    frozen_clock.advance(minutes=3)
    assert sweep_approved_filings() == 1  # the approval's certificate batch, its message lost
    batch = CertificateBatch.objects.get()
    deadline = time.monotonic() + 90
    while CertificateBatch.objects.filter(pk=batch.pk, completed_at__isnull=True).exists():
        assert time.monotonic() < deadline, "the worker did not come back to Redis"
        time.sleep(0.3)
    frozen_clock.set(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3))  # past the worker's notices too
    sweep_pending_emails()

    assert Certificate.objects.filter(batch=batch, pdf_rendered_at__isnull=False).count() == len(filed)
    ready = Notification.objects.filter(dedupe_key__startswith="certificate-ready:")
    assert {n.user_id for n in ready} == {a.applicant_id for a in filed}
    owed = Notification.objects.exclude(email_to="")
    assert not owed.filter(emailed_at__isnull=True).exists()
    assert Counter(m.to[0] for m in mail.outbox) == Counter(owed.values_list("email_to", flat=True))
    assert sweep_pending_emails() == 0 and sweep_approved_filings() == 0
