"""A real Celery worker against Redis and the test database (PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


class Worker:
    def __init__(self, queue: str):
        self.queue = queue
        self.proc: subprocess.Popen | None = None

    def _env(self) -> dict:
        db = settings.DATABASES["default"]
        url = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        env = dict(os.environ, DATABASE_URL=url, REDIS_URL=settings.REDIS_URL,
                   DJANGO_SETTINGS_MODULE="portal.settings.base", PORTAL_VAR_DIR=str(ROOT / "var"))
        return env

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "-Q", self.queue,
             "-n", f"{self.queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--loglevel=warning"],
            cwd=ROOT, env=self._env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        time.sleep(0.5)

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


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
