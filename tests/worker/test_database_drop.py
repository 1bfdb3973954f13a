"""PostgreSQL connections dropped (pg_terminate_backend, as a database restart or a failover does):
the web server's next requests and the worker's next task open new connections instead of failing on
the dead ones."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from applications.tasks import sweep_publicities
from tests.worker.process import ROOT, free_port, real_stack, stack_env

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _drop_other_connections() -> int:
    """Terminate every connection to the test database but the test's own; how many there were."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture
def web_server(world):
    """gunicorn with the portal's settings on the test database (two processes of two threads, as
    persistent connections are kept per thread)."""
    if not real_stack():
        pytest.skip("needs REDIS_URL and PostgreSQL (set by .ci/run)")
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=stack_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            _status(f"{base}/plans/")
            break
        except OSError:
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _load(url: str, n: int) -> Counter:
    with ThreadPoolExecutor(max_workers=4) as pool:
        return Counter(pool.map(_status, [url] * n))


def test_requests_after_the_connections_are_dropped_succeed(web_server):
    url = f"{web_server}/plans/"
    assert _load(url, 40) == Counter({200: 40})  # each thread now holds a persistent connection
    assert _drop_other_connections() >= 1
    assert _load(url, 40) == Counter({200: 40})  # no 5xx: each dead connection is found and replaced


def test_connections_dropped_under_load_fail_only_the_requests_under_way(web_server):
    url = f"{web_server}/plans/"
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(_status, url) for _ in range(80)]
        while sum(f.done() for f in futures) < 20:
            time.sleep(0.01)
        _drop_other_connections()
        statuses = Counter(f.result() for f in futures)
    # Only a request whose query was under way when its connection died can fail (4 threads serve).
    assert statuses[200] >= 76 and set(statuses) <= {200, 500}
    assert _load(url, 40) == Counter({200: 40})


def _sweep_on(worker):
    """A sweep run by the worker, its answer awaited (never as a subtask: a test may run inside a task's
    context left by an earlier test)."""
    result = sweep_publicities.apply_async(queue=worker.queue, ignore_result=False)
    return result.get(timeout=60, disable_sync_subtasks=False)


def test_the_worker_runs_the_next_task_after_its_connection_is_dropped(world, celery_worker_process):
    worker = celery_worker_process
    worker.start()
    assert _sweep_on(worker) == 0
    _drop_other_connections()
    assert _sweep_on(worker) == 0
