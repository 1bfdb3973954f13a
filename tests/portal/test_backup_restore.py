"""The restore drill: back up, restore into a fresh database and upload folder (other processes, as an
operator would), then the history verifies and a certificate issued before the backup verifies online
and offline. A backup altered after it was made is refused."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from certificates.services.rendering import certificate_render
from tests.certificates.conftest import issued, issuer  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fresh_database():
    if connection.vendor != "postgresql":
        pytest.skip("the drill restores a PostgreSQL dump (set DATABASE_URL, as .ci/run does)")
    db = settings.DATABASES["default"]
    name = f"restore_{uuid.uuid4().hex[:10]}"
    host = [
        "-h",
        db.get("HOST") or "127.0.0.1",
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        db.get("USER") or "",
    ]
    subprocess.run(["createdb", *host, name], check=True)
    try:
        yield (
            f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db.get('HOST') or '127.0.0.1'}:"
            f"{db.get('PORT') or 5432}/{name}"
        )
    finally:
        subprocess.run(["dropdb", *host, "--if-exists", name], check=False)


def _manage(env: dict, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def test_a_backup_restored_elsewhere_verifies_its_history_and_its_certificates(
    issued,  # noqa: F811
    fresh_database,
    tmp_path,
):
    issued.refresh_from_db()
    if not issued.pdf.name:  # rendered by its task; render it here if that has not run in this process
        certificate_render(certificate_id=str(issued.pk))
        issued.refresh_from_db()
    assert issued.pdf.name, "the certificate's PDF is rendered before the backup"
    call_command("backup", out=str(tmp_path / "backup"))
    media = tmp_path / "restored-uploads"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")},
        "DATABASE_URL": fresh_database,
        "PRIVATE_MEDIA_ROOT": str(media),
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "portal.settings.base",
        # The secrets are kept apart from the backup and given to the restored portal.
        "SECRET_KEY": settings.SECRET_KEY,
        "CERTIFICATE_KEY_PASSPHRASE": settings.CERTIFICATE_KEY_PASSPHRASE,
        "LOG_LEVEL": "WARNING",
    }
    (tmp_path / "var").mkdir()
    done = _manage(env, "restore", "--from", str(tmp_path / "backup"))
    assert done.returncode == 0, done.stderr

    audit = _manage(env, "verify_audit")
    assert audit.returncode == 0, audit.stdout + audit.stderr

    pdf = media / issued.pdf.name
    assert pdf.read_bytes() == Path(issued.pdf.path).read_bytes()
    keys = tmp_path / "keys.json"
    assert _manage(env, "certificate_keys", "export", "--out", str(keys)).returncode == 0
    offline = _manage(env, "verify_certificate", str(pdf), "--keys", str(keys))
    assert offline.returncode == 0, offline.stdout + offline.stderr

    online = _manage(
        env,
        "shell",
        "-c",
        "from django.test import Client\n"
        f"r = Client().get('/certificates/verify/', {{'number': '{issued.number}'}})\n"
        "text = r.content.decode()\n"
        f"genuine = '有效' in text and '{issued.number}' in text and '已撤销' not in text\n"
        "print('ONLINE', r.status_code, genuine)",
    )
    assert "ONLINE 200 True" in online.stdout, online.stdout + online.stderr


def test_an_altered_backup_is_refused_before_anything_is_restored(issued, tmp_path, settings):  # noqa: F811
    call_command("backup", out=str(tmp_path / "backup"))
    dump = next(p for p in (tmp_path / "backup").iterdir() if p.name.startswith("database"))
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "empty"
    with pytest.raises(CommandError, match="已被改动"):
        call_command("restore", source=str(tmp_path / "backup"))


def test_a_restore_refuses_a_database_that_is_not_empty(issued, tmp_path):  # noqa: F811
    call_command("backup", out=str(tmp_path / "backup"))
    with pytest.raises(CommandError, match="不是空"):
        call_command("restore", source=str(tmp_path / "backup"))
