"""Benchmark of the conflict check, the filing and the expert draw (issue 14 item 5): a meeting of 200
applications over a pool of 10,000 experts; prints each step's time and statements. Target: the conflict
check and the draw ≤ 1 s together, statements not growing with the pool or the list.

    createdb -h 127.0.0.1 -U postgres portal_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo
    .venv/bin/python bench/draw_bench.py [--applications 200] [--experts 10000]

PostgreSQL only, on a database holding the demo. It copies one of the demo's applications awaiting a
meeting (with its archive's work periods and achievements) and one of its committee's experts
(bench/clones.py, in SQL): the experts get accounts of their own, one in 500 at the applicants'
employer (a conflict with every application), the others at another employer, one in 20 of another
specialty. The clerk creates a meeting and puts the applications on it (not timed); then the clerk's
conflict check, the bureau's filing (which freezes the pool) and the clerk's draw are timed, and the
draw is replayed. The rows stay in the database (use a database of its own).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from applications.models import Application  # noqa: E402
from applications.states import State  # noqa: E402
from applications.workflow import MOVES  # noqa: E402
from bench.clones import copy_applications, copy_rows, copy_users, new_tag  # noqa: E402
from bench.statements import Counter  # noqa: E402
from committees import services  # noqa: E402
from committees.models import Expert  # noqa: E402
from committees.services.draw_check import draw_replay  # noqa: E402
from portal import clock  # noqa: E402
from portal.models import EMPLOYER_KINDS, Membership, Organisation, Role, Specialty  # noqa: E402


def timed(label: str, step, verbose: bool = False):
    counter = Counter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        result = step()
        seconds = time.perf_counter() - started
    print(
        f"{label:<30} {seconds:7.3f} s  {counter.statements:5,} statements, "
        f"{counter.database_seconds:6.3f} s of them in the database"
    )
    if verbose:
        print(counter.slowest(4))
    return result, seconds, counter.statements


def prepare(applications: int, experts: int):
    candidates = (
        Application.objects.filter(state=State.AWAITING_MEETING, committee__isnull=False)
        .filter(number__regex=r"^[0-9]")  # not a copy made by an earlier run
        .select_related("committee", "qualification", "plan", "qualification__series")
        .order_by("number")
    )
    # One that a meeting may take (a route that goes before experts).
    template = next((a for a in candidates if MOVES["assign_meeting"].refusal(a) is None), None)
    if template is None:
        sys.exit("No application awaiting a meeting to copy: run `manage.py load_demo` first.")
    committee = template.committee
    clerk = Membership.objects.filter(organisation=committee, role=Role.CLERK, is_active=True).first().user
    officer = (
        Membership.objects.filter(
            organisation_id=committee.parent_bureau_id, role=Role.OFFICER, is_active=True
        )
        .first()
        .user
    )
    expert = (
        Expert.objects.filter(committee=committee, specialty=template.specialty, user__isnull=False)
        .order_by("pk")
        .first()
    )
    other_employer = (
        Organisation.objects.filter(kind__in=EMPLOYER_KINDS)
        .exclude(pk=template.recommending_org_id)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    other = Specialty.objects.exclude(pk=template.specialty_id).order_by("pk").first()
    tag = new_tag("db")
    # The pool is topped up to `experts` (an earlier run's copies count).
    missing = max(0, experts - Expert.objects.filter(committee=committee).count())
    with transaction.atomic():
        ids = copy_applications(tag=tag, template=template, count=applications, overrides={})
        copy_users(tag=f"{tag}e", template_id=expert.user_id, count=missing)
        copy_rows(
            "committees_expert",
            template_id=expert.pk,
            source="auth_user u",
            where=f"u.username LIKE '{tag}e-%%'",
            overrides={
                "user_id": "u.id",
                "name": "'专家' || u.id",
                "email": "''",
                # One in 500 at the applicants' employer (a conflict with each application), the others
                # at another employer of the portal.
                "employer_id": f"CASE WHEN u.id %% 500 = 0 THEN {template.recommending_org_id} "
                f"ELSE {other_employer} END",
                "employer_name": "'单位' || (u.id %% 500)",
                "specialty_id": f"CASE WHEN u.id %% 20 = 0 THEN {other.pk} ELSE t.specialty_id END",
            },
        )
    held_on = clock.today() + dt.timedelta(days=30)
    meeting = services.meeting_create(
        committee=committee,
        actor=clerk,
        title=f"{tag} 评审会议",
        held_on=held_on,
        level=template.qualification.level,
    )
    done, failed = services.meeting_assign(
        meeting=meeting, applications=list(Application.objects.filter(pk__in=ids)), actor=clerk
    )
    if failed:
        sys.exit(f"{len(failed)} applications not assigned: {failed[0][1]}")
    pool = Expert.objects.filter(committee=committee).count()
    print(f"meeting {meeting.pk}: {len(done)} applications, pool of {pool:,} experts")
    return meeting, clerk, officer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=200)
    parser.add_argument("--experts", type=int, default=10_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only: set DATABASE_URL.")
    meeting, clerk, officer = prepare(args.applications, args.experts)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    found, check_s, check_n = timed(
        "conflict check (whole pool)",
        lambda: services.meeting_check_conflicts(meeting=meeting, actor=clerk),
        verbose=True,
    )
    print(f"  conflicts found: {found:,}")
    _, file_s, file_n = timed(
        "filing (freezes the pool)", lambda: services.meeting_file(meeting=meeting, actor=officer), True
    )
    meeting.refresh_from_db()
    record, draw_s, draw_n = timed(
        "draw", lambda: services.meeting_draw_experts(meeting=meeting, actor=clerk), True
    )
    replay, _, _ = timed("replay", lambda: draw_replay(record))
    print(
        f"conflict check + draw: {check_s + draw_s:.3f} s (target ≤ 1 s); "
        f"with the filing {check_s + file_s + draw_s:.3f} s"
    )
    print(f"replay matches: {replay.matches} {replay.differences[:1]}")
    if not replay.matches:
        sys.exit(1)


if __name__ == "__main__":
    main()
