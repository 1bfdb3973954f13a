"""Checking a draw after the fact: the replay from the stored record (``manage.py replay_draw``) and
the pseudonymised record the bureau and the committee office download, which tools/verify_draw.py
checks with the Python standard library alone."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from portal import keyring

from .. import draw as drawing
from .. import draw_v1
from ..models import DrawFiling, DrawRecord, Meeting
from .draw_filing import FILING_KEY, RECORD_KEY, filing_problem, pseudonym

RECORD_FORMAT = "zhicheng-draw-record/1"


@dataclass(frozen=True)
class Replay:
    matches: bool
    differences: list[str]


def _secret_bytes(value: str) -> bytes | None:
    try:
        data = bytes.fromhex(value)
    except ValueError:
        return None
    return data if len(data) == 32 else None


def draw_replay(record: DrawRecord) -> Replay:
    """Recompute a stored draw and compare it with what is stored; the first difference comes first."""
    entries = sorted(record.entries.all(), key=lambda e: e.position)
    if record.algorithm_version == draw_v1.ALGORITHM_VERSION:
        old = draw_v1.replay(record, seed=record.secret, entries=entries)
        return Replay(old.matches, old.differences)
    meeting = record.meeting
    filing = DrawFiling.objects.filter(meeting=meeting).first()
    if filing is None:
        return Replay(False, ["没有备案时冻结的专家库记录"])
    differences = []
    problem = filing_problem(filing, meeting)
    if problem:
        differences.append(problem)
    secret, draw_random = _secret_bytes(record.secret), _secret_bytes(record.draw_random)
    if secret is None or drawing.commitment(secret) != filing.commitment:
        differences.append("抽取时公开的抽取密钥与备案时公布的承诺值不符")
    if draw_random is None:
        differences.append("抽取时的随机值缺失或格式不符")
    if record.frozen_digest != filing.digest or record.seed_hash != filing.commitment:
        differences.append("抽取记录引用的冻结专家库摘要或承诺值与备案记录不符")
    if secret is None or draw_random is None:
        return Replay(False, differences)
    try:
        outcome = drawing.compute(filing.frozen, seed=drawing.draw_seed(secret, draw_random, filing.digest))
    except (KeyError, TypeError, ValueError) as exc:
        return Replay(False, [*differences, f"抽取记录无法重算：{exc}"])
    names = [pseudonym(meeting.pk, e.expert_id) for e in entries]
    stored_panel = [n for n, e in zip(names, entries, strict=True) if e.drawn_as == "panel"]
    stored_reserves = [n for n, e in zip(names, entries, strict=True) if e.drawn_as == "reserve"]
    for label, expected, actual in (
        ("执行委员", outcome.panel, stored_panel),
        ("备选专家", outcome.reserves, stored_reserves),
    ):
        difference = drawing.first_difference(label, expected, actual)
        if difference:
            differences.append(difference)
    if record.pool != filing.frozen["pool"] or record.filters != filing.frozen["filters"]:
        differences.append("抽取记录中的专家库或筛选条件与备案时冻结的不符")
    if outcome.exclusions != record.exclusions:
        differences.append("排除名单与按冻结专家库重算的结果不符")
    body = drawing.signed_body(
        frozen_digest=filing.digest,
        secret=record.secret,
        draw_random=record.draw_random,
        panel=outcome.panel,
        reserves=outcome.reserves,
    )
    if not _signed(RECORD_KEY, record.signature, body):
        differences.append("抽取记录与抽取时平台的签名不符（随机值或抽取结果已被改动）")
    differences.extend(drawing.replacement_differences(entries))
    return Replay(not differences, differences)


def _signed(purpose: str, signature_hex: str, body: bytes) -> bool:
    try:
        signature = bytes.fromhex(signature_hex)
    except ValueError:
        return False
    return keyring.verify_signature(keyring.public_key_raw(purpose), signature, body)


def draw_public_record(meeting: Meeting) -> dict | None:
    """The pseudonymised draw record (JSON) of a sha256-commit-v2 draw, or None: experts appear only
    as this meeting's pseudonyms with the attributes the filters read; no name, employer or applicant."""
    record = DrawRecord.objects.filter(meeting=meeting).first()
    filing = DrawFiling.objects.filter(meeting=meeting).first()
    if record is None or filing is None or record.algorithm_version != drawing.ALGORITHM_VERSION:
        return None
    entries = list(record.entries.order_by("position"))
    return {
        "format": RECORD_FORMAT,
        "meeting": {
            "id": meeting.pk,
            "title": meeting.title,
            "committee": meeting.committee.name,
            "held_on": meeting.held_on.isoformat(),
        },
        "algorithm_version": record.algorithm_version,
        "frozen": filing.frozen,
        "frozen_digest": filing.digest,
        "commitment": filing.commitment,
        "filed_at": timezone.localtime(filing.filed_at).isoformat(),
        "secret": record.secret,
        "draw_random": record.draw_random,
        "drawn_at": timezone.localtime(record.drawn_at).isoformat(),
        "exclusions": record.exclusions,
        "panel": [pseudonym(meeting.pk, e.expert_id) for e in entries if e.drawn_as == "panel"],
        "reserves": [pseudonym(meeting.pk, e.expert_id) for e in entries if e.drawn_as == "reserve"],
        # Ed25519, checked by replay_draw; given here for whoever holds the portal's public keys.
        "filing_signature": filing.signature,
        "record_signature": record.signature,
        "public_keys": {
            FILING_KEY: keyring.public_key_raw(FILING_KEY).hex(),
            RECORD_KEY: keyring.public_key_raw(RECORD_KEY).hex(),
        },
    }
