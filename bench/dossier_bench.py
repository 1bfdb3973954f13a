"""Benchmark of the dossier page: an application whose archive has 50 entries and 40 files, read by the
employer's HR, timed beside a bare Django read of the same application (a primary-key lookup).

    .venv/bin/python bench/dossier_bench.py                      # SQLite (throwaway test database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal .venv/bin/python bench/dossier_bench.py
    .venv/bin/python bench/dossier_bench.py --repeat 50

It creates a throwaway test database and a temporary private media folder, builds the personas of the
test suite (tests/conftest.py World), submits the application and times the page. Nothing is left behind.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
MEDIA = tempfile.TemporaryDirectory()
os.environ["PRIVATE_MEDIA_ROOT"] = MEDIA.name

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from applications import services  # noqa: E402
from applications.models import Achievement, AnnualAssessment, Application  # noqa: E402
from tests.conftest import PDF_BYTES, World  # noqa: E402

ENTRIES, FILES = 50, 40


def build() -> tuple[World, Application]:
    """50 entries (an education, a work period, 38 achievements, 10 yearly assessments) and 40 files:
    one on the education, one on each achievement and the checklist material."""
    world = World()
    application = world.ready_draft()
    archive = application.archive
    for i in range(ENTRIES - 10 - 2):  # the archive already holds one education and one work period
        entry = Achievement.objects.create(
            archive=archive,
            kind="paper",
            title=f"论文{i}",
            date=dt.date(2015, 1, 1) + dt.timedelta(days=30 * i),
        )
        services.evidence_upload(
            archive=archive, entry=entry, upload=SimpleUploadedFile(f"p{i}.pdf", PDF_BYTES)
        )
    education = archive.educations.get()
    services.evidence_upload(archive=archive, entry=education, upload=SimpleUploadedFile("d.pdf", PDF_BYTES))
    for year in range(2014, 2024):
        AnnualAssessment.objects.create(archive=archive, year=year, grade="qualified")
    application = services.application_submit(application=application, actor=world.applicant)
    assert application.submitted_evidence.count() == FILES
    return world, application


def timed(fn, repeat: int) -> tuple[float, int]:
    fn()  # warm caches (content types, templates, the working-day calendar)
    samples = []
    reset_queries()  # a request empties the log as it starts; count from an empty one
    with CaptureQueriesContext(connection) as queries:
        fn()
    count = len(queries)  # read now: the slice is taken lazily from a log the next request empties
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup_test_environment()
    # As Django's TestCase does: keep one connection across requests, so the queries can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    settings.ALLOWED_HOSTS = ["*"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        world, application = build()
        client = world.client_for(world.hr)
        url = reverse("applications:dossier", args=[application.pk])

        def page():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        def bare():
            Application.objects.get(pk=application.pk)

        page_ms, page_queries = timed(page, args.repeat)
        bare_ms, bare_queries = timed(bare, args.repeat)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        MEDIA.cleanup()
    print(f"database: {connection.vendor}; {ENTRIES} entries, {FILES} files; median of {args.repeat}")
    print(f"{'read':<28} {'ms':>8} {'queries':>8}")
    print(f"{'dossier page (HR)':<28} {page_ms:>8.1f} {page_queries:>8}")
    print(f"{'Application by primary key':<28} {bare_ms:>8.2f} {bare_queries:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
