"""manage.py restore --from <folder>: into an empty database and an empty upload folder, after the
manifest's checksums are checked. Run `migrate` afterwards if the code is newer than the backup."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "从备份目录恢复数据库和上传文件（目标须为空库、空目录）；恢复后请运行 verify_audit 核验。"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, help="备份目录")

    def handle(self, *args, source, **options):
        try:
            manifest = backup_restore(Path(source))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已恢复 {manifest['created_at']} 的备份。"))
