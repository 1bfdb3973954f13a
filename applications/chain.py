"""The hash chain over each application's history.

Every event stores sha256(prev_hash + canonical JSON of its own fields). The application
row stores the count and the head hash, written in the same transaction as each row, so altering,
inserting or removing a row breaks the chain at a point `verify_chain` can name, and a state that
disagrees with the last row shows too. Each row also carries the portal's `seal` (an HMAC with a key
derived from the server's secret), so whoever can only write the database cannot add a row of their
own. They can still remove the last rows and set the count and head back: the signed daily
checkpoints (applications/checkpoints.py) anchor each head outside the rows, and `verify_audit`
compares the chains with them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass

from portal import keyring

from .states import State

GENESIS = "0" * 64
ROW_PURPOSE = "audit-row/v1"


def row_key() -> bytes:
    return keyring.derive(ROW_PURPOSE)


def row_seal(key: bytes, application_id: str, seq: int, digest: str) -> str:
    """The portal's mark on one row: HMAC over its place and hash with a key derived from the server's
    secret. Anyone can recompute a hash; only the portal can mark a row, so a row written by SQL (an
    appended move, a recomputed chain) shows even where no checkpoint has seen the history yet."""
    return hmac.new(key, f"{application_id}:{seq}:{digest}".encode(), hashlib.sha256).hexdigest()


def event_digest(
    *,
    prev_hash: str,
    application_id: str,
    seq: int,
    actor_id: int | None,
    actor_role: str,
    at_iso: str,
    action: str,
    from_state: str,
    to_state: str,
    note: str,
    data: dict,
) -> str:
    body = json.dumps(
        {
            "application": str(application_id),
            "seq": seq,
            "actor": actor_id,
            "role": actor_role,
            "at": at_iso,
            "action": action,
            "from": from_state,
            "to": to_state,
            "note": note,
            "data": data,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def digest_of(event) -> str:
    return event_digest(
        prev_hash=event.prev_hash,
        application_id=str(event.application_id),
        seq=event.seq,
        actor_id=event.actor_id,
        actor_role=event.actor_role,
        at_iso=event.at.astimezone(dt.UTC).isoformat(),
        action=event.action,
        from_state=event.from_state,
        to_state=event.to_state,
        note=event.note,
        data=event.data,
    )


def _label(state: str) -> str:
    return str(State(state).label) if state in State.values else state


@dataclass(frozen=True)
class Break:
    application_id: str
    seq: int | None
    reason: str


def verify_chain(application, events, *, key: bytes | None = None) -> Break | None:
    """Return the first broken link of one application's chain, or None when intact.

    Checks every row (its position, its link to the row before, its content against its hash), then
    the application row against the chain: its count and head hash, and its current state against the
    state the last row left it in (a state written by SQL, with no move, shows here)."""
    prev = GENESIS
    expected_seq = 1
    last = None
    key = key or row_key()
    for event in events:
        if event.seq != expected_seq:
            if event.seq < expected_seq:
                return Break(str(application.pk), event.seq, f"第{event.seq}条记录重复或次序被调换")
            return Break(
                str(application.pk), expected_seq, f"缺少第{expected_seq}条记录（下一条为第{event.seq}条）"
            )
        if event.prev_hash != prev:
            return Break(str(application.pk), event.seq, "前序哈希与上一条记录不符")
        if digest_of(event) != event.hash:
            return Break(str(application.pk), event.seq, "记录内容与其哈希不符（已被修改）")
        if not hmac.compare_digest(
            event.seal, row_seal(key, str(event.application_id), event.seq, event.hash)
        ):
            return Break(str(application.pk), event.seq, "记录没有门户的有效印记（非经门户写入）")
        prev = event.hash
        last = event
        expected_seq += 1
    count = expected_seq - 1
    if count != application.history_count or prev != (application.history_head or GENESIS):
        return Break(
            str(application.pk),
            count + 1 if count < application.history_count else count or None,
            f"记录条数或末条哈希与申报记录不符（应有{application.history_count}条，现有{count}条）",
        )
    if last is None:
        return Break(str(application.pk), None, "申报没有任何流转记录")
    if last.to_state != application.state:
        return Break(
            str(application.pk),
            last.seq,
            f"申报当前状态“{_label(application.state)}”与最后一条记录的结果状态“{_label(last.to_state)}”不符",
        )
    return None
