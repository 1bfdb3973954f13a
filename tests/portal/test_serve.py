"""`manage.py serve` on the embedded default (SQLite, filesystem broker): the web server, a worker and beat
start, a queued task is run by the worker, a dead child is restarted, and Ctrl-C stops them all.

Runs the command as the README does, in a subprocess with its own var directory; no Redis, no PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "var" / "test-cache"
STARTED = re.compile(r"已(?:启动|重启)(网页服务|Celery worker|Celery beat)（pid (\d+)）")
TIMEOUT = 240  # seconds: three Django processes start on a busy 2-core machine


def _env(var_dir: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    return {**env, "PORTAL_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "portal.settings.base"}


def _migrated_database(var_dir: Path) -> None:
    """A migrated SQLite file in var_dir, copied from a cache keyed by the migrations (migrating takes
    ~30 s of CPU; only the first run after a migration changes pays it)."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.read_bytes())
    cached = CACHE / f"serve-{digest.hexdigest()[:16]}.sqlite3"
    if not cached.exists():
        build = CACHE / f"build-{os.getpid()}"
        build.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=_env(build),
            check=True,
            timeout=600,
        )
        os.replace(build / "portal.sqlite3", cached)
        shutil.rmtree(build, ignore_errors=True)
    shutil.copy(cached, var_dir / "portal.sqlite3")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purpose.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


class Served:
    def __init__(self, var_dir: Path, port: int):
        self.port = port
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--port", str(port), "--web-workers", "1"],
            cwd=ROOT,
            env=_env(var_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        # The children write to the same pipe: it closes when the command and all of them are gone.
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def output(self) -> str:
        return "\n".join(self.lines)

    def pids(self) -> dict[str, int]:
        """The latest pid of each child, as the command printed it."""
        return {m[1]: int(m[2]) for line in list(self.lines) if (m := STARTED.search(line))}

    def wait_for(self, check, what: str):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            result = check()
            if result:
                return result
            assert self.proc.poll() is None, f"serve exited while waiting for {what}:\n{self.output()}"
            time.sleep(0.5)
        raise AssertionError(f"timed out waiting for {what}:\n{self.output()}")

    def health(self) -> dict | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health/", timeout=10) as response:
                return json.load(response)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for pid in self.pids().values():
            if _alive(pid):
                os.killpg(pid, signal.SIGKILL)


@pytest.fixture
def served(tmp_path):
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    _migrated_database(var_dir)
    server = Served(var_dir, _free_port())
    try:
        yield server
    finally:
        server.stop()


def test_serve_runs_the_year_and_stops_on_ctrl_c(served, tmp_path):
    pids = served.wait_for(lambda: len(served.pids()) == 3 and served.pids(), "three children")
    assert f"门户地址：http://127.0.0.1:{served.port}/" in served.output()
    assert "任务队列：文件目录" in served.output()
    # Healthy means the database answers, the broker folder is writable and beat has started.
    body = served.wait_for(lambda: (b := served.health()) and b["status"] == "ok" and b, "a healthy portal")
    assert body["checks"] == {"database": "ok", "broker": "ok", "beat": "ok"}

    # A task queued through the filesystem broker is run by the worker, which records the sweep.
    queued = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from applications.tasks import sweep_publicities; "
            "print('result', sweep_publicities.apply_async(ignore_result=False).get(timeout=180))",
        ],
        cwd=ROOT,
        env=_env(tmp_path / "var"),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert "result 0" in queued.stdout, queued.stderr
    assert served.health()["sweeps"]["sweep-publicities"]["last_run"] is not None

    # A worker that dies is started again.
    os.kill(pids["Celery worker"], signal.SIGKILL)
    restarted = served.wait_for(
        lambda: served.pids()["Celery worker"] != pids["Celery worker"] and served.pids(),
        "a restarted worker",
    )
    assert "Celery worker已退出" in served.output()
    assert _alive(restarted["Celery worker"])

    # Ctrl-C stops every child, then the command itself.
    served.proc.send_signal(signal.SIGINT)
    assert served.proc.wait(timeout=TIMEOUT) == 0
    served.reader.join(timeout=TIMEOUT)
    assert "已停止全部进程。" in served.output()
    every_pid = [*pids.values(), *restarted.values()]
    assert not [pid for pid in every_pid if _alive(pid)]
    assert served.health() is None
