"""`manage.py load_demo`: load (or refresh) the demo data set. Run `migrate` first."""

from __future__ import annotations

import unicodedata

from django.core.management.base import BaseCommand, CommandError

from applications.models import Application
from applications.states import State
from committees.models import Expert
from demo.clock import demo_clock_prepare, parse_demo_start
from demo.loader import load_demo
from demo.story import short_publicity_local_end
from demo.tables import DEMO_PASSWORD, PORTAL_URL
from portal.models import Organisation, ReviewPlan

HEADINGS = ("用户名", "密码", "角色", "所属机构")
STORY_HEADINGS = ("用户名", "密码", "申报途径", "申报状态", "所属机构")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "加载演示数据（评委会、评审计划、组织机构、专家库和各角色演示账号）；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            metavar="YYYY-MM-DD[THH:MM]",
            help="仅用于演示：门户从这一时刻（北京时间，只写日期则为当天 09:00）开始运行，此后照常流逝；"
            "web、worker 和 beat 都按此时间运行。",
        )
        parser.add_argument("--real-time", action="store_true", help="删除演示时钟，按实际时间运行。")

    def handle(self, *args, now=None, real_time=False, **options):
        if now and real_time:
            raise CommandError("--now 和 --real-time 只能选一个。")
        try:
            said = demo_clock_prepare(start=parse_demo_start(now) if now else None, real_time=real_time)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if said:
            self.stdout.write(self.style.WARNING(said))
        loaded = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已加载：{Organisation.objects.count()}个组织机构，{ReviewPlan.objects.count()}个评审计划，"
                f"{Expert.objects.count()}位专家，{Application.objects.count()}份申报。"
            )
        )
        accounts = loaded.accounts
        self._table(
            "演示账号", HEADINGS, [(a.username, a.password, a.role, a.organisation) for a in accounts]
        )
        self._story(loaded.story)
        self.stdout.write("")
        self.stdout.write(f"门户地址：{PORTAL_URL}")

    def _table(self, title: str, headings: tuple[str, ...], body: list[tuple[str, ...]]) -> None:
        rows = [headings, *body]
        widths = [max(_width(row[i]) for row in rows) for i in range(len(headings))]
        self.stdout.write("")
        self.stdout.write(title)
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))

    def _story(self, story) -> None:
        states = dict(
            Application.objects.filter(applicant__in=[p.user for p in story.applicants]).values_list(
                "applicant__username", "state"
            )
        )
        body = [
            (
                p.username,
                DEMO_PASSWORD,
                f"申报人（{p.route['label']}）",
                State(states[p.username]).label if p.username in states else "—",
                p.org.name,
            )
            for p in story.applicants
        ]
        self._table("本年度评审进行中：各申报途径各状态的申报人", STORY_HEADINGS, body)
        self.stdout.write("")
        end = short_publicity_local_end(story)
        if end:
            self.stdout.write(
                self.style.WARNING(
                    f"单位公示将于 {end}（演示时钟）自动结束：届时 beat 的公示扫描会自动推进其中的申报。"
                )
            )
        for meeting in story.live_meetings:
            self.stdout.write(
                f"评审会议：{meeting.title}（{meeting.committee.name}，{meeting.held_on:%Y-%m-%d}召开，"
                f"{meeting.get_status_display()}）："
                "核准备案部门备案确认 → 评委会办公室抽取专家、开始会议、登记出席、开始投票 → "
                "专家投票 → 结束表决。"
            )
