"""The `celery_worker_process` fixture: a real worker (tests/worker/process.py) against Redis and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings
from django.db import connection

from tests.worker.process import Worker


@pytest.fixture
def celery_worker_process():
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and PostgreSQL (set by .ci/run)")
    from portal.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    worker = Worker(queue)
    try:
        yield worker
    finally:
        worker.stop()
        app.conf.task_always_eager = previous
