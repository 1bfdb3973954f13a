from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from applications.checkpoint_files import export_lines
from applications.checkpoints import take_checkpoint
from applications.models import AuditCheckpoint


class Command(BaseCommand):
    help = (
        "导出已签名的审计链检查点（JSON：各申报的链头、签名和公钥），"
        "供日后用 verify_audit --checkpoint 比对。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--seq", type=int, help="检查点序号（默认：最新）")
        parser.add_argument("--take", action="store_true", help="先生成一个新的检查点再导出")
        parser.add_argument("--output", "-o", metavar="FILE", help="写入该文件（默认：标准输出）")

    def handle(self, *args, **options):
        if options["take"]:
            taken = take_checkpoint()
            self.stderr.write(str(taken))
        checkpoints = AuditCheckpoint.objects.order_by("-seq")
        if options["seq"] is not None:
            checkpoints = checkpoints.filter(seq=options["seq"])
        checkpoint = checkpoints.first()
        if checkpoint is None:
            raise CommandError(
                "没有这个检查点。" if options["seq"] is not None else "尚无检查点（可加 --take 生成）。"
            )
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as f:
                f.writelines(export_lines(checkpoint))
            self.stderr.write(f"已导出第{checkpoint.seq}号检查点到 {options['output']}")
        else:
            for piece in export_lines(checkpoint):
                self.stdout.write(piece, ending="")
