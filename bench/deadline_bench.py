"""Deadline day: applicants save and submit while the reviewers' queues are under load.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_volume REDIS_URL=redis://127.0.0.1:6379/10 \\
        .venv/bin/python bench/deadline_bench.py [--applicants 100] [--connections 32] [--duration 30]
            [--applicant-lane 1]

On a generated province (manage.py generate_volume), it prepares drafts as their applicants would before
the deadline (the checklist's files uploaded, the pledge signed: through the services, not timed), starts
gunicorn as production runs it (bench.settings, sync workers x2), loads the HR, bureau and clerk queues
with `--connections` connections in all (wrk when installed, else Python threads) and meanwhile has the
applicants, a few at a time, save their 申报信息 form and submit through the HTML forms (session cookie,
CSRF token), as a browser would. Prints p50/p99 of the saves and the submissions, how many were accepted,
and the queues' throughput under that load. With `--applicant-lane N` the applicants' POSTs go to a
second gunicorn of N sync workers, as deploy/nginx.conf sends them in production (docs/operations.md,
"A lane for the applicants' declarations"). Speed is measured here, never in tests.
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402
from pypdf import PdfWriter  # noqa: E402

from applications import services  # noqa: E402
from applications.exceptions import DomainError  # noqa: E402
from applications.forms import ApplicationEditForm  # noqa: E402
from applications.models import Application  # noqa: E402
from applications.states import State  # noqa: E402
from bench.pages_bench import PORT, busiest, load_python, start_gunicorn, warm  # noqa: E402
from portal import clock  # noqa: E402
from portal.models import Role  # noqa: E402

CSRF_SECRET_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def one_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def prepare(count: int) -> list[dict]:
    """Drafts of open plans made ready to submit as their applicants would: summary, files, pledge."""
    pdf = one_page_pdf()
    ready = []
    drafts = (
        Application.objects.filter(
            state=State.DRAFT, plan__declaration_deadline__gt=clock.now(), archive__educations__isnull=False
        )
        .select_related("applicant", "archive", "plan")
        .distinct()
        .order_by("pk")
    )
    for application in drafts.iterator(chunk_size=200):
        if len(ready) >= count:
            break
        user = application.applicant
        try:
            if not application.work_summary.strip():
                services.application_update(
                    application=application, actor=user, work_summary="任现职以来主持完成多项工程项目。"
                )
            for material in services.missing_materials(application):
                services.evidence_upload(
                    archive=application.archive,
                    upload=SimpleUploadedFile(f"{material.code}.pdf", pdf, "application/pdf"),
                    application=application,
                    material_code=material.code,
                )
            if application.pledge_signed_at is None:
                services.application_sign_pledge(application=application, actor=user, ip="127.0.0.1")
        except DomainError:
            continue  # a draft its applicant could not complete either (an ineligible route, a ban)
        application.refresh_from_db()
        client = Client()
        client.force_login(user)
        form = {f: _form_value(getattr(application, f)) for f in ApplicationEditForm.Meta.fields}
        ready.append(
            {
                "pk": str(application.pk),
                "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "form": form,
            }
        )
    return ready


def _form_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    return str(getattr(value, "pk", value))


def post(path: str, session: str, data: dict, port: int = PORT) -> tuple[float, int]:
    """One browser POST: its session, its CSRF cookie and field; the time to the answer in ms."""
    csrf = get_random_string(32, CSRF_SECRET_CHARS)
    body = urlencode({**{k: v for k, v in data.items() if v != ""}, "csrfmiddlewaretoken": csrf})
    headers = {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.monotonic()
    conn.request("POST", path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    elapsed = (time.monotonic() - started) * 1000
    conn.close()
    return elapsed, response.status


def applicants_act(ready: list[dict], parallel: int, port: int) -> tuple[list[float], list[float], int]:
    saves, submits, refused = [], [], [0]
    queue = list(ready)
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                item = queue.pop()
            form = dict(item["form"], work_summary=item["form"]["work_summary"] + "\n（截止日前补充）")
            elapsed, status = post(f"/applications/{item['pk']}/edit/", item["session"], form, port)
            saves.append(elapsed)
            refused[0] += status != 302
            elapsed, status = post(f"/applications/{item['pk']}/submit/", item["session"], {}, port)
            submits.append(elapsed)
            refused[0] += status != 302

    threads = [threading.Thread(target=worker) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return saves, submits, refused[0]


def queue_load(cookies: dict[str, tuple[str, str]], connections: int, duration: int) -> list:
    """The three queues loaded at once, the connections shared among them; wrk processes or threads."""
    share = max(1, connections // len(cookies))
    if shutil.which("wrk"):
        runs = []
        for name, (url, cookie) in cookies.items():
            command = ["wrk", "-t1", f"-c{share}", f"-d{duration}s", "--latency", "--timeout", "30s"]
            command += ["-H", f"Cookie: {settings.SESSION_COOKIE_NAME}={cookie}"]
            runs.append(
                (name, subprocess.Popen(command + [f"http://127.0.0.1:{PORT}{url}"], stdout=-1, text=True))
            )
        return runs
    results = []

    def run(name, url, cookie):
        results.append((name, load_python(url, cookie, duration, share)))

    threads = [threading.Thread(target=run, args=(n, u, c)) for n, (u, c) in cookies.items()]
    for thread in threads:
        thread.start()
    return [("threads", threads, results)]


def queue_cookies() -> dict[str, tuple[str, str]]:
    pages = {
        "hr queue": (Role.HR, "recommending_org", "/audit/?role=hr&state=employer_audit"),
        "bureau queue": (Role.OFFICER, "plan__receiving_org", "/audit/?role=officer&state=bureau_review"),
        "clerk queue": (Role.CLERK, "committee", "/committee/"),
    }
    cookies = {}
    for name, (role, field, url) in pages.items():
        user, _ = busiest(role, field)
        client = Client()
        client.force_login(user)
        cookies[name] = (url, client.cookies[settings.SESSION_COOKIE_NAME].value)
    return cookies


def report(runs) -> None:
    for name, process, *rest in runs:
        if name == "threads":
            for thread in process:
                thread.join()
            for queue_name, (rps, p50, p99, errors) in rest[0]:
                print(
                    f"{queue_name:14} {rps:8.1f} req/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  errors {errors}"
                )
            continue
        out = process.communicate()[0]
        line = next((x for x in out.splitlines() if "Requests/sec" in x), "Requests/sec: ?")
        p99 = next((x.split()[-1] for x in out.splitlines() if x.strip().startswith("99%")), "?")
        print(f"{name:14} {line.split(':')[1].strip():>8} req/s  p99 {p99}")


def quantiles(values: list[float]) -> str:
    if len(values) < 2:
        return "（样本不足）"
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {cuts[49]:7.1f} ms  p99 {cuts[98]:7.1f} ms  max {max(values):7.1f} ms  n={len(values)}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applicants", type=int, default=100)
    parser.add_argument("--parallel", type=int, default=4, help="applicants acting at the same moment")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=30, help="seconds of queue load (covers the acts)")
    parser.add_argument(
        "--production-config", action="store_true", help="gunicorn with portal/gunicorn.conf.py, not sync x2"
    )
    parser.add_argument(
        "--applicant-lane",
        type=int,
        default=0,
        metavar="N",
        help="the applicants' POSTs to a second gunicorn of N sync workers, as deploy/nginx.conf routes them",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("请用 DATABASE_URL 指向 generate_volume 生成的 PostgreSQL 数据库。")
    ready = prepare(args.applicants)
    if not ready:
        raise SystemExit("没有可在截止前提交的草稿：请先运行 manage.py generate_volume（或用演示时钟）。")
    cookies = queue_cookies()
    print(f"准备好 {len(ready)} 份草稿；队列负载 {args.connections} 个连接，{args.duration} 秒")
    server = start_gunicorn(production=args.production_config)
    lane, applicant_port = None, PORT
    try:
        if args.applicant_lane:
            applicant_port = PORT + 1
            lane = start_gunicorn(port=applicant_port, workers=args.applicant_lane)
            # Its workers warmed as the main server's are: the declaration form of one of the drafts.
            for item in ready[: 2 * args.applicant_lane]:
                warm(f"/applications/{item['pk']}/edit/", item["session"], applicant_port)
            print(f"申报人提交走独立通道：{args.applicant_lane} 个 sync worker")
        for url, cookie in cookies.values():
            warm(url, cookie)
        runs = queue_load(cookies, args.connections, args.duration)
        time.sleep(2)  # the load is on before the first applicant acts
        saves, submits, refused = applicants_act(ready, args.parallel, applicant_port)
        report(runs)
    finally:
        for process in (server, lane):
            if process is not None:
                process.terminate()
                process.wait()
    accepted = Application.objects.filter(pk__in=[r["pk"] for r in ready], state=State.EMPLOYER_AUDIT).count()
    print(f"保存   {quantiles(saves)}")
    print(f"提交   {quantiles(submits)}")
    print(f"受理 {accepted}/{len(ready)}，非302应答 {refused}（目标：p99 < 300 ms）")


if __name__ == "__main__":
    main()
