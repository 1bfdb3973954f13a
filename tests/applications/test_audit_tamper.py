"""An insider with full write access to the database edits the audit trail with SQL; `verify_audit`
must name the first bad application and row and exit non-zero, with the documented status."""

from __future__ import annotations

import hashlib
import importlib
import io
import json
from unittest import mock

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.apps import apps as django_apps
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connection, connections
from django.urls import reverse

from applications import audit_walk, checkpoints, services
from applications.audit_verify import CHAIN_BROKEN, CHECKPOINT_DIVERGED, CHECKPOINT_INVALID
from applications.chain import GENESIS, digest_of, row_key, row_seal
from applications.checkpoint_files import ExportedCheckpoint
from applications.models import Application, ApplicationEvent, AuditCheckpoint, CheckpointHead, Evidence
from portal.menus import menu_for
from portal.models import Role

pytestmark = pytest.mark.django_db

APP = Application._meta.db_table
EVENT = ApplicationEvent._meta.db_table
CHECKPOINT = AuditCheckpoint._meta.db_table
HEAD = CheckpointHead._meta.db_table


def sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def db_id(pk) -> str:
    """A UUID as the database stores it (SQLite: 32 hex digits; PostgreSQL: uuid)."""
    return pk.hex if connection.vendor == "sqlite" else str(pk)


def verify(*args) -> tuple[int, str]:
    """Run verify_audit like a script would: the exit status and what it printed."""
    out = io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, out.getvalue()


def exit_status(*args) -> int:
    """verify_audit as `manage.py verify_audit` runs it: the status it exits with. (run_from_argv closes
    the connections when done; the test's transaction needs its connection, so that one call is kept.)"""
    with mock.patch.object(connections, "close_all"):
        try:
            ManagementUtility(["manage.py", "verify_audit", *args]).execute()
        except SystemExit as exc:
            return exc.code
    return 0


def rows(application) -> list[ApplicationEvent]:
    return list(ApplicationEvent.objects.filter(application=application).order_by("seq"))


def rechain(application, events) -> None:
    """What a careful insider who also holds the server's secret does after editing rows: renumber
    them, recompute every hash, link and seal, and set the application's count, head and state to
    match, so the chain is consistent in itself. Only a checkpoint kept outside can still tell."""
    prev, key = GENESIS, row_key()
    for seq, event in enumerate(events, start=1):
        event.seq, event.prev_hash = seq, prev
        event.hash = digest_of(event)
        event.seal = row_seal(key, str(application.pk), seq, event.hash)
        prev = event.hash
    sql(f"DELETE FROM {EVENT} WHERE application_id = %s", db_id(application.pk))
    ApplicationEvent.objects.bulk_create(events)  # the same rows, as plain INSERTs
    sql(
        f"UPDATE {APP} SET history_count = %s, history_head = %s, state = %s WHERE id = %s",
        len(events),
        prev,
        events[-1].to_state,
        db_id(application.pk),
    )


@pytest.fixture
def applications(world):
    """Five submitted applications (three rows each), more than one batch with the batch sizes below."""
    made = [world.submitted()]
    for i in range(4):
        user = world.user(f"applicant_t{i}", Role.APPLICANT, world.employer)
        made.append(world.submitted(user, serial=200 + i))
    return sorted(made, key=lambda a: a.pk)


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    # Batch boundaries fall between applications, so the keyset merge is exercised.
    monkeypatch.setattr(audit_walk, "BATCH", 2)
    monkeypatch.setattr(checkpoints, "HEADS_BATCH", 2)


def test_an_intact_year_exits_zero_with_and_without_checkpoints(applications, tmp_path):
    assert verify() == (
        0,
        "尚无检查点：只校验了各申报的流转记录本身。\n审计链完整：已校验5份申报的流转记录。\n",
    )
    checkpoints.take_checkpoint()
    services.application_withdraw(application=applications[0], actor=applications[0].applicant)
    checkpoints.take_checkpoint()
    path = tmp_path / "cp1.json"
    call_command("export_checkpoint", "--seq", "1", "--output", str(path))

    code, out = verify()
    assert code == 0 and "与第2号检查点比对一致" in out
    assert verify("--checkpoint", str(path))[0] == 0
    assert exit_status() == 0
    assert exit_status("--checkpoint", str(path)) == 0


def test_a_state_written_by_sql_is_caught(applications):
    target = applications[2]
    sql(f"UPDATE {APP} SET state = %s WHERE id = %s", "approved", db_id(target.pk))

    code, message = verify()
    assert code == CHAIN_BROKEN == exit_status()
    assert f"申报 {target.number}（{target.pk}）第3条" in message
    assert "当前状态“已核准备案”与最后一条记录的结果状态“已提交，待单位审核”不符" in message


def test_a_removed_last_row_with_the_counters_set_back_is_caught_by_the_checkpoint(applications):
    checkpoints.take_checkpoint()
    target = applications[1]
    last = rows(target)[-1]
    sql(f"DELETE FROM {EVENT} WHERE id = %s", last.pk)
    sql(
        f"UPDATE {APP} SET history_count = %s, history_head = %s, state = %s WHERE id = %s",
        last.seq - 1,
        last.prev_hash,
        last.from_state,
        db_id(target.pk),
    )

    code, message = verify()
    assert code == CHECKPOINT_DIVERGED == exit_status()
    assert f"申报 {target.number}（{target.pk}）第3条" in message and "其后的记录被删除" in message
    # The next daily checkpoint does not seal the cut history: it keeps the earlier head.
    taken = checkpoints.take_checkpoint()
    assert taken.checkpoint.withheld == 1 and target.number in taken.checkpoint.withheld_note
    assert verify()[0] == CHECKPOINT_DIVERGED


@pytest.mark.parametrize(
    ("column", "value"),
    [("note", "已核实，无问题"), ("actor_role", "officer"), ("at", "2026-01-01 00:00:00")],
)
def test_a_changed_row_is_caught(applications, column, value):
    target = applications[3]
    row = rows(target)[1]
    sql(f"UPDATE {EVENT} SET {column} = %s WHERE id = %s", value, row.pk)

    code, message = verify()
    assert code == CHAIN_BROKEN
    assert f"申报 {target.number}（{target.pk}）第2条：记录内容与其哈希不符" in message


def test_a_changed_actor_is_caught(applications, world):
    target = applications[0]
    row = rows(target)[0]
    sql(f"UPDATE {EVENT} SET actor_id = %s WHERE id = %s", world.hr.pk, row.pk)
    assert verify()[0] == CHAIN_BROKEN == exit_status()


def test_an_inserted_row_is_caught(applications):
    target = applications[4]
    first, second, third = rows(target)
    sql(f"UPDATE {EVENT} SET seq = seq + 10 WHERE application_id = %s AND seq >= 2", db_id(target.pk))
    sql(f"UPDATE {EVENT} SET seq = seq - 9 WHERE application_id = %s AND seq >= 12", db_id(target.pk))
    forged = ApplicationEvent(
        application_id=target.pk,
        seq=2,
        actor=None,
        actor_role="system",
        at=first.at,
        action="note",
        from_state=first.to_state,
        to_state=first.to_state,
        note="补记",
        prev_hash=first.hash,
    )
    forged.hash = digest_of(forged)
    ApplicationEvent.objects.bulk_create([forged])

    code, message = verify()
    assert code == CHAIN_BROKEN
    assert f"申报 {target.number}（{target.pk}）第2条：记录没有门户的有效印记" in message
    # Sealed by someone holding the secret, the inserted row still breaks the link to the next one.
    sql(
        f"UPDATE {EVENT} SET seal = %s WHERE id = %s",
        row_seal(row_key(), str(target.pk), 2, forged.hash),
        ApplicationEvent.objects.get(application=target, seq=2).pk,
    )
    code, message = verify()
    assert code == CHAIN_BROKEN
    assert f"申报 {target.number}（{target.pk}）第3条：前序哈希与上一条记录不符" in message


def test_a_row_appended_by_sql_is_caught_without_any_checkpoint(applications):
    """A database-only insider appends a plausible move with a correct hash and sets the state, count
    and head to match: the chain is consistent, but the row lacks the portal's seal."""
    target = applications[2]
    last = rows(target)[-1]
    forged = ApplicationEvent(
        application_id=target.pk,
        seq=last.seq + 1,
        actor=None,
        actor_role="system",
        at=last.at,
        action="employer_recommend",
        from_state=last.to_state,
        to_state="bureau_review",
        note="",
        prev_hash=last.hash,
    )
    forged.hash = digest_of(forged)
    forged.seal = "0" * 64
    ApplicationEvent.objects.bulk_create([forged])
    sql(
        f"UPDATE {APP} SET history_count = %s, history_head = %s, state = %s WHERE id = %s",
        forged.seq,
        forged.hash,
        forged.to_state,
        db_id(target.pk),
    )

    code, message = verify()
    assert code == CHAIN_BROKEN == exit_status()
    assert f"申报 {target.number}（{target.pk}）第4条：记录没有门户的有效印记" in message


def test_rows_written_before_seals_are_sealed_by_the_migration(applications):
    migration = importlib.import_module("applications.migrations.0016_event_seal")
    sql(f"UPDATE {EVENT} SET seal = ''")
    assert verify()[0] == CHAIN_BROKEN
    migration.seal_existing_rows(django_apps, None)
    assert verify()[0] == 0


def test_swapped_rows_are_caught(applications):
    target = applications[1]
    _, second, third = rows(target)
    sql(f"UPDATE {EVENT} SET seq = 99 WHERE id = %s", second.pk)
    sql(f"UPDATE {EVENT} SET seq = 2 WHERE id = %s", third.pk)
    sql(f"UPDATE {EVENT} SET seq = 3 WHERE id = %s", second.pk)

    code, message = verify()
    assert code == CHAIN_BROKEN == exit_status()
    assert f"申报 {target.number}（{target.pk}）第2条" in message


def test_a_consistently_rewritten_history_is_caught_by_an_exported_older_checkpoint(applications, tmp_path):
    checkpoints.take_checkpoint()
    path = tmp_path / "checkpoint.json"
    call_command("export_checkpoint", "--output", str(path))
    target = applications[2]
    events = rows(target)
    events[1].note = "签署时间另行补正"  # a different row 2, then rows 1 to 3 recomputed
    rechain(target, events)
    assert verify("--application", str(applications[0].pk))[0] == 0

    # The rewritten chain is consistent in itself, yet both the stored and the exported checkpoint see it.
    code, message = verify()
    assert code == CHECKPOINT_DIVERGED
    assert f"申报 {target.number}（{target.pk}）第3条：第1至3条记录与第1号检查点记录的链头不符" in message
    code, message = verify("--checkpoint", str(path))
    assert code == CHECKPOINT_DIVERGED == exit_status("--checkpoint", str(path))
    assert "导出的第1号检查点" in message and target.number in message

    # Removing the stored checkpoints as well hides nothing from whoever kept the export.
    sql(f"DELETE FROM {HEAD}")
    sql(f"DELETE FROM {CHECKPOINT}")
    assert verify()[0] == 0
    code, message = verify("--checkpoint", str(path))
    assert code == CHECKPOINT_INVALID and "库中已没有导出文件中的第1号检查点" in message


def test_a_rewritten_history_and_a_new_checkpoint_still_fail_against_the_old_one(applications, tmp_path):
    checkpoints.take_checkpoint()
    path = tmp_path / "checkpoint.json"
    call_command("export_checkpoint", "--output", str(path))
    target = applications[0]
    events = rows(target)[:-1]  # the submission removed, the rest recomputed
    rechain(target, events)
    taken = checkpoints.take_checkpoint()  # the daily run refuses to seal it

    assert taken.checkpoint.withheld == 1
    assert verify()[0] == CHECKPOINT_DIVERGED
    assert verify("--checkpoint", str(path))[0] == CHECKPOINT_DIVERGED


def test_a_deleted_application_is_caught(applications):
    checkpoints.take_checkpoint()
    target = applications[3]
    sql(f"DELETE FROM {EVENT} WHERE application_id = %s", db_id(target.pk))
    sql(
        f"DELETE FROM {Application.submitted_evidence.through._meta.db_table} WHERE application_id = %s",
        db_id(target.pk),
    )
    sql(f"DELETE FROM {Evidence._meta.db_table} WHERE application_id = %s", db_id(target.pk))
    sql(f"DELETE FROM {APP} WHERE id = %s", db_id(target.pk))

    code, message = verify()
    assert code == CHECKPOINT_DIVERGED and f"申报 {target.pk}记录：" in message and "已不存在" in message


def test_a_forged_checkpoint_is_caught(applications):
    checkpoints.take_checkpoint()
    services.application_withdraw(application=applications[0], actor=applications[0].applicant)
    checkpoint = checkpoints.take_checkpoint().checkpoint
    sql(f"UPDATE {CHECKPOINT} SET root = %s WHERE id = %s", "f" * 64, checkpoint.pk)

    code, message = verify()
    assert code == CHECKPOINT_INVALID == exit_status()
    assert "第2号检查点：检查点内容与其哈希不符" in message


def test_a_checkpoint_re_signed_with_another_key_is_caught(applications):
    checkpoint = checkpoints.take_checkpoint().checkpoint
    payload = checkpoints.payload_of(checkpoint)
    payload["events"] += 1
    message = checkpoints.payload_bytes(payload)
    sql(
        f"UPDATE {CHECKPOINT} SET events = %s, hash = %s, signature = %s WHERE id = %s",
        payload["events"],
        hashlib.sha256(message).hexdigest(),
        Ed25519PrivateKey.generate().sign(message).hex(),
        checkpoint.pk,
    )
    code, message = verify()
    assert code == CHECKPOINT_INVALID and "签名无效" in message


def test_an_edited_stored_head_is_caught(applications):
    checkpoints.take_checkpoint()
    head = CheckpointHead.objects.order_by("application_id").last()
    sql(f"UPDATE {HEAD} SET length = length - 1 WHERE id = %s", head.pk)
    code, message = verify()
    assert code == CHECKPOINT_INVALID and "列表被修改" in message


def test_a_removed_checkpoint_in_the_middle_is_caught(applications):
    for _ in range(3):
        checkpoints.take_checkpoint()
    sql(f"DELETE FROM {CHECKPOINT} WHERE seq = 2")
    code, message = verify()
    assert code == CHECKPOINT_INVALID and "缺少第2号检查点" in message


def test_an_edited_export_is_refused(applications, tmp_path):
    checkpoints.take_checkpoint()
    path = tmp_path / "checkpoint.json"
    call_command("export_checkpoint", "--output", str(path))
    whole = json.loads(path.read_text())
    assert whole["public_key"] == checkpoints.public_key_hex()
    assert [h[0] for h in whole["heads"]] == [str(a.pk) for a in applications]
    assert list(ExportedCheckpoint(path).heads()) == [(a.pk, 3, a.history_head) for a in applications]

    whole["heads"][1][1] = 2
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(whole, indent=1))  # re-formatted too: read whole
    code, message = verify("--checkpoint", str(edited))
    assert code == CHECKPOINT_INVALID and "导出的检查点文件" in message


def test_the_daily_task_records_a_signed_checkpoint(applications, settings):
    from applications.tasks import checkpoint_audit_chains
    from portal.models import SweepRun

    assert any(
        spec["task"] == "applications.tasks.checkpoint_audit_chains"
        for spec in settings.CELERY_BEAT_SCHEDULE.values()
    )
    result = checkpoint_audit_chains.delay().get()
    assert result.startswith("第1号检查点：5份申报，15条记录，5份有新记录")
    assert SweepRun.objects.get(name="applications.tasks.checkpoint_audit_chains").last_finished_at
    assert checkpoint_audit_chains.delay().get().startswith("第2号检查点：5份申报，15条记录，0份有新记录")
    assert CheckpointHead.objects.count() == 5  # only what changed is stored again


def test_an_auditor_keeps_the_downloaded_checkpoint_and_catches_a_later_rewrite(
    applications, world, tmp_path
):
    checkpoints.take_checkpoint()
    auditor = world.client_for(world.auditor)
    page = auditor.get(reverse("applications:audit_checkpoints"))
    download = reverse("applications:audit_checkpoint_download", args=[1])
    assert page.status_code == 200 and download in page.content.decode()
    assert reverse("applications:audit_checkpoints") in {
        i.url for s in menu_for(world.auditor) for i in s.items
    }
    response = auditor.get(download)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    path = tmp_path / "kept.json"
    path.write_bytes(b"".join(response.streaming_content))
    assert world.client_for(world.applicant).get(download).status_code == 403

    target = applications[4]
    events = rows(target)
    events[0].at = events[0].at.replace(year=2025)  # backdated creation, everything recomputed
    rechain(target, events)
    checkpoints.take_checkpoint()
    sql(f"DELETE FROM {HEAD} WHERE seq = 2")
    sql(f"DELETE FROM {CHECKPOINT} WHERE seq = 2")

    code, message = verify("--checkpoint", str(path))
    assert code == CHECKPOINT_DIVERGED and target.number in message
