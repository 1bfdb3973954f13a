"""Structured logs: JSON lines carrying the id of the request they belong to, which follows the request
into the tasks it queues, in-process and through a real worker; errors go to ADMINS by e-mail."""

from __future__ import annotations

import io
import json
import logging
import time

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import path

from portal import observability
from portal.observability import REQUEST_ID, ContextFilter, JsonFormatter
from portal.tasks import sweep_pending_emails
from portal.urls import urlpatterns as portal_urlpatterns

log = logging.getLogger("portal.tests")


def _logged_view(request):
    from django.http import HttpResponse

    log.warning("saved the archive", extra={"section": "educations"})
    sweep_pending_emails.delay()  # in-process here: the task's own lines carry the same id
    return HttpResponse("ok")


def _failing_view(request):
    raise RuntimeError("the database went away")


urlpatterns = [path("logged/", _logged_view), path("failing/", _failing_view), *portal_urlpatterns]


@pytest.fixture
def json_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


@override_settings(ROOT_URLCONF=__name__)
def test_a_request_logs_json_lines_with_its_id_and_its_tasks_log_the_same_id(db, json_lines):
    response = Client().get("/logged/")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    lines = json_lines()
    mine = [line for line in lines if line["message"] == "saved the archive"]
    assert mine and mine[0]["request_id"] == request_id and mine[0]["section"] == "educations"
    assert mine[0]["level"] == "WARNING" and mine[0]["time"].endswith("+00:00")
    swept = [line for line in lines if line.get("sweep", "").endswith("sweep_pending_emails")]
    assert swept and swept[0]["request_id"] == request_id and swept[0]["task_id"]
    # After the request, nothing carries its id any more.
    assert REQUEST_ID.get() == ""


@override_settings(ROOT_URLCONF=__name__)
def test_a_proxys_request_id_is_kept_and_a_malformed_one_replaced(db, json_lines):
    assert Client().get("/logged/", HTTP_X_REQUEST_ID="edge-0123456789abcdef")["X-Request-ID"] == (
        "edge-0123456789abcdef"
    )
    replaced = Client().get("/logged/", HTTP_X_REQUEST_ID='x"}\n{"level":"forged')["X-Request-ID"]
    assert len(replaced) == 32 and '"' not in replaced


@override_settings(ROOT_URLCONF=__name__, ADMINS=[("运维", "ops@example.com")], DEBUG=False)
def test_an_error_is_mailed_to_the_admins_with_its_request_id(db):
    client = Client(raise_request_exception=False)
    response = client.get("/failing/")
    assert response.status_code == 500
    assert [m.to for m in mail.outbox] == [["ops@example.com"]]
    assert "the database went away" in mail.outbox[0].body


def test_a_message_queued_in_a_request_carries_its_id():
    headers: dict = {}
    token = REQUEST_ID.set("abcdef0123456789")
    try:
        observability._send_request_id(sender="portal.tasks.sweep_pending_emails", headers=headers)
    finally:
        REQUEST_ID.reset(token)
    assert headers == {"request_id": "abcdef0123456789"}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_request_id_reaches_a_real_worker(settings, tmp_path):
    from portal.celery import app
    from tests.worker.process import Worker, real_stack

    if not real_stack():
        pytest.skip("needs REDIS_URL and PostgreSQL (set by .ci/run)")
    queue = f"test-rid-{time.time_ns()}"
    worker = Worker(queue, log_path=tmp_path / "worker.log")
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    worker.start()
    try:
        token = REQUEST_ID.set("request-for-the-worker-1")
        try:
            result = sweep_pending_emails.apply_async(queue=queue, ignore_result=False)
        finally:
            REQUEST_ID.reset(token)
        result.get(timeout=90, disable_sync_subtasks=False)
        deadline = time.time() + 30
        while time.time() < deadline:
            lines = [
                json.loads(line)
                for line in (tmp_path / "worker.log").read_text().splitlines()
                if line.startswith("{")
            ]
            swept = [line for line in lines if line.get("sweep", "").endswith("sweep_pending_emails")]
            if swept:
                break
            time.sleep(0.5)
        assert swept and swept[0]["request_id"] == "request-for-the-worker-1"
        assert swept[0]["task_id"] == result.id
    finally:
        worker.stop()
        app.conf.task_always_eager = previous
