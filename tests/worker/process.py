"""A real Celery worker process for tests: `celery worker -Q <queue>` against Redis and the test database.
The `celery_worker_process` fixture (tests/conftest.py) gives one to any test."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def real_stack() -> bool:
    """Whether the tests run on Redis and PostgreSQL, which a worker in another process needs."""
    return bool(settings.REDIS_URL) and connection.vendor == "postgresql"


def stack_env(**extra) -> dict:
    """The environment of a process of the portal's (worker, web server) on the test's database and Redis."""
    db = settings.DATABASES["default"]
    url = (
        f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    return dict(
        os.environ,
        DATABASE_URL=url,
        REDIS_URL=settings.REDIS_URL,
        DJANGO_SETTINGS_MODULE="portal.settings.base",
        PORTAL_VAR_DIR=str(ROOT / "var"),
        PRIVATE_MEDIA_ROOT=str(settings.PRIVATE_MEDIA_ROOT),
        **extra,
    )


class Worker:
    def __init__(self, queue: str, log_path: Path | None = None, env: dict | None = None):
        self.queue = queue
        self.log_path = log_path  # where the worker's log lines go (else nowhere)
        self.env = dict(env or {})  # settings of this worker's own (e.g. a short visibility timeout)
        self.proc: subprocess.Popen | None = None

    def _env(self) -> dict:
        # Certificate work the worker queues itself (a filing's batch) stays on its queue.
        return stack_env(CERTIFICATE_TASK_QUEUE=self.queue, **self.env)

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--pool=solo",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=info" if self.log_path else "--loglevel=warning",
            ],
            cwd=ROOT,
            env=self._env(),
            stdout=subprocess.DEVNULL,
            stderr=self.log_path.open("ab") if self.log_path else subprocess.DEVNULL,
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own on a free port, to stop and start again (without persistence:
    what was queued in it is lost when it stops, as with a Redis that crashed)."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
