"""The draw attacked by an insider with full read and write access to the database (issue 13, item 2):
predicting the panel from what the filing stores, steering it through the pool after the filing,
editing the frozen filing, rewriting the draw afterwards. Each attack must fail."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from committees import draw, services
from committees.exceptions import CommitteeError
from committees.models import DrawEntry, DrawFiling, DrawRecord, Expert, ExpertUnavailability, Meeting
from portal import keyring

pytestmark = pytest.mark.django_db


def _replay(meeting) -> str:
    out = StringIO()
    call_command("replay_draw", str(meeting.pk), "--force", stdout=out, stderr=StringIO())
    return out.getvalue()


def _replay_refused(meeting, match: str) -> CommandError:
    with pytest.raises(CommandError, match=match) as refused:
        _replay(meeting)
    assert refused.value.returncode == 1
    return refused.value


def _row_values(model, pk) -> list:
    """Every column of one row, as a reader of the database gets it."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608 (fixed table name)
        return list(cursor.fetchone())


def _candidates(values) -> list[bytes]:
    """Every byte string an attacker could try as the secret or the seed: each stored value as text, as
    hex, as raw bytes, and every 32-byte window of binary values (e.g. the sealed secret's ciphertext)."""
    found: list[bytes] = []

    def add(value):
        if value is None or isinstance(value, bool | int | float | dt.date):
            return
        if isinstance(value, memoryview | bytes | bytearray):
            raw = bytes(value)
            found.append(raw)
            found.extend(raw[i : i + 32] for i in range(0, max(len(raw) - 31, 0)))
            return
        if isinstance(value, dict | list):
            for item in value.values() if isinstance(value, dict) else value:
                add(item)
            return
        text = str(value)
        if text.startswith(("{", "[")):
            with contextlib.suppress(ValueError):
                add(json.loads(text))
        found.append(text.encode())
        with contextlib.suppress(ValueError):
            found.append(bytes.fromhex(text))

    for value in values:
        add(value)
    return [c for c in found if c]


def _predictions(frozen: dict, digest: str, candidates: list[bytes]) -> list[list[str]]:
    seeds = []
    for c in candidates:
        seeds += [c, hashlib.sha256(c).digest()]
        seeds += [draw.draw_seed(c, guess, digest) for guess in (b"", bytes(32), c)]
    return [draw.compute(frozen, seed=seed).panel for seed in seeds]


def test_what_the_database_holds_after_filing_does_not_foretell_the_panel(cw):
    for trial in range(2):
        meeting = cw.filed(title=f"第{trial + 1}场评审会议")
        filing = DrawFiling.objects.get(meeting=meeting)
        stored = _row_values(Meeting, meeting.pk) + _row_values(DrawFiling, filing.pk)
        candidates = _candidates(stored)
        # The secret itself is nowhere in the rows: nothing stored hashes to its commitment.
        assert all(hashlib.sha256(c).hexdigest() != filing.commitment for c in candidates)
        predicted = _predictions(filing.frozen, filing.digest, candidates)
        record = services.meeting_draw_experts(meeting=meeting, actor=cw.w.clerk)
        actual = [p for p, _ in sorted(_panel(record, filing), key=lambda x: x[1])]
        assert actual not in predicted
        assert "一致" in _replay(meeting)


def _panel(record, filing) -> list[tuple[str, int]]:
    by_id = {pk: p for p, pk in filing.members.items()}
    return [(by_id[e.expert_id], e.position) for e in record.entries.filter(drawn_as="panel")]


def test_the_sealed_secret_opens_only_with_the_servers_secret_and_still_does_not_foretell_the_panel(cw):
    meeting = cw.filed()
    filing = DrawFiling.objects.get(meeting=meeting)
    with override_settings(PORTAL_INTEGRITY_SECRET="an attacker's guess"), pytest.raises(keyring.SealBroken):
        keyring.unseal("draw-secret/v1", bytes(filing.sealed_secret), bound_to=f"meeting:{meeting.pk}")
    # Whoever also holds the server's secret opens it, but the draw's random value does not exist yet.
    secret = keyring.unseal("draw-secret/v1", bytes(filing.sealed_secret), bound_to=f"meeting:{meeting.pk}")
    assert draw.commitment(secret) == filing.commitment
    guesses = [
        draw.compute(filing.frozen, seed=draw.draw_seed(secret, r, filing.digest)).panel
        for r in (
            bytes(32),
            b"\xff" * 32,
            secret,
        )
    ]
    record = services.meeting_draw_experts(meeting=meeting, actor=cw.w.clerk)
    actual = [p for p, _ in sorted(_panel(record, filing), key=lambda x: x[1])]
    assert actual not in guesses


def test_marking_the_pool_away_or_deleting_accounts_after_filing_does_not_steer_the_draw(cw):
    meeting = cw.filed()
    filing = DrawFiling.objects.get(meeting=meeting)
    _, eligible = draw.eligible(filing.frozen)
    pool = list(Expert.objects.filter(committee=meeting.committee))
    # Admin-like writes: every expert away on the day, then every expert's account deleted.
    ExpertUnavailability.objects.bulk_create(
        ExpertUnavailability(expert=e, start=meeting.held_on, end=meeting.held_on, reason="临时有事")
        for e in pool
    )
    for expert in pool:
        if expert.user is not None:
            expert.user.delete()
    record = services.meeting_draw_experts(meeting=meeting, actor=cw.w.clerk)
    kinds = {x["kind"] for x in record.exclusions}
    assert "unavailable" not in kinds and "no_account" not in kinds
    drawn = {p for p, _ in _panel(record, filing)}
    assert len(drawn) == 7 and drawn <= set(eligible)
    assert "一致" in _replay(meeting)


def _sql_set_frozen(filing, frozen, *, digest: str | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE committees_drawfiling SET frozen = %s, digest = %s WHERE id = %s",
            [json.dumps(frozen, ensure_ascii=False), digest or filing.digest, filing.pk],
        )


def _without_an_eligible_expert(filing) -> dict:
    frozen = json.loads(json.dumps(filing.frozen))
    _, eligible = draw.eligible(frozen)
    frozen["exclusions"].append({"expert": eligible[0], "kind": "unavailable"})
    return frozen


def test_an_sql_edit_of_the_frozen_pool_makes_the_draw_refuse(cw):
    meeting = cw.filed()
    filing = DrawFiling.objects.get(meeting=meeting)
    _sql_set_frozen(filing, _without_an_eligible_expert(filing))
    with pytest.raises(CommitteeError, match="拒绝抽取：备案时冻结的专家库或排除名单已被改动"):
        services.meeting_draw_experts(meeting=meeting, actor=cw.w.clerk)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.FILED and not DrawRecord.objects.filter(meeting=meeting).exists()


def test_an_edit_with_its_digest_recomputed_is_still_refused(cw):
    meeting = cw.filed()
    filing = DrawFiling.objects.get(meeting=meeting)
    frozen = _without_an_eligible_expert(filing)
    _sql_set_frozen(filing, frozen, digest=draw.digest(frozen))
    with pytest.raises(CommitteeError, match="拒绝抽取：备案摘要或抽取密钥承诺值已被改动"):
        services.meeting_draw_experts(meeting=meeting, actor=cw.w.clerk)


def test_a_pseudonym_pointed_at_another_expert_is_refused(cw):
    meeting = cw.filed()
    filing = DrawFiling.objects.get(meeting=meeting)
    members = dict(filing.members)
    first, second = sorted(members)[:2]
    members[first], members[second] = members[second], members[first]
    DrawFiling.objects.filter(pk=filing.pk).update(members=members)
    with pytest.raises(CommitteeError, match="对应关系已被改动"):
        services.meeting_draw_experts(meeting=meeting, actor=cw.w.clerk)


def test_a_secret_sealed_for_another_meeting_does_not_open_here(cw):
    first, second = cw.filed(), cw.filed(title="第二场评审会议")
    other = DrawFiling.objects.get(meeting=first)
    DrawFiling.objects.filter(meeting=second).update(sealed_secret=bytes(other.sealed_secret))
    with pytest.raises(CommitteeError, match="封存的抽取密钥无法打开"):
        services.meeting_draw_experts(meeting=second, actor=cw.w.clerk)


def test_an_sql_edit_of_the_frozen_pool_after_the_draw_fails_the_replay(cw):
    meeting = cw.drawn()
    filing = DrawFiling.objects.get(meeting=meeting)
    _sql_set_frozen(filing, _without_an_eligible_expert(filing))
    _replay_refused(meeting, "不一致：备案时冻结的专家库或排除名单已被改动")


def test_an_edited_history_digest_fails_the_replay(cw):
    meeting = cw.drawn()
    application = meeting.items.get().application
    event = application.events.get(action="meeting_filed")
    assert event.data["draw_digest"] == meeting.draw_filing.digest
    type(event).objects.filter(pk=event.pk).update(data={**event.data, "draw_digest": "0" * 64})
    _replay_refused(meeting, "历史记录中的备案摘要已被改动")


def test_an_edited_draw_entry_fails_the_replay(cw):
    meeting = cw.drawn()
    entry = DrawEntry.objects.get(draw__meeting=meeting, position=1)
    outsider = next(
        e for e in cw.experts if not DrawEntry.objects.filter(draw__meeting=meeting, expert=e).exists()
    )
    DrawEntry.objects.filter(pk=entry.pk).update(expert=outsider)
    _replay_refused(meeting, "不一致：执行委员第1位")


def test_a_draw_rewritten_consistently_with_another_random_value_fails_the_replay(cw):
    meeting = cw.drawn()
    record, filing = meeting.draw, meeting.draw_filing
    # The attacker picks another r, recomputes the panel from the revealed secret and rewrites it all.
    forged_random = bytes(32)
    outcome = draw.compute(
        filing.frozen, seed=draw.draw_seed(bytes.fromhex(record.secret), forged_random, filing.digest)
    )
    record.entries.all().delete()
    names = outcome.panel + outcome.reserves
    DrawEntry.objects.bulk_create(
        DrawEntry(
            draw=record,
            expert_id=filing.members[p],
            position=i + 1,
            drawn_as="panel" if i < len(outcome.panel) else "reserve",
            on_panel=i < len(outcome.panel),
        )
        for i, p in enumerate(names)
    )
    body = draw.signed_body(
        frozen_digest=filing.digest,
        secret=record.secret,
        draw_random=forged_random.hex(),
        panel=outcome.panel,
        reserves=outcome.reserves,
    )
    DrawRecord.objects.filter(pk=record.pk).update(
        draw_random=forged_random.hex(), record_digest=hashlib.sha256(body).hexdigest()
    )
    _replay_refused(meeting, "签名不符")
