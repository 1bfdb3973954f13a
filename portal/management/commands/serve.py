"""`manage.py serve [--host 127.0.0.1] [--port 8000]`: everything the year needs, in one command.

Starts three child processes and looks after them:

- the web server (gunicorn, serving static files through WhiteNoise),
- a Celery worker (deadlines, reminders, certificate PDFs),
- Celery beat (the periodic sweeps that end publicities and catch up lost work).

With REDIS_URL they use Redis; without it, the filesystem broker under var/celery/ (no server). A child
that dies is started again (after 1, 2, 4 … at most 30 seconds when it keeps dying); Ctrl-C or SIGTERM
stops all of them. Each child runs in its own session, so a terminal's Ctrl-C reaches only this process,
which then stops the children in order, and the kernel sends them SIGTERM should this process die first.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from portal import clock

POLL_SECONDS = 0.5
STOP_TIMEOUT_SECONDS = 20
STEADY_SECONDS = 30  # a child that ran this long before dying is restarted at once
MAX_RESTART_DELAY = 30
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    # Elsewhere than Linux the children outlive a killed parent, as they would under any shell.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    label: str
    argv: list[str]
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    quick_deaths: int = 0
    restart_at: float | None = None
    pids: list[int] = field(default_factory=list)

    def start(self, env: dict) -> None:
        self.proc = subprocess.Popen(
            self.argv,
            cwd=settings.BASE_DIR,
            env=env,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        self.started_at = time.monotonic()
        self.restart_at = None
        self.pids.append(self.proc.pid)

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal_group(self, signum: int) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signum)  # the child and what it forked (gunicorn's workers)


class Command(BaseCommand):
    help = (
        "启动门户运行所需的全部进程：网页服务（gunicorn）、Celery worker 和 Celery beat；"
        "子进程退出时自动重启，Ctrl-C 全部停止。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="网页服务监听的地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="网页服务的端口（默认 8000）")
        # One process with threads by default: the embedded default's cache (the certificate lookups'
        # rate limit) is per process, and a demo needs no more.
        parser.add_argument("--web-workers", type=int, default=1, help="gunicorn 工作进程数（默认 1）")

    def handle(self, *args, host: str, port: int, web_workers: int, **options) -> None:
        self._check_ready(host, port)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings.base"),
            "PYTHONUNBUFFERED": "1",
        }
        children = self._children(host, port, web_workers)
        self._stopping = False
        previous = {s: signal.signal(s, self._stop) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            for child in children:
                child.start(env)
                self._say(f"已启动{child.label}（pid {child.proc.pid}）")
            self._banner(host, port)
            self._supervise(children, env)
        finally:
            self._stop_all(children)
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        self._say("已停止全部进程。")

    # Start-up -------------------------------------------------------------------------------------

    def _check_ready(self, host: str, port: int) -> None:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("数据库尚未迁移到最新版本：请先运行 manage.py migrate。")
        connection.close()  # the children open their own connections
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
            try:
                probe.bind((host, port))
            except OSError as exc:
                raise CommandError(
                    f"无法使用 {host}:{port}（{exc.strerror}）：请用 --port 指定其他端口。"
                ) from exc

    def _children(self, host: str, port: int, web_workers: int) -> list[Child]:
        python = sys.executable
        web = [
            python,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            f"--bind={host}:{port}",
            f"--workers={web_workers}",
            "--threads=4",
            "--timeout=60",
            "--graceful-timeout=10",
            "--no-control-socket",  # one per user by default: two portals on one machine would clash
        ]
        worker = [
            python,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--loglevel=info",
            f"--hostname=serve-{port}@%h",
        ]
        queues = ["celery"] + ([settings.CERTIFICATE_TASK_QUEUE] if settings.CERTIFICATE_TASK_QUEUE else [])
        worker.append(f"--queues={','.join(queues)}")
        if settings.REDIS_URL:
            worker.append("--concurrency=2")
        else:
            # One task at a time on the embedded SQLite file (one writer at a time anyway); no gossip,
            # mingle or heartbeat, which only matter between several workers.
            worker += ["--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        beat = [
            python,
            "-m",
            "celery",
            "-A",
            "portal",
            "beat",
            "--loglevel=info",
            f"--schedule={settings.CELERY_BEAT_SCHEDULE_FILENAME}",
        ]
        return [Child("网页服务", web), Child("Celery worker", worker), Child("Celery beat", beat)]

    def _banner(self, host: str, port: int) -> None:
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        broker = "Redis" if settings.REDIS_URL else f"文件目录 {settings.CELERY_DIR}（无需 Redis）"
        self._say("")
        self._say(f"门户地址：http://{shown}:{port}/")
        self._say(f"任务队列：{broker}；定时任务（公示期满、截止提醒、证书生成）由 Celery beat 按时触发。")
        demo = clock.demo_clock()
        if demo is not None:
            shifted = timezone.localtime(clock.now())
            self._say(f"演示时钟：已启用，门户现在的时间是 {shifted:%Y-%m-%d %H:%M}（北京时间）。")
        self._say("按 Ctrl-C 停止全部进程。")
        self._say("")

    # Looking after the children --------------------------------------------------------------------

    def _stop(self, signum, frame) -> None:
        self._stopping = True

    def _supervise(self, children: list[Child], env: dict) -> None:
        while not self._stopping:
            time.sleep(POLL_SECONDS)
            now = time.monotonic()
            for child in children:
                if self._stopping:
                    break
                if child.restart_at is not None:
                    if now >= child.restart_at:
                        child.start(env)
                        self._say(f"已重启{child.label}（pid {child.proc.pid}）")
                    continue
                if child.running():
                    continue
                code = child.proc.returncode
                child.signal_group(signal.SIGKILL)  # anything it left behind (e.g. gunicorn workers)
                ran = now - child.started_at
                child.quick_deaths = child.quick_deaths + 1 if ran < STEADY_SECONDS else 0
                delay = min(2 ** (child.quick_deaths - 1), MAX_RESTART_DELAY) if child.quick_deaths else 0
                child.restart_at = now + delay
                self._say(f"{child.label}已退出（返回码 {code}），{delay}秒后重启。", error=True)

    def _stop_all(self, children: list[Child]) -> None:
        for child in children:
            if child.running():
                child.proc.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for child in children:
            if child.proc is None:
                continue
            try:
                child.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._say(f"{child.label}未在{STOP_TIMEOUT_SECONDS}秒内停止，强制结束。", error=True)
            child.signal_group(signal.SIGKILL)
            child.proc.wait()

    def _say(self, text: str, *, error: bool = False) -> None:
        (self.stderr if error else self.stdout).write(text)
        (self.stderr if error else self.stdout).flush()
