"""Recompute a meeting's expert draw from its stored record and say whether it matches.

    python manage.py replay_draw <meeting id>

Exits 0 and prints "一致" on a match; exits non-zero naming the first difference otherwise. The seed
is revealed when the meeting starts (D: Draw seed); before that the command refuses unless --force.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from committees import draw
from committees.models import DrawRecord


class Command(BaseCommand):
    help = "按抽取记录重算评审会议的专家抽取结果，并与记录比对。"

    def add_arguments(self, parser):
        parser.add_argument("meeting", type=int, help="评审会议编号")
        parser.add_argument("--force", action="store_true", help="会议开始（种子公开）前也重算")

    def handle(self, *args, meeting: int, force: bool = False, **options):
        record = DrawRecord.objects.select_related("meeting").filter(meeting_id=meeting).first()
        if record is None:
            raise CommandError(f"会议{meeting}没有专家抽取记录。")
        if record.meeting.seed_revealed_at is None and not force:
            raise CommandError("会议尚未开始，随机种子尚未公开。")
        result = draw.replay(record, seed=record.meeting.seed, entries=list(record.entries.all()))
        if not result.matches:
            for line in result.differences[1:]:
                self.stderr.write(line)
            raise CommandError(f"不一致：{result.differences[0]}")
        self.stdout.write(
            f"一致：会议{meeting}的抽取结果可由记录重算（算法{record.algorithm_version}，"
            f"种子SHA-256 {record.seed_hash}）。"
        )
