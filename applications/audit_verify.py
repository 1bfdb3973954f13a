"""What `verify_audit` checks, in order, and the exit status of each finding (docs/records.md).

1. The stored checkpoints: each one's hash and signature (the portal's key) and its link to the one
   before; then the checkpoint compared against (an exported file, or the latest stored one): its
   signature, and that its head list gives its signed root.
2. Every application, in order of id: its own chain (rows, count and head, state against the last
   row), then against the checkpoint's head: the history recomputed up to the recorded length must end
   in the recorded head, and an application the checkpoint names must still exist.
The first finding ends the walk.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .audit_walk import application_batches, check_application, prefix_break
from .chain import row_key
from .checkpoint_files import ExportedCheckpoint, UnreadableCheckpoint
from .checkpoints import (
    heads_as_of,
    list_problem,
    payload_of,
    payload_problem,
    public_key_hex,
    stored_chain_problem,
)
from .models import AuditCheckpoint

INTACT = 0
CHAIN_BROKEN = 1  # an application's own history: a row changed, inserted, removed or reordered, a state
CHECKPOINT_DIVERGED = 2  # a history no longer extends the checkpoint's head (rewritten, cut, deleted)
CHECKPOINT_INVALID = 3  # a checkpoint itself: signature, root, link, missing, unreadable file


@dataclass
class Outcome:
    code: int = INTACT
    reason: str = ""
    application_id: str = ""
    number: str = ""
    seq: int | None = None
    checked: int = 0
    checkpoint: str = ""
    notes: list[str] = field(default_factory=list)

    def message(self) -> str:
        if self.code == INTACT:
            against = f"，并与{self.checkpoint}比对一致" if self.checkpoint else ""
            return f"审计链完整：已校验{self.checked}份申报的流转记录{against}。"
        if not self.application_id:
            return f"检查点无效：{self.reason}"
        who = f"{self.number}（{self.application_id}）" if self.number else self.application_id
        where = f"第{self.seq}条" if self.seq else "记录"
        prefix = "审计链断裂" if self.code == CHAIN_BROKEN else "审计链与检查点不符"
        return f"{prefix}：申报 {who}{where}：{self.reason}"


def _invalid(reason: str) -> Outcome:
    return Outcome(code=CHECKPOINT_INVALID, reason=reason)


def _reference(outcome: Outcome, checkpoint_file: str | Path | None):
    """The head list to compare with, once its genuineness is checked; None when there is none."""
    latest, problem = stored_chain_problem()
    if problem:
        outcome.code, outcome.reason = CHECKPOINT_INVALID, problem
        return None
    if checkpoint_file is not None:
        try:
            exported = ExportedCheckpoint(checkpoint_file)
            header = exported.header
            problem = payload_problem(
                exported.payload, header["signature"], header["public_key"], claimed_hash=header["hash"]
            ) or list_problem(exported.payload, exported.heads())
        except UnreadableCheckpoint as exc:
            problem = str(exc)
        if problem:
            outcome.code, outcome.reason = CHECKPOINT_INVALID, f"导出的检查点文件：{problem}"
            return None
        seq = exported.payload["seq"]
        if header["public_key"] != public_key_hex():
            outcome.notes.append("注意：导出文件的公钥与门户当前的审计签名公钥不同（服务器密钥已更换？）")
        stored = AuditCheckpoint.objects.filter(seq=seq).first()
        if stored is None:
            outcome.code, outcome.reason = CHECKPOINT_INVALID, f"库中已没有导出文件中的第{seq}号检查点"
            return None
        if stored.hash != header["hash"]:
            outcome.code, outcome.reason = CHECKPOINT_INVALID, f"库中第{seq}号检查点与导出文件不符"
            return None
        outcome.checkpoint = f"导出的第{seq}号检查点"
        return exported.heads
    if latest is None:
        outcome.notes.append("尚无检查点：只校验了各申报的流转记录本身。")
        return None
    problem = list_problem(payload_of(latest), heads_as_of(latest.seq))
    if problem:
        outcome.code, outcome.reason = CHECKPOINT_INVALID, f"第{latest.seq}号检查点：{problem}"
        return None
    outcome.checkpoint = f"第{latest.seq}号检查点"
    return lambda: heads_as_of(latest.seq)


def verify(*, checkpoint_file: str | Path | None = None, application_id=None) -> Outcome:
    outcome = Outcome()
    heads = _reference(outcome, checkpoint_file)
    if outcome.code != INTACT:
        return outcome
    reference = heads() if heads is not None else iter(())
    if application_id is not None:
        wanted = uuid.UUID(str(application_id))
        reference = (h for h in reference if h[0] == wanted)
    label = outcome.checkpoint or "检查点"
    key = row_key()
    try:
        for batch in application_batches(reference, application_id=application_id):
            for item in batch:
                if item.application is not None:
                    outcome.checked += 1
                    broken = check_application(item, key)
                    if broken is not None:
                        return _found(outcome, CHAIN_BROKEN, item, broken)
                if item.reference is not None:
                    broken = prefix_break(item, label)
                    if broken is not None:
                        return _found(outcome, CHECKPOINT_DIVERGED, item, broken)
    except UnreadableCheckpoint as exc:
        return _invalid(str(exc))
    return outcome


def _found(outcome: Outcome, code: int, item, broken) -> Outcome:
    outcome.code = code
    outcome.reason = broken.reason
    outcome.application_id = broken.application_id
    outcome.number = item.application.number if item.application is not None else ""
    outcome.seq = broken.seq
    return outcome
