"""Signed daily checkpoints of every application's history chain.

A checkpoint lists, for every application in order of its id, the length of its history and the hash
of its last row (its chain head). `root` is SHA-256 over the list, one line "<id>:<length>:<head>\\n" per
application; the checkpoint's payload (format, seq, time, counts, root, the previous checkpoint's hash)
is signed with the portal's Ed25519 key for AUDIT_PURPOSE, derived from the server's secret
(portal.keyring): whoever can only write the database can neither forge nor re-sign one. Exported
(`export_checkpoint`, the auditors' download), it lets its keeper detect later that a history was
rewritten, however consistently: the chain recomputed up to the recorded length must still end in
the recorded head.

The stored list holds only the heads that changed since the previous checkpoint (CheckpointHead);
everything is read and written in keyset batches, so a million applications never sit in memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef

from portal import clock, keyring

from .audit_walk import application_batches, check_application, prefix_break
from .chain import GENESIS, row_key
from .models import AuditCheckpoint, CheckpointHead

logger = logging.getLogger(__name__)

AUDIT_PURPOSE = "audit-checkpoint/v1"
HEADS_BATCH = 2000

Head = tuple[uuid.UUID, int, str]  # (application id, history length, head hash)


def public_key_hex() -> str:
    return keyring.public_key_raw(AUDIT_PURPOSE).hex()


def leaf(application_id: uuid.UUID, length: int, head: str) -> bytes:
    return f"{application_id}:{length}:{head}\n".encode()


def payload_dict(
    *, seq: int, taken_at: dt.datetime, applications: int, events: int, root: str, prev: str
) -> dict:
    return {
        "format": AUDIT_PURPOSE,
        "seq": seq,
        "taken_at": taken_at.astimezone(dt.UTC).isoformat(),
        "applications": applications,
        "events": events,
        "root": root,
        "prev": prev,
    }


def payload_bytes(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def payload_of(checkpoint: AuditCheckpoint) -> dict:
    return payload_dict(
        seq=checkpoint.seq,
        taken_at=checkpoint.taken_at,
        applications=checkpoint.applications,
        events=checkpoint.events,
        root=checkpoint.root,
        prev=checkpoint.prev_hash,
    )


class ListHasher:
    """The root over a head list fed in order; refuses a list out of order or with a repeated id."""

    def __init__(self) -> None:
        self._sha = hashlib.sha256()
        self.applications = 0
        self.events = 0
        self._last: uuid.UUID | None = None

    def add(self, application_id: uuid.UUID, length: int, head: str) -> None:
        if self._last is not None and application_id <= self._last:
            raise ValueError(f"链头列表未按申报编号排序或有重复：{application_id}")
        self._last = application_id
        self._sha.update(leaf(application_id, length, head))
        self.applications += 1
        self.events += length

    @property
    def root(self) -> str:
        return self._sha.hexdigest()


def payload_problem(payload: dict, signature_hex: str, public_hex: str, *, claimed_hash: str) -> str | None:
    """Why a checkpoint's payload is not genuine (its hash or signature), or None."""
    message = payload_bytes(payload)
    if hashlib.sha256(message).hexdigest() != claimed_hash:
        return "检查点内容与其哈希不符"
    try:
        signature, public = bytes.fromhex(signature_hex), bytes.fromhex(public_hex)
    except ValueError:
        return "检查点签名格式错误"
    if not keyring.verify_signature(public, signature, message):
        return "检查点签名无效（内容被修改或非本门户签发）"
    return None


def list_problem(payload: dict, heads: Iterable[Head]) -> str | None:
    """Why a head list does not produce its checkpoint's root and counts, or None (one streaming pass)."""
    hasher = ListHasher()
    try:
        for application_id, length, head in heads:
            hasher.add(application_id, length, head)
    except ValueError as exc:
        return str(exc)
    if (hasher.root, hasher.applications, hasher.events) != (
        payload["root"],
        payload["applications"],
        payload["events"],
    ):
        return "检查点的链头列表与其签名的根哈希不符（列表被修改）"
    return None


def stored_chain_problem() -> tuple[AuditCheckpoint | None, str | None]:
    """Check every stored checkpoint's hash, signature and link to the one before (their headers only;
    a few hundred a year). Returns the latest and the first problem found."""
    public = public_key_hex()
    prev_hash, expected_seq, latest = GENESIS, 1, None
    for checkpoint in AuditCheckpoint.objects.order_by("seq").iterator(chunk_size=500):
        label = f"第{checkpoint.seq}号检查点"
        if checkpoint.seq != expected_seq:
            return checkpoint, f"缺少第{expected_seq}号检查点"
        if checkpoint.prev_hash != prev_hash:
            return checkpoint, f"{label}与前一检查点的链接不符"
        problem = payload_problem(
            payload_of(checkpoint), checkpoint.signature, public, claimed_hash=checkpoint.hash
        )
        if problem:
            return checkpoint, f"{label}：{problem}"
        prev_hash, expected_seq, latest = checkpoint.hash, expected_seq + 1, checkpoint
    return latest, None


def heads_as_of(seq: int, *, after: uuid.UUID | None = None, application_id=None) -> Iterator[Head]:
    """The full head list of checkpoint `seq`, in order of application id, read in keyset batches: per
    application, its latest recorded head at or before `seq`."""
    newer = CheckpointHead.objects.filter(
        application_id=OuterRef("application_id"), seq__gt=OuterRef("seq"), seq__lte=seq
    )
    base = CheckpointHead.objects.filter(seq__lte=seq).exclude(Exists(newer))
    if application_id is not None:
        base = base.filter(application_id=application_id)
    while True:
        batch = base.filter(application_id__gt=after) if after is not None else base
        rows = list(
            batch.order_by("application_id").values_list("application_id", "length", "head")[:HEADS_BATCH]
        )
        yield from rows
        if len(rows) < HEADS_BATCH:
            return
        after = rows[-1][0]


@dataclass
class Taken:
    checkpoint: AuditCheckpoint
    changed: int

    def __str__(self) -> str:
        c = self.checkpoint
        text = f"第{c.seq}号检查点：{c.applications}份申报，{c.events}条记录，{self.changed}份有新记录"
        if c.withheld:
            text += f"；{c.withheld}份申报的记录未接续上一检查点，未纳入：{c.withheld_note}"
        return text


def _head(application) -> Head:
    return (application.pk, application.history_count, application.history_head or GENESIS)


def _moved(application, recorded: Head | None) -> bool:
    return recorded is None or recorded[1:] != _head(application)[1:]


def take_checkpoint() -> Taken:
    """Record and sign the chain heads of every application (the daily beat task's body).

    An application whose head moved since the previous checkpoint is verified first (its whole chain,
    its state against the last row, and that it still extends the previous head); one that fails keeps
    its previous head, is counted as withheld and named in the report, so a checkpoint never seals a
    history rewritten since the one before. One transaction: a second run at the same time fails on
    the unique seq and leaves nothing behind."""
    with transaction.atomic():
        previous = AuditCheckpoint.objects.order_by("-seq").first()
        seq = previous.seq + 1 if previous else 1
        taken_at = clock.now().astimezone(dt.UTC).replace(microsecond=0)
        checkpoint = AuditCheckpoint.objects.create(
            seq=seq,
            taken_at=taken_at,
            applications=0,
            events=0,
            root="",
            prev_hash=previous.hash if previous else GENESIS,
            hash="",
            signature="",
        )
        reference = heads_as_of(previous.seq) if previous else iter(())
        hasher, changed, withheld, key = ListHasher(), 0, [], row_key()
        for batch in application_batches(reference, needs_events=_moved):
            new_heads = []
            for item in batch:
                if item.application is None:  # gone since the previous checkpoint: keep its head
                    withheld.append(f"{item.reference[0]}（申报已不存在）")
                    hasher.add(*item.reference)
                    continue
                if not _moved(item.application, item.reference):
                    hasher.add(*item.reference)
                    continue
                broken = check_application(item, key) or (prefix_break(item) if item.reference else None)
                if broken is not None:
                    withheld.append(f"{item.application.number} 第{broken.seq or '-'}条：{broken.reason}")
                    if item.reference is not None:
                        hasher.add(*item.reference)
                    continue
                current = _head(item.application)
                hasher.add(*current)
                new_heads.append(
                    CheckpointHead(seq=seq, application_id=current[0], length=current[1], head=current[2])
                )
            CheckpointHead.objects.bulk_create(new_heads)
            changed += len(new_heads)
        payload = payload_dict(
            seq=seq,
            taken_at=taken_at,
            applications=hasher.applications,
            events=hasher.events,
            root=hasher.root,
            prev=checkpoint.prev_hash,
        )
        message = payload_bytes(payload)
        checkpoint.applications = hasher.applications
        checkpoint.events = hasher.events
        checkpoint.root = hasher.root
        checkpoint.hash = hashlib.sha256(message).hexdigest()
        checkpoint.signature = keyring.signing_key(AUDIT_PURPOSE).sign(message).hex()
        checkpoint.withheld = len(withheld)
        checkpoint.withheld_note = "；".join(withheld[:20])
        checkpoint.save()
    taken = Taken(checkpoint, changed)
    if withheld:
        logger.error("审计链检查点发现异常：%s", taken)
    return taken
