"""Pages under load on a generated province (manage.py generate_volume), beside the bare stack's ceiling.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_volume REDIS_URL=redis://127.0.0.1:6379/10 \\
        .venv/bin/python bench/pages_bench.py [--duration 10] [--connections 32] [--explain-dir var/explain]

Starts gunicorn as production runs it (sync workers x2, bench.settings = base settings with DEBUG off and
the ceiling view added), logs in as the HR of the employer with the most applications, the officer of the
busiest receiving bureau and the clerk of the busiest committee (sessions made in-process, sent as
cookies), counts each page's queries once in-process (CaptureQueriesContext through the test Client), then
loads each page with `wrk -t2 -cN -dS` (apt-get install -y wrk), or with a Python keep-alive load generator
when wrk is missing. A queue's deep page is the keyset page 4,000 rows in (or its last page), the link
that following "next" would reach. Prints req/s, p50, p99, the ratio to the ceiling and the queries per
request, and writes EXPLAIN (ANALYZE, BUFFERS) of each queue's slowest query to --explain-dir.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from applications import publicity_list, queues  # noqa: E402
from applications.audit_views import _branches  # noqa: E402
from applications.models import Application  # noqa: E402
from applications.publicity import current_notices  # noqa: E402
from applications.queue_branches import Branch  # noqa: E402
from applications.states import State  # noqa: E402
from bench.urls import CEILING_ROWS  # noqa: E402
from certificates.models import Certificate  # noqa: E402
from committees.permissions import default_committee  # noqa: E402
from committees.selectors import committee_queue  # noqa: E402
from portal import clock  # noqa: E402
from portal.models import Membership, Role  # noqa: E402

PORT = 8765


def ceiling_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_ceiling')")
        if cursor.fetchone()[0] is None:
            cursor.execute(
                "CREATE TABLE bench_ceiling AS SELECT g AS id, md5(g::text) AS label "
                "FROM generate_series(1, %s) g",
                [CEILING_ROWS],
            )
            cursor.execute("ALTER TABLE bench_ceiling ADD PRIMARY KEY (id)")
            cursor.execute("ANALYZE bench_ceiling")


def busiest(role: str, field: str, state: str | None = None):
    """The member of `role` in the organisation with the most applications through `field` (in
    `state`, when given: the state of the queue the page shows)."""
    applications = Application.objects.filter(state=state) if state else Application.objects
    counts = applications.values(field).annotate(n=Count("pk")).order_by("-n")
    for row in counts[:50]:
        m = Membership.objects.filter(organisation_id=row[field], role=role, is_active=True).first()
        if m:
            return m.user, row["n"]
    raise SystemExit(f"没有找到有申报的{role}：请先运行 manage.py generate_volume。")


def deep(branches, depth: int = 4000) -> str:
    """The keyset link to the page `depth` rows into a queue (or its last page when it is shorter), as
    following "next" that many times would reach it."""
    querysets = [b.queryset() if isinstance(b, Branch) else b for b in branches]
    combined = querysets[0]
    for branch in querysets[1:]:
        combined = combined | branch
    keys = combined.filter(submitted_at__isnull=False).order_by("submitted_at", "number")
    n = keys.count()
    if n <= queues.PAGE_SIZE:
        return ""
    key = keys.values_list("submitted_at", "number")[min(depth, n - queues.PAGE_SIZE) - 1]
    return "&" + urlencode({"after": queues.encode(key)})


def publicity_deep(depth: int = 4000) -> str:
    """The cursor link to the public publicity list's page `depth` notices in (or its last page)."""
    notices = current_notices().order_by("-created_at", "-pk")
    n = notices.count()
    if n <= publicity_list.PAGE_SIZE:
        return ""
    at, pk = notices.values_list("created_at", "pk")[min(depth, n - publicity_list.PAGE_SIZE) - 1]
    return "?" + urlencode({"after": queues.encode((at, str(pk)))})


def pages() -> list[tuple[str, object, str]]:
    # HR's pages are its audit queue and an application in it (other benchmarks' copies may make
    # another employer the largest overall, with nothing awaiting its audit).
    hr, hr_n = busiest(Role.HR, "recommending_org", State.EMPLOYER_AUDIT)
    officer, officer_n = busiest(Role.OFFICER, "plan__receiving_org")
    clerk, clerk_n = busiest(Role.CLERK, "committee")
    print(f"HR {hr.username}（待审核{hr_n}份）  主管部门 {officer.username}（{officer_n}份）", end="  ")
    print(f"评委会 {clerk.username}（{clerk_n}份）")
    app = Application.objects.filter(
        recommending_org__memberships__user=hr, state=State.EMPLOYER_AUDIT
    ).first()
    number = Certificate.objects.values_list("number", flat=True).first()
    committee = default_committee(clerk)
    hr_deep = deep(_branches(hr, Role.HR, State.EMPLOYER_AUDIT))
    bureau_deep = deep(_branches(officer, Role.OFFICER, State.BUREAU_REVIEW))
    clerk_deep = f"?committee={committee.pk}&state=qualification_review" + deep(
        committee_queue(committee, State.QUALIFICATION_REVIEW)
    )
    return [
        ("ceiling", None, "/bench/ceiling/500000/"),
        ("health", None, "/health/"),
        ("signed-in floor", hr, "/bench/floor/"),
        ("detail", hr, f"/applications/{app.pk}/"),
        ("detail api", hr, f"/api/v1/applications/{app.pk}/"),
        ("hr queue p1", hr, "/audit/?role=hr&state=employer_audit"),
        ("hr queue deep", hr, "/audit/?role=hr&state=employer_audit" + hr_deep),
        ("bureau queue p1", officer, "/audit/?role=officer&state=bureau_review"),
        ("bureau queue deep", officer, "/audit/?role=officer&state=bureau_review" + bureau_deep),
        ("clerk queue p1", clerk, "/committee/"),
        (
            "clerk queue deep",
            clerk,
            f"/committee/?committee={committee.pk}&state=qualification_review" + clerk_deep,
        ),
        ("publicity list", None, "/publicity/"),
        ("publicity list deep", None, "/publicity/" + publicity_deep()),
        ("verify", None, f"/certificates/verify/?number={number}"),
    ]


def measure_queries(items, explain_dir: Path) -> dict[str, tuple[int, str]]:
    """Queries per request (in-process) and each session cookie; the queues' slowest query EXPLAINed."""
    setup_test_environment()
    found = {}
    for name, user, url in items:
        client = Client()
        if user is not None:
            client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            status = client.get(url).status_code
        cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
        found[name] = (len(captured), cookie.value if cookie else "", status)
        if "queue" in name:
            explain(name, captured.captured_queries, explain_dir)
        elif name.startswith("publicity"):
            explain(name, captured.captured_queries, explain_dir, table="applications_publicitynotice")
    return found


def explain(name: str, queries: list[dict], explain_dir: Path, table: str = "applications_application"):
    """The page's two slowest reads of `table` (its list and, where it counts, its COUNT)."""
    reads = [q for q in queries if table in q["sql"] and q["sql"].startswith("SELECT")]
    reads.sort(key=lambda q: float(q["time"]), reverse=True)
    parts = []
    with connection.cursor() as cursor:
        for query in reads[:2]:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            parts.append(f"{query['sql']}\n\n{plan}\n")
    explain_dir.mkdir(parents=True, exist_ok=True)
    (explain_dir / (name.replace(" ", "-") + ".txt")).write_text("\n\n".join(parts), encoding="utf-8")


def start_gunicorn(production: bool = False, *, port: int = PORT, workers: int = 2) -> subprocess.Popen:
    """Sync workers x2 (the issue's set-up), or with `production` the portal's own gunicorn.conf.py
    (2 x cores + 1 workers, 2 threads each), as docker compose runs it."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.settings")
    if production:
        env.update(
            GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_ACCESS_LOG="/dev/null", GUNICORN_LOG_LEVEL="warning"
        )
        options = ["-c", str(ROOT / "portal" / "gunicorn.conf.py")]
    else:
        options = ["-w", str(workers), "-k", "sync", "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "portal.wsgi", *options],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/bench/ceiling/1/")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn 未能启动。")


def warm(url: str, cookie: str, port: int = PORT) -> None:
    """A few requests first, so each worker has imported and connected before the clock starts."""
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"} if cookie else {}
    for _ in range(4):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("GET", url, headers=headers)
        conn.getresponse().read()
        conn.close()


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def load_wrk(url: str, cookie: str, duration: int, connections: int) -> tuple[float, float, float, int]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "30s"]
    if cookie:
        command += ["-H", f"Cookie: {settings.SESSION_COOKIE_NAME}={cookie}"]
    out = subprocess.run(command + [f"http://127.0.0.1:{PORT}{url}"], capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p50, p99, int(errors.group(1)) if errors else 0


def load_python(url: str, cookie: str, duration: int, connections: int) -> tuple[float, float, float, int]:
    """Threads with one keep-alive connection each; the GIL caps it below wrk, so prefer wrk."""
    latencies, errors, stop = [], [0], time.monotonic() + duration
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"} if cookie else {}

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        while time.monotonic() < stop:
            started = time.monotonic()
            conn.request("GET", url, headers=headers)
            response = conn.getresponse()
            response.read()
            latencies.append((time.monotonic() - started) * 1000)
            if response.status >= 400:
                errors[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cuts = statistics.quantiles(latencies, n=100)
    return len(latencies) / duration, cuts[49], cuts[98], errors[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--explain-dir", default=str(ROOT / "var" / "explain"))
    parser.add_argument(
        "--production-config", action="store_true", help="gunicorn with portal/gunicorn.conf.py, not sync x2"
    )
    args = parser.parse_args()
    demo = clock.demo_clock()
    if demo is not None:
        # Every process of this checkout runs on it, the server's too: the pages then show the demo's
        # dates (plans open or closed, publicities current or ended) instead of today's.
        print(
            f"warning: the demo clock is active ({settings.DEMO_CLOCK_FILE}, "
            f"now {clock.now():%Y-%m-%d %H:%M}); remove the file to measure on today's date",
            flush=True,
        )
    if connection.vendor != "postgresql":
        raise SystemExit("请用 DATABASE_URL 指向 generate_volume 生成的 PostgreSQL 数据库。")
    ceiling_table()
    items = pages()
    queries = measure_queries(items, Path(args.explain_dir))
    load = load_wrk if shutil.which("wrk") else load_python
    print(f"负载：{'wrk' if load is load_wrk else 'Python'} -t2 -c{args.connections} -d{args.duration}s")
    server = start_gunicorn(production=args.production_config)
    try:
        results = {}
        for name, _user, url in items:
            count, cookie, status = queries[name]
            warm(url, cookie)
            results[name] = load(url, cookie, args.duration, args.connections)
            rps, p50, p99, errors = results[name]
            ratio = rps / results["ceiling"][0] * 100
            print(
                f"{name:18} {rps:8.1f} req/s  {ratio:6.1f}%  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  "
                f"{count:3d} queries  status {status}" + (f"  errors {errors}" if errors else "")
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
