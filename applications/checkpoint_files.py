"""The exported checkpoint: one JSON document an auditor keeps and `verify_audit --checkpoint` reads.

Layout (any JSON reader takes it whole; this module also streams it line by line, so a list of a
million heads is never held in memory):

    {
    "format": "audit-checkpoint/v1",
    "checkpoint": {...the signed payload...},
    "hash": "<sha256 of the payload>",
    "signature": "<Ed25519 signature of the payload, hex>",
    "public_key": "<the portal's Ed25519 public key, raw, hex>",
    "leaf": "<how each line of the root is formed>",
    "heads": [
    ["<application id>", <length>, "<head hash>"],
    ...
    ]}
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

from .checkpoints import Head, heads_as_of, payload_of, public_key_hex
from .models import AuditCheckpoint

HEADS_OPENING = '"heads": ['
LEAF_RULE = 'sha256 over "<application id>:<length>:<head>\\n" for every head, in order of application id'


def export_lines(checkpoint: AuditCheckpoint) -> Iterator[str]:
    """The exported document, piece by piece (for a file or a streaming HTTP response)."""
    header = {
        "format": "audit-checkpoint/v1",
        "checkpoint": payload_of(checkpoint),
        "hash": checkpoint.hash,
        "signature": checkpoint.signature,
        "public_key": public_key_hex(),
        "leaf": LEAF_RULE,
    }
    yield "{\n"
    for key, value in header.items():
        yield f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False, sort_keys=True)},\n"
    yield HEADS_OPENING + "\n"
    pending = None
    for application_id, length, head in heads_as_of(checkpoint.seq):
        if pending is not None:
            yield pending + ",\n"
        pending = json.dumps([str(application_id), length, head])
    if pending is not None:
        yield pending + "\n"
    yield "]}\n"


class UnreadableCheckpoint(Exception):
    pass


class ExportedCheckpoint:
    """An exported checkpoint file: its header at once, its heads as a stream (read again per pass)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._whole: dict | None = None
        try:
            self.header = self._streamed_header()
        except (OSError, UnicodeDecodeError) as exc:
            raise UnreadableCheckpoint(f"无法读取检查点文件：{exc}") from exc
        if self.header is None:  # not in the exported layout (re-formatted): read it whole
            try:
                self._whole = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise UnreadableCheckpoint(f"检查点文件不是有效的JSON：{exc}") from exc
            self.header = self._whole
        for key in ("checkpoint", "hash", "signature", "public_key"):
            if key not in self.header:
                raise UnreadableCheckpoint(f"检查点文件缺少“{key}”")
        self.payload: dict = self.header["checkpoint"]

    def _streamed_header(self) -> dict | None:
        lines = []
        with self.path.open(encoding="utf-8") as f:
            first = f.readline()
            if first.strip() != "{":
                return None
            for line in f:
                if line.strip() == HEADS_OPENING:
                    try:
                        return json.loads("{" + "".join(lines).rstrip().rstrip(",") + "}")
                    except ValueError:
                        return None
                lines.append(line)
        return None

    def heads(self) -> Iterator[Head]:
        """The heads in file order, parsed one line at a time."""
        if self._whole is not None:
            for application_id, length, head in self._whole.get("heads", []):
                yield _head(application_id, length, head)
            return
        with self.path.open(encoding="utf-8") as f:
            for line in f:
                if line.strip() == HEADS_OPENING:
                    break
            for line in f:
                text = line.strip().rstrip(",")
                if text == "]}":
                    return
                try:
                    application_id, length, head = json.loads(text)
                except ValueError as exc:
                    raise UnreadableCheckpoint(f"检查点文件的链头列表格式错误：{text[:80]}") from exc
                yield _head(application_id, length, head)
        raise UnreadableCheckpoint("检查点文件不完整（链头列表未结束）")


def _head(application_id, length, head) -> Head:
    try:
        return uuid.UUID(application_id), int(length), str(head)
    except (ValueError, TypeError, AttributeError) as exc:
        raise UnreadableCheckpoint(f"检查点文件的链头格式错误：{application_id}") from exc
