"""Benchmark of the publicity sweep (issue 14 item 4): N due entries (default 100,000) settled by
`publicity_sweep`, timed, with the statements it issued; target ≤ 30 s for 100,000.

    createdb -h 127.0.0.1 -U postgres portal_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo
    .venv/bin/python bench/publicity_sweep_bench.py [--entries 100000] [--per-notice 500]

PostgreSQL only, on a database holding the demo (or a generated volume). It copies one of the demo's
applications in employer publicity N times with accounts and archives of their own (bench/clones.py, in
SQL), puts them on notices of `--per-notice` entries each whose period ended yesterday, runs the sweep,
runs it again (it must settle nothing), and checks the hash chain of a sample of the moved applications.
The rows stay in the database (use a database of its own).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from applications import chain, publicity  # noqa: E402
from applications.models import Application, PublicityEntry, PublicityNotice  # noqa: E402
from applications.states import State  # noqa: E402
from bench.clones import copy_applications, copy_rows, new_tag  # noqa: E402
from bench.statements import Counter  # noqa: E402
from portal import clock  # noqa: E402


def template_application() -> Application:
    template = (
        Application.objects.filter(state=State.EMPLOYER_PUBLICITY, publicity_entries__isnull=False)
        .order_by("number")
        .first()
    )
    if template is None:
        sys.exit("No application in employer publicity to copy: run `manage.py load_demo` first.")
    return template


def prepare(template: Application, entries: int, per_notice: int, ends_at: dt.datetime) -> str:
    notice = template.publicity_entries.select_related("notice").first().notice
    tag = new_tag("pb")
    with transaction.atomic():
        ids = copy_applications(tag=tag, template=template, count=entries, overrides={})
        notices = (entries + per_notice - 1) // per_notice
        copy_rows(
            "applications_publicitynotice",
            template_id=notice.pk,
            source=f"generate_series(1, {notices}) AS g",
            overrides={
                "id": "gen_random_uuid()",
                "title": f"'{tag} ' || g",
                "status": "'open'",
                "ends_at": f"'{ends_at.isoformat()}'::timestamptz",
                "closed_at": "NULL",
                "result_summary": "''",
            },
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO applications_publicityentry (notice_id, application_id, public_fields, outcome) "
                "SELECT n.id, a.id, '{}'::jsonb, 'pending' FROM "
                "(SELECT id, row_number() OVER (ORDER BY number) AS rn FROM applications_application "
                " WHERE number LIKE %s) a "
                "JOIN applications_publicitynotice n ON n.title = %s || ((a.rn - 1) / %s + 1)",
                [f"{tag}-%", f"{tag} ", per_notice],
            )
        assert len(ids) == entries
    return tag


def per_row(tag: str) -> None:
    """The same work settled entry by entry through `publicity._settle` (the path the sweep took before
    it worked in sets, and still the path of an objection dismissed after the period), on entries whose
    period ends tomorrow (so the sweep left them), settled as of the day after."""
    ids = list(
        PublicityEntry.objects.filter(notice__title__startswith=f"{tag} ", outcome="pending").values_list(
            "pk", flat=True
        )
    )
    counter = Counter()
    now = clock.now() + dt.timedelta(days=2)
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        settled = sum(publicity._settle(pk, now=now) for pk in ids)
        seconds = time.perf_counter() - started
    print(
        f"entry by entry: {settled:,} entries in {seconds:.1f} s ({settled / seconds:,.0f} entries/s), "
        f"{counter.statements:,} statements ({counter.statements / max(settled, 1):.1f} per entry)"
    )


def wal_position() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--per-notice", type=int, default=500)
    parser.add_argument(
        "--per-row",
        type=int,
        default=0,
        help="also settle this many entries one by one (the old path), for the ratio",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only: set DATABASE_URL.")
    template = template_application()
    later = ""
    if args.per_row:  # ending tomorrow: the sweep leaves them for the per-entry path
        later = prepare(template, args.per_row, args.per_notice, clock.now() + dt.timedelta(days=1))
    started = time.perf_counter()
    tag = prepare(template, args.entries, args.per_notice, clock.now() - dt.timedelta(days=1))
    print(
        f"prepared {args.entries:,} due entries on notices of {args.per_notice} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    due = PublicityEntry.objects.filter(
        outcome=PublicityEntry.Outcome.PENDING, notice__ends_at__lte=clock.now()
    )
    print(f"due entries in the database: {due.count():,}")

    counter = Counter()
    wal_before = wal_position()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        settled = publicity.publicity_sweep()
        seconds = time.perf_counter() - started
    print(
        f"sweep: {settled:,} entries settled in {seconds:.1f} s ({settled / seconds:,.0f} entries/s), "
        f"{counter.statements:,} statements (target: 100,000 in ≤ 30 s)"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", [wal_before])
        print(f"WAL written by the sweep: {cursor.fetchone()[0] / 2**20:,.0f} MB")
    print("time in the database, by statement:\n" + counter.slowest())
    again = Counter()
    with connection.execute_wrapper(again):
        started = time.perf_counter()
        second = publicity.publicity_sweep()
        print(
            f"second run: {second} settled in {time.perf_counter() - started:.2f} s, "
            f"{again.statements} statements"
        )
    still_open = PublicityNotice.objects.filter(title__startswith=f"{tag} ", status="open").count()
    print(f"notices of this run still open: {still_open}")

    moved = list(Application.objects.filter(number__startswith=f"{tag}-").values_list("pk", flat=True))
    sample = random.Random(1).sample(moved, min(500, len(moved)))
    broken = 0
    for application in Application.objects.filter(pk__in=sample):
        if chain.verify_chain(application, application.events.order_by("seq")) is not None:
            broken += 1
    states = set(Application.objects.filter(pk__in=sample).values_list("state", flat=True))
    print(f"chains checked: {len(sample)}, broken: {broken}; states of the sample: {sorted(states)}")
    if args.per_row:
        per_row(later)
    if broken or second or still_open or states != {State.EMPLOYER_PUBLICITY_DONE}:
        sys.exit(1)


if __name__ == "__main__":
    main()
