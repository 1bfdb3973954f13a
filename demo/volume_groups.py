"""The rows that gather applications in generate_volume: publicity notices (a closed one per publisher and
stage for the weeks past, an open one for those publicised now), review meetings with their draws, result
filings, the expert pool, and the schedule of the year's steps they follow."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass

from applications.models import PublicityStage
from committees.draw import ALGORITHM_VERSION
from portal.models import Qualification
from rules import workdays

from .tables import SHANGHAI
from .volume_context import Context
from .volume_copy import Copier, reserve_ids

PER_NOTICE = 500  # applications on one notice (a publisher's later ones start a new notice)
PER_MEETING = 200  # applications on one meeting's list
PANEL, RESERVE = 7, 2
RULE = workdays.PublicityStartRule.START_DAY_COUNTS
STAGE_TITLES = {
    PublicityStage.EMPLOYER: "{year}年度职称申报单位公示",
    PublicityStage.PRE_REVIEW: "{year}年度{name}评前公示",
    PublicityStage.RESULT: "{year}年度{name}评审结果公示",
}


def local(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), SHANGHAI).astimezone(dt.UTC)


@dataclass
class Schedule:
    """The year's past steps at fixed dates (as a province's plans move in waves) and today's publicities."""

    base: dt.date
    employer: workdays.PublicityPeriod
    pre_review: workdays.PublicityPeriod
    held_on: dt.date
    result: workdays.PublicityPeriod
    approved_on: dt.date
    current: dict  # stage -> PublicityPeriod posted yesterday, still open

    @classmethod
    def build(cls, today: dt.date) -> Schedule:
        base = today - dt.timedelta(days=58)
        employer = workdays.publicity_period(base + dt.timedelta(days=12), 5, RULE)
        pre_review = workdays.publicity_period(employer.end_date + dt.timedelta(days=7), 5, RULE)
        held_on = max(pre_review.end_date + dt.timedelta(days=2), pre_review.posted_on + dt.timedelta(days=7))
        result = workdays.publicity_period(held_on + dt.timedelta(days=2), 5, RULE)
        approved_on = result.end_date + dt.timedelta(days=1)
        if approved_on + dt.timedelta(days=2) >= today:
            raise RuntimeError("生成数据：本年度进度排不进今天之前，请检查工作日历。")
        yesterday = today - dt.timedelta(days=1)
        current = {stage: workdays.publicity_period(yesterday, 5, RULE) for stage in STAGE_TITLES}
        return cls(base, employer, pre_review, held_on, result, approved_on, current)

    def period(self, stage: str, is_open: bool) -> workdays.PublicityPeriod:
        if is_open:
            return self.current[stage]
        return {
            PublicityStage.EMPLOYER: self.employer,
            PublicityStage.PRE_REVIEW: self.pre_review,
            PublicityStage.RESULT: self.result,
        }[stage]


class Notices:
    """Publicity notices and their entries; a notice row is written when the run closes."""

    def __init__(self, context: Context, schedule: Schedule):
        self.context, self.schedule = context, schedule
        self.open: dict[tuple, list] = {}  # (stage, publisher, is_open) -> [notice id, title, count]
        self.rows = Copier(
            "applications_publicitynotice",
            ["id", "stage", "publisher_id", "published_by_id", "title", "body", "contact", "posted_on"]
            + ["working_days", "rule", "first_day", "end_date", "ends_at", "calendar_version", "status"]
            + ["created_at", "closed_at", "result_summary"],
        )
        self.entries = Copier(
            "applications_publicityentry",
            ["notice_id", "application_id", "public_fields", "outcome", "settled_at"],
        )
        context.tables |= {"applications_publicitynotice", "applications_publicityentry"}

    def enter(
        self, *, stage, publisher_id: int, publisher_name: str, actor_id: int, is_open: bool, app, fields
    ):
        """Put an application on its publisher's notice of the stage; return (notice id, title, period)."""
        key = (stage, publisher_id, is_open)
        slot = self.open.get(key)
        period = self.schedule.period(stage, is_open)
        if slot is None or slot[2] >= PER_NOTICE:
            batch = 1 if slot is None else slot[3] + 1
            title = STAGE_TITLES[stage].format(year=self.context.plans[0].year, name=publisher_name)
            if batch > 1:
                title += f"（第{batch}批）"
            slot = [uuid.uuid4(), title, 0, batch]
            self.open[key] = slot
            posted = local(period.posted_on, 9)
            closed = None if is_open else period.ends_at + dt.timedelta(minutes=5)
            self.rows.add(
                [slot[0], stage, publisher_id, actor_id, title, "", "0570-3000000", period.posted_on]
                + [5, RULE, period.first_day, period.end_date, period.ends_at, period.calendar_version]
                + ["open" if is_open else "closed", posted, closed, "" if is_open else "公示期满，无异议。"]
            )
        slot[2] += 1
        outcome, settled = (
            ("pending", None) if is_open else ("passed", period.ends_at + dt.timedelta(minutes=5))
        )
        self.entries.add([slot[0], app, fields, outcome, settled])
        return slot[0], slot[1], period

    def close(self) -> None:
        self.rows.close()
        self.entries.close()


class Meetings:
    """Review meetings of each committee: closed ones (filed, drawn, voted) and ones still ahead."""

    def __init__(self, context: Context, schedule: Schedule, experts: dict[int, list[dict]], count: int):
        self.context, self.schedule, self.experts = context, schedule, experts
        self.next_id = reserve_ids("committees_meeting", count)
        self.last_id = self.next_id + count - 1
        self.next_draw = reserve_ids("committees_drawrecord", count)
        self.current: dict[tuple, list] = {}  # (committee, held) -> [meeting id, title, held_on, count]
        self.meetings = Copier(
            "committees_meeting",
            [
                "id",
                "committee_id",
                "title",
                "held_on",
                "place",
                "mode",
                "level",
                "panel_size",
                "reserve_count",
            ]
            + ["status", "created_by_id", "created_on", "created_at", "filed_by_id", "filed_at"]
            + ["filing_summary", "seed_hash", "seed", "seed_revealed_at", "started_at", "started_by_id"]
            + ["voting_opened_at", "closed_at", "closed_by_id", "close_note"],
        )
        self.items = Copier(
            "committees_meetingapplication",
            ["meeting_id", "application_id", "position", "added_by_id", "added_at", "removed_at"],
        )
        self.draws = Copier(
            "committees_drawrecord",
            ["id", "meeting_id", "algorithm_version", "seed_hash", "filters", "pool", "exclusions"]
            + ["record_digest", "drawn_by_id", "drawn_at"],
        )
        self.entries = Copier(
            "committees_drawentry",
            ["draw_id", "expert_id", "position", "drawn_as", "on_panel", "declined_at", "decline_reason"]
            + ["replaces_id", "promoted_at"],
        )
        context.tables |= {"committees_meeting", "committees_meetingapplication", "committees_drawrecord"}
        context.tables.add("committees_drawentry")

    def place(self, *, committee_id: int, application_id, level: int, held: bool) -> tuple[int, str, dt.date]:
        key = (committee_id, held)
        slot = self.current.get(key)
        if slot is None or slot[3] >= PER_MEETING:
            slot = self._create(committee_id, level, held, 1 if slot is None else slot[4] + 1)
            self.current[key] = slot
        slot[3] += 1
        clerk = self.context.clerk[committee_id]
        self.items.add([slot[0], application_id, slot[3], clerk, self.assign_at(), None])
        return slot[0], slot[1], slot[2]

    def assign_at(self) -> dt.datetime:
        return local(self.schedule.pre_review.end_date + dt.timedelta(days=1), 10)

    def _create(self, committee_id: int, level: int, held: bool, batch: int) -> list:
        if self.next_id > self.last_id:
            raise RuntimeError("生成数据：预留的会议编号不足。")
        meeting_id, self.next_id = self.next_id, self.next_id + 1
        context, schedule = self.context, self.schedule
        clerk = context.clerk[committee_id]
        committee = context.committees[committee_id]
        officer = context.officer.get(committee.parent_bureau_id, clerk)
        created_on = schedule.pre_review.posted_on
        held_on = schedule.held_on if held else context.now.astimezone(SHANGHAI).date() + dt.timedelta(days=3)
        title = f"{context.plans[0].year}年度第{batch}次评审会议" + ("" if held else "（待召开）")
        place = f"{committee.name}办公室"
        head = [meeting_id, committee_id, title, held_on, place, "on_site", level, PANEL, RESERVE]
        if not held:
            self.meetings.add(
                head
                + ["created", clerk, created_on, local(created_on, 11), None, None, "", "", "", None]
                + [None, None, None, None, None, ""]
            )
            return [meeting_id, title, held_on, 0, batch]
        seed = hashlib.sha256(f"volume-{context.run}-{meeting_id}".encode()).hexdigest()
        seed_hash = hashlib.sha256(seed.encode()).hexdigest()
        filed, start = local(held_on - dt.timedelta(days=2), 10), local(held_on, 9)
        self.meetings.add(
            head
            + ["closed", clerk, created_on, local(created_on, 11), officer, filed]
            + ["资格审查及评前公示已完成。", seed_hash, seed, start, start, clerk, local(held_on, 10)]
            + [local(held_on, 17), clerk, "全体执行委员出席，表决完毕。"]
        )
        self._draw(meeting_id, committee_id, seed_hash, clerk, local(held_on - dt.timedelta(days=1), 9))
        return [meeting_id, title, held_on, 0, batch]

    def _draw(self, meeting_id: int, committee_id: int, seed_hash: str, clerk: int, at: dt.datetime) -> None:
        pool = self.experts.get(committee_id, [])[:40]
        record = {"pool": pool, "filters": {"panel": PANEL, "reserve": RESERVE}, "exclusions": []}
        digest = hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        draw_id, self.next_draw = self.next_draw, self.next_draw + 1
        self.draws.add(
            [
                draw_id,
                meeting_id,
                ALGORITHM_VERSION,
                seed_hash,
                record["filters"],
                pool,
                [],
                digest,
                clerk,
                at,
            ]
        )
        for position, expert in enumerate(pool[: PANEL + RESERVE], start=1):
            panel = position <= PANEL
            self.entries.add(
                [
                    draw_id,
                    expert["id"],
                    position,
                    "panel" if panel else "reserve",
                    panel,
                    None,
                    "",
                    None,
                    None,
                ]
            )

    def close(self) -> None:
        for copier in (self.meetings, self.items, self.draws, self.entries):
            copier.close()


def create_experts(context: Context, count: int) -> dict[int, list[dict]]:
    """The pool: experts of each committee in its plans' specialties, with senior titles of the series,
    employed by the province's employers; returns each committee's draw snapshots."""
    committees = sorted(context.committees)
    per = max(PANEL + RESERVE + 3, count // max(len(committees), 1))
    first = reserve_ids("committees_expert", per * len(committees))
    rows = Copier(
        "committees_expert",
        ["id", "user_id", "name", "committee_id", "specialty_id", "title_id", "employer_id", "employer_name"]
        + ["region_id", "phone", "email", "is_private_sector", "active_from", "active_until"],
    )
    context.tables.add("committees_expert")
    specialties: dict[int, list] = {}
    for plan in context.plans:
        for committee_id in filter(None, [plan.committee_id, plan.higher_committee_id]):
            specialties.setdefault(committee_id, []).extend(s for s, _subs in plan.specialties)
    senior = {}
    for q in Qualification.objects.filter(level__gte=4).order_by("level"):
        senior[q.series_id] = q
    fallback = Qualification.objects.order_by("-level").first()
    pools: dict[int, list[dict]] = {}
    expert_id = first
    for c, committee_id in enumerate(committees):
        own = specialties.get(committee_id) or [s for p in context.plans for s, _ in p.specialties][:1]
        for k in range(per):
            specialty = own[k % len(own)]
            title = senior.get(specialty.series_id, fallback)
            employer = context.employers[(c * per + k) % len(context.employers)]
            name = f"专家{context.run}-{committee_id}-{k}"
            since = dt.date(2020, 1, 1) + dt.timedelta(days=k % 1500)
            rows.add(
                [expert_id, None, name, committee_id, specialty.pk, title.pk, employer.pk, employer.name]
                + [employer.region_id, f"139{expert_id % 100_000_000:08d}", "", k % 4 == 0, since, None]
            )
            pools.setdefault(committee_id, []).append(
                {"id": expert_id, "name": name, "specialty_id": specialty.pk, "specialty": specialty.name}
                | {"title": title.name, "title_level": title.level, "employer_id": employer.pk}
                | {
                    "employer": employer.name,
                    "region": employer.region_code,
                    "active_from": since.isoformat(),
                }
                | {"active_until": None}
            )
            expert_id += 1
    rows.close()
    return pools
