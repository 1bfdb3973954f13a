"""`manage.py generate_volume --applications N [--seed S]`: a province's volume of data for the benchmarks."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from demo.volume import generate_volume


class Command(BaseCommand):
    help = (
        "在 PostgreSQL 中批量生成一个省的数据量（申报、档案、流转记录、公示、专家、会议、证书），"
        "用于性能测试；每次运行新增一批，不删除已有数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, required=True, help="生成的申报份数")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（同一种子生成同样分布的数据）")

    def handle(self, *args, applications: int, seed: int, **options):
        if applications < 1:
            raise CommandError("--applications 应为正整数。")
        try:
            report = generate_volume(applications=applications, seed=seed, say=self.stdout.write)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        states = "，".join(f"{state} {count}" for state, count in sorted(report.states.items()))
        self.stdout.write(f"各状态：{states}")
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成第{report.run}批：{report.applications}份申报，用时{report.seconds:.1f}秒；"
                f"数据库大小 {report.database_bytes / 1024**3:.2f} GB（{report.database_bytes}字节）。"
            )
        )
