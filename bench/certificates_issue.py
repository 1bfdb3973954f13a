"""Benchmark: issue N certificates (PDFs included) through real Celery workers, and compare with
rendering the same certificate PDF alone in a loop in one process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/certs_helper REDIS_URL=redis://127.0.0.1:6379/1 \\
        .venv/bin/python bench/certificates_issue.py [--count 1000] [--concurrency 2] [--render-loop 200]

It works in its own database (<name>_bench, created and dropped here) and a temporary media
directory, starts `celery worker --concurrency N` on a private queue, approves N applications
through the workflow, then times certificate_batch_issue() → batch completed (numbers, signatures,
workflow moves, archive entries and every PDF stored). Speed is measured only here, never in tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--render-loop", type=int, default=200, help="renders in the render-alone loop")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: the benchmark runs a real worker.")
    media = Path(tempfile.mkdtemp(prefix="certs-bench-"))
    os.environ["PRIVATE_MEDIA_ROOT"] = str(media)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.base"
    os.environ.setdefault("LOG_LEVEL", "ERROR")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    db = settings.DATABASES["default"]
    db["TEST"] = {**db.get("TEST", {}), "NAME": f"{db['NAME']}_bench"}
    bench_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    worker = None
    try:
        from portal.celery import app

        app.conf.task_always_eager = False
        queue = f"bench-{uuid.uuid4().hex[:8]}"
        settings.CERTIFICATE_TASK_QUEUE = queue
        print(
            f"database {bench_name}, media {media}, {args.count} certificates, "
            f"{args.concurrency} worker processes",
            flush=True,
        )
        world, applications = _approved_applications(args.count)
        worker = _start_worker(db, bench_name, media, queue, args.concurrency)
        issue_seconds = _issue(world, applications)
        render_seconds = _render_alone(args.render_loop)
        issue_rate = args.count / issue_seconds
        render_rate = args.render_loop / render_seconds
        print(
            f"issued {args.count} certificates with PDFs in {issue_seconds:.1f} s: "
            f"{issue_rate:.2f} certificates/s",
            flush=True,
        )
        print(
            f"rendering the same PDF alone, one process, warm: {render_rate:.2f} PDFs/s "
            f"({1000 * render_seconds / args.render_loop:.0f} ms each)",
            flush=True,
        )
        print(
            f"ratio issue/render-alone: {issue_rate / render_rate:.2f} "
            f"(with {args.concurrency} worker processes on {os.cpu_count()} cores)",
            flush=True,
        )
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        connection.creation.destroy_test_db(bench_name, verbosity=0)
        shutil.rmtree(media, ignore_errors=True)


def _approved_applications(count: int):
    from certificates.models import CommitteeCode, IssuerProfile
    from certificates.services.keys import signing_key_create
    from tests.certificates.conftest import DEFINER_CODE, ISSUER_CODE, approve
    from tests.conftest import World

    started = time.perf_counter()
    world = World()
    profile = IssuerProfile.objects.create(
        organisation=world.bureau,
        name="衢州市人力资源和社会保障局",
        credit_code=ISSUER_CODE,
        region_code="330800",
        type_code=DEFINER_CODE + "001",
    )
    CommitteeCode.objects.create(issuer=profile, committee=world.committee, code="001")
    signing_key_create(issuer=profile)
    applications = []
    for n in range(count):
        user = world.user(f"bench{n}", "applicant", world.employer)
        applications.append(approve(world, world.submitted(user, serial=n % 1000)))
        if (n + 1) % 200 == 0:
            print(f"  {n + 1} applications approved ({time.perf_counter() - started:.0f} s)", flush=True)
    return world, applications


def _start_worker(db, name, media, queue, concurrency) -> subprocess.Popen:
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    url = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{host}:{port}/{name}"
    env = dict(
        os.environ,
        DATABASE_URL=url,
        PRIVATE_MEDIA_ROOT=str(media),
        DJANGO_SETTINGS_MODULE="portal.settings.base",
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    from portal.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # ready when it answers a ping
        if app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=1.0):
            return proc
    raise SystemExit("the worker did not start")


def _issue(world, applications) -> float:
    from certificates.models import CertificateBatch
    from certificates.services.batches import certificate_batch_issue

    started = time.perf_counter()
    batch = certificate_batch_issue(
        applications=applications,
        approved_by=world.officer,
        approval_doc_no="衢人社职〔2026〕12号",
        approval_date=applications[0].plan.opens_at.date(),
    )
    last = 0
    while True:
        time.sleep(0.5)
        done = CertificateBatch.objects.filter(pk=batch.pk, completed_at__isnull=False).exists()
        rendered = batch.certificates.filter(pdf_rendered_at__isnull=False).count()
        if rendered - last >= 100:
            print(f"  {rendered} rendered ({time.perf_counter() - started:.0f} s)", flush=True)
            last = rendered
        if done:
            return time.perf_counter() - started


def _render_alone(loops: int) -> float:
    from certificates import pdf
    from certificates.models import Certificate
    from certificates.tokens import certificate_token

    certificate = Certificate.objects.order_by("number").first()
    token = certificate_token(certificate)
    pdf.render_certificate(payload=certificate.payload, token=token)  # warm: fonts and stylesheet loaded
    started = time.perf_counter()
    for _ in range(loops):
        pdf.render_certificate(payload=certificate.payload, token=token)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
