"""Recompute a meeting's expert draw from its stored record and say whether it matches.

    python manage.py replay_draw <meeting id> [--force]

Exit status: 0 and "一致" when everything matches; 1 and "不一致：" with the first difference (the
others follow on standard error) when anything differs; 2 when there is nothing to replay (no draw
record, or the meeting has not started and --force is not given: the record is confidential until
then). For a sha256-commit-v2 draw it checks that the revealed secret matches the commitment published
at filing, that the frozen pool and exclusions still have the digest of the filing (and of every
application's history, and the portal's signature over it), that the panel and the reserves recomputed
from them equal the stored entries, that the draw's signature covers the random value and the result,
and that declines were filled from the reserves in drawn order. Draws of hmac-sha256-v1 are replayed
with that algorithm (committees/draw_v1.py).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from committees.models import DrawRecord
from committees.services.draw_check import draw_replay

NOTHING_TO_REPLAY = 2


class Command(BaseCommand):
    help = "按抽取记录重算评审会议的专家抽取结果，并与记录比对。"

    def add_arguments(self, parser):
        parser.add_argument("meeting", type=int, help="评审会议编号")
        parser.add_argument("--force", action="store_true", help="会议开始（抽取结果公开）前也重算")

    def handle(self, *args, meeting: int, force: bool = False, **options):
        record = DrawRecord.objects.select_related("meeting").filter(meeting_id=meeting).first()
        if record is None:
            raise CommandError(f"会议{meeting}没有专家抽取记录。", returncode=NOTHING_TO_REPLAY)
        if record.meeting.seed_revealed_at is None and not force:
            raise CommandError("会议尚未开始，抽取记录尚未公开。", returncode=NOTHING_TO_REPLAY)
        result = draw_replay(record)
        if not result.matches:
            for line in result.differences[1:]:
                self.stderr.write(line)
            raise CommandError(f"不一致：{result.differences[0]}")
        self.stdout.write(
            f"一致：会议{meeting}的抽取结果可由记录重算（算法{record.algorithm_version}，"
            f"抽取密钥承诺值 {record.seed_hash}）。"
        )
