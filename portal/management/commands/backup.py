"""manage.py backup --out <folder>: the database and the private uploads, with a checked manifest."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库（含加密保存的签名私钥）和上传文件到一个新目录；密钥口令和 SECRET_KEY 需另行保管。"

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="备份目录（新建或空目录）")

    def handle(self, *args, out, **options):
        try:
            manifest = backup_create(Path(out))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for name, digest in manifest["files"].items():
            self.stdout.write(f"{name}  SHA-256 {digest}")
        self.stdout.write(self.style.SUCCESS(f"备份完成：{out}"))
