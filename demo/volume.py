"""`generate_volume`: a province's year of applications loaded into PostgreSQL in bulk, on top of the demo.

A run adds a new set (accounts vol<run>-…, employers, experts, meetings, notices, filings, certificates)
beside whatever is there; it never deletes. Everything is written in one transaction, so a failed run
leaves nothing behind. Use a fresh database (createdb, migrate, generate_volume) to start over."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from django.db import connection, transaction

from applications.models import Channel
from portal.models import ReviewPlan

from .loader import load_demo
from .tables import SHANGHAI
from .volume_apps import Applications
from .volume_certs import Certificates, Filings
from .volume_context import (
    Context,
    Users,
    as_employer,
    count_users_needed,
    create_employers,
    employer_count,
    load_context,
    load_staff,
    next_run,
)
from .volume_copy import database_size, reset_sequences
from .volume_groups import PER_MEETING, Meetings, Notices, Schedule, create_experts
from .volume_paths import Chooser, path_to
from .volume_people import People

EXPERTS_PER_MILLION = 10_000


@dataclass
class Report:
    run: int
    applications: int
    seconds: float
    database_bytes: int
    states: dict


class _Picker:
    """Plan, qualification, specialty and channel for each route, weighted as a province's year is."""

    def __init__(self, context: Context):
        self.context, self.rng = context, context.rng
        self.by_route: dict[str, list] = {"any": [], "recog": [], "initial": [], "upward": []}
        for plan in context.plans:
            for q in plan.qualifications:
                self.by_route["any"].append((plan, q))
                if q.level <= 3:
                    self.by_route["recog"].append((plan, q))
                if q.level <= 2 and not q.series.exam_based:
                    self.by_route["initial"].append((plan, q))
            if plan.higher_committee_id:
                self.by_route["upward"] += [(plan, q) for q in plan.recommend_qualifications]
        self.agencies = [as_employer(o) for o in context.agencies]
        self.dispatchers = [as_employer(o) for o in context.dispatchers]
        self.points = [as_employer(o) for o in context.points]

    def plan(self, route: str):
        choices = self.by_route.get(route) or self.by_route["any"]
        plan, qualification = choices[self.rng.randrange(len(choices))]
        specialty, subs = plan.specialties[self.rng.randrange(len(plan.specialties))]
        return plan, qualification, specialty, (subs[self.rng.randrange(len(subs))] if subs else None)

    def channel(self):
        """(organisation, channel, workplace): mostly employers, the big ones far more often."""
        employers, x = self.context.employers, self.rng.random()
        employer = employers[int(len(employers) * self.rng.random() ** 3)]
        if x < 0.05 and self.agencies:
            return self.rng.choice(self.agencies), Channel.AGENCY, None
        if x < 0.09 and self.dispatchers:
            return self.rng.choice(self.dispatchers), Channel.DISPATCH, employer
        if x < 0.14 and self.points:
            return self.rng.choice(self.points), Channel.SERVICE_POINT, None
        return employer, Channel.EMPLOYER, None


def generate_volume(*, applications: int, seed: int = 1, say=print) -> Report:
    if connection.vendor != "postgresql":
        raise RuntimeError(
            "generate_volume 只支持 PostgreSQL（需设置 DATABASE_URL）：SQLite 无法承载一个省的数据量。"
        )
    started = time.monotonic()
    if not ReviewPlan.objects.filter(status=ReviewPlan.Status.PUBLISHED).exists():
        say("未找到演示数据，先加载演示数据（load_demo）……")
        load_demo()
    rng = random.Random(seed)
    states: dict[str, int] = {}
    with transaction.atomic():
        run = next_run()
        context = load_context(rng=rng, run=run)
        employers = employer_count(applications)
        users = Users(context, count_users_needed(applications, employers, context))
        load_staff(context, users)
        create_employers(context, users, employers)
        schedule = Schedule.build(context.now.astimezone(SHANGHAI).date())
        pools = create_experts(context, applications * EXPERTS_PER_MILLION // 1_000_000)
        say(f"第{run}批：{employers}个用人单位，{sum(map(len, pools.values()))}位专家。")
        notices = Notices(context, schedule)
        meetings = Meetings(
            context, schedule, pools, applications // PER_MEETING + 4 * len(context.committees)
        )
        filings = Filings(context, schedule)
        people = People(context, users, applications)
        certs = Certificates(context, schedule, filings, people)
        apps = Applications(context, schedule, notices, meetings, filings, certs)
        picker = _Picker(context)
        chooser = Chooser(rng)
        first = chooser.every_pair()
        for index in range(applications):
            route, state = first[index] if index < len(first) else chooser()
            plan, qualification, specialty, sub = picker.plan(route)
            path = path_to(route, state)
            held_by = plan.higher_committee_id if any(m.action == "upward_receive" for m in path) else None
            if state == "certified" and not certs.can_issue(held_by or plan.committee_id):
                state, path = "approved", path[:-1]
            org, channel, workplace = picker.channel()
            user_id, archive_id, snapshot = people.add(
                index, org=org, qualification=qualification, year=plan.year
            )
            apps.add(
                route=route, state=state, path=path, plan=plan, qualification=qualification,
                specialty=specialty, sub=sub, org=org, channel=channel, workplace=workplace,
                user_id=user_id, archive_id=archive_id, snapshot=snapshot, name=snapshot["identity"]["name"],
            )  # fmt: skip
            states[state] = states.get(state, 0) + 1
            if (index + 1) % 100_000 == 0:
                say(f"  已生成{index + 1}份申报（{time.monotonic() - started:.0f}秒）")
        for part in (users, people, apps, notices, meetings, filings, certs):
            part.close()
        reset_sequences(sorted(context.tables))
    with connection.cursor() as cursor:
        # Fresh statistics for the tables written, so the planner sees the new volume at once.
        cursor.execute("ANALYZE " + ", ".join(f'"{table}"' for table in sorted(context.tables)))
    return Report(run, applications, time.monotonic() - started, database_size(), states)
