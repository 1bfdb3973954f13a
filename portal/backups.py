"""Backup and restore of everything the portal keeps: the database (signing keys included, their private
halves encrypted under CERTIFICATE_KEY_PASSPHRASE) and the private uploads (evidence, certificate PDFs,
review forms). A backup is a folder: the database dump, an archive of the uploads, and a manifest with
each file's SHA-256, checked before anything is restored (docs/operations.md).

The secrets are not in the backup and must be kept apart from it: SECRET_KEY (or
PORTAL_INTEGRITY_SECRET) seals the history rows and the ballot boxes, CERTIFICATE_KEY_PASSPHRASE opens
the signing keys. A restore with other secrets restores the data, but verify_audit then refuses it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection

from . import clock

DUMP_PG = "database.dump"
DUMP_SQLITE = "database.sqlite3"
UPLOADS = "uploads.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = [
        "-h",
        db.get("HOST") or "127.0.0.1",
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        db.get("USER") or "",
    ]
    env = dict(os.environ, PGPASSWORD=db.get("PASSWORD") or "")
    return args, env


def backup_create(out: Path) -> dict:
    """Write a backup into the empty or new folder `out`; returns the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise BackupError(f"备份目录 {out} 不是空目录。")
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        dump = out / DUMP_PG
        done = subprocess.run(
            [
                "pg_dump",
                *args,
                "--format=custom",
                "--no-owner",
                "--file",
                str(dump),
                settings.DATABASES["default"]["NAME"],
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"数据库备份失败：{done.stderr.strip()}")
    elif connection.vendor == "sqlite":
        dump = out / DUMP_SQLITE
        connection.ensure_connection()
        target = sqlite3.connect(dump)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise BackupError(f"不支持的数据库：{connection.vendor}")
    uploads = out / UPLOADS
    media = Path(settings.PRIVATE_MEDIA_ROOT)
    with tarfile.open(uploads, "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname=".")
    manifest = {
        "created_at": clock.real_now().isoformat(),
        "database": connection.vendor,
        "files": {path.name: _sha256(path) for path in (dump, uploads)},
    }
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def _checked(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} 中没有可读的备份清单（{MANIFEST}）。") from exc
    for name, digest in manifest.get("files", {}).items():
        path = source / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"备份文件 {name} 缺失或已被改动（SHA-256 不符），不能恢复。")
    return manifest


def backup_restore(source: Path) -> dict:
    """Restore a backup into this configuration's database and upload folder, both empty."""
    manifest = _checked(source)
    if manifest.get("database") != connection.vendor:
        raise BackupError(f"备份来自 {manifest.get('database')} 数据库，不能恢复到 {connection.vendor}。")
    if connection.introspection.table_names():
        raise BackupError("目标数据库不是空库：请恢复到新建的空数据库。")
    media = Path(settings.PRIVATE_MEDIA_ROOT)
    if media.exists() and any(media.iterdir()):
        raise BackupError(f"上传文件目录 {media} 不是空目录。")
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        done = subprocess.run(
            [
                "pg_restore",
                *args,
                "--no-owner",
                "--exit-on-error",
                "-d",
                settings.DATABASES["default"]["NAME"],
                str(source / DUMP_PG),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"数据库恢复失败：{done.stderr.strip()}")
    else:
        connection.close()
        shutil.copyfile(source / DUMP_SQLITE, settings.DATABASES["default"]["NAME"])
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / UPLOADS, "r:gz") as archive:
        archive.extractall(media, filter="data")
    return manifest
