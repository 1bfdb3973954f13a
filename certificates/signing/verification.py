"""A certificate token's verdict, and the check of a PDF's printed fields against the signed ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .documents import KeySet, StatusLists, open_signed
from .encoding import CERT_CONTEXT, FIELDS, PRINTED_FIELDS


@dataclass
class Verdict:
    """What a verification found. `status`: valid, revoked, suspended or invalid."""

    status: str = "invalid"
    payload: dict | None = None
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "valid" and not self.errors

    def fail(self, message: str) -> Verdict:
        self.status = "invalid"
        self.errors.append(message)
        return self


def verify_token(token: str, *, keys: KeySet, status: StatusLists | None = None) -> Verdict:
    verdict = Verdict()
    payload, problem = open_signed(
        token.strip() if isinstance(token, str) else token, keys, context=CERT_CONTEXT
    )
    verdict.payload = payload or None
    if problem:
        return verdict.fail(problem)
    missing = [f"{FIELDS[name]}（{name}）" for name in FIELDS if not isinstance(payload.get(name), str)]
    if missing:
        return verdict.fail("签名内容缺少字段：" + "、".join(missing) + "。")
    key = keys.by_kid[payload["kid"]]
    if key.status == "retired":
        verdict.notes.append(f"签名密钥已于{key.retired_at}停用；停用前签发的证书仍然有效。")
    verdict.status = "valid"
    if status is not None:
        verdict.notes.extend(status.problems)
        entry = status.lookup(payload["isc"], payload["no"])
        if entry is False:
            verdict.notes.append("没有该发证机构的有效状态列表，未能核对证书是否被撤销。")
        elif entry is not None:
            verdict.status = entry.status if entry.status in ("revoked", "suspended") else "invalid"
            label = {"revoked": "已撤销", "suspended": "已暂扣"}.get(entry.status, entry.status)
            verdict.errors.append(f"证书{label}（状态列表，自{entry.since}起）。")
    return verdict


def compare_printed(payload: dict, text: str) -> list[str]:
    """Printed fields missing from a PDF's text, each named with the signed value."""
    flat = "".join(text.split())
    problems = []
    for name in PRINTED_FIELDS:
        value = "".join((payload.get(name) or "").split())
        if value and not any(form in flat for form in _printed_forms(name, value)):
            problems.append(f"PDF上的“{FIELDS[name]}”与签名内容（{payload.get(name)}）不一致。")
    return problems


def printed_date(value: str) -> str:
    """How a signed ISO date is printed: 2026年6月1日."""
    day = dt.date.fromisoformat(value)
    return f"{day.year}年{day.month}月{day.day}日"


def _printed_forms(name: str, value: str) -> list[str]:
    if name in ("add", "isd"):
        try:
            return [value, printed_date(value)]
        except ValueError:
            return [value]
    return [value]
