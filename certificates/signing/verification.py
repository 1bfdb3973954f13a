"""A certificate token's verdict, and the kinds of failure (with the exit statuses of verify_certificate).
A certificate PDF's verdict is in pdfcheck.py (it loads pyHanko, which only the worker and the offline
check need)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .documents import KeySet, StatusLists, open_signed, revoked_message
from .encoding import CERT_CONTEXT, FIELDS

# The kinds of failure, each with the exit status of `verify_certificate` (docs/certificates.md).
NOT_CERTIFICATE = "not_certificate"  # not a readable PDF, no signature, no token
PDF_BROKEN = "pdf_broken"  # the file's bytes do not match its signature
PDF_MODIFIED = "pdf_modified"  # something was added after signing (incremental update)
UNKNOWN_SIGNER = "unknown_signer"  # signed, but not with a published issuer certificate
REVOKED_KEY = "revoked_key"
TOKEN = "token"  # the signed fields: format, key, issuer, signature
PRINTED = "printed"  # the printed text differs from the signed fields
REVOKED = "revoked"
SUSPENDED = "suspended"
EXIT_STATUS = {
    NOT_CERTIFICATE: 3,
    PDF_BROKEN: 4,
    PDF_MODIFIED: 5,
    UNKNOWN_SIGNER: 6,
    REVOKED_KEY: 7,
    TOKEN: 8,
    PRINTED: 9,
    REVOKED: 10,
    SUSPENDED: 11,
}
LEGACY_NOTE = "旧格式证书：二维码和链接载有完整证件号码，请向发证机构申请重新签发。"


@dataclass
class Verdict:
    """What a verification found. `status`: valid, revoked, suspended or invalid; `kinds[i]` is the kind
    of `errors[i]`, and `kind` the first (the exit status)."""

    status: str = "invalid"
    payload: dict | None = None
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "valid" and not self.errors

    @property
    def kind(self) -> str | None:
        return self.kinds[0] if self.kinds else None

    def fail(self, message: str, kind: str = TOKEN, *, first: bool = False) -> Verdict:
        self.status = "invalid"
        self.errors.insert(0 if first else len(self.errors), message)
        self.kinds.insert(0 if first else len(self.kinds), kind)
        return self


def verify_token(token: str, *, keys: KeySet, status: StatusLists | None = None) -> Verdict:
    verdict = Verdict()
    payload, problem = open_signed(
        token.strip() if isinstance(token, str) else token, keys, context=CERT_CONTEXT
    )
    verdict.payload = payload or None
    if problem:
        key = keys.by_kid.get(payload.get("kid", "")) if payload else None
        revoked = key is not None and problem == revoked_message(key)
        return verdict.fail(problem, REVOKED_KEY if revoked else TOKEN)
    missing = [f"{FIELDS[name]}（{name}）" for name in FIELDS if not isinstance(payload.get(name), str)]
    if missing:
        return verdict.fail("签名内容缺少字段：" + "、".join(missing) + "。")
    key = keys.by_kid[payload["kid"]]
    if key.status == "retired":
        verdict.notes.append(f"签名密钥已于{key.retired_at}停用；停用前签发的证书仍然有效。")
    if payload["v"] == "1":
        verdict.notes.append(LEGACY_NOTE)
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
            verdict.kinds.append(entry.status if entry.status in (REVOKED, SUSPENDED) else TOKEN)
    return verdict
