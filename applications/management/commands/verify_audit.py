"""Exit status: 0 intact; 1 an application's own history is broken; 2 a history no longer extends the
checkpoint compared with; 3 a checkpoint is not genuine (see docs/records.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from applications.audit_verify import INTACT, verify


class Command(BaseCommand):
    help = (
        "校验申报流转记录的哈希链及其与已签名检查点的一致性，报告第一处被修改、插入、删除或调换的记录。"
        "退出码：0 完整；1 记录链断裂；2 与检查点不符；3 检查点无效。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--application", help="只校验该申报（UUID）")
        parser.add_argument(
            "--checkpoint", metavar="FILE", help="与此前导出的检查点文件比对（默认：库中最新的检查点）"
        )

    def handle(self, *args, **options):
        outcome = verify(checkpoint_file=options["checkpoint"], application_id=options["application"])
        for note in outcome.notes:
            self.stdout.write(note)
        if outcome.code != INTACT:
            raise CommandError(outcome.message(), returncode=outcome.code)
        self.stdout.write(outcome.message())
