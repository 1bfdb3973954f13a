"""Signatures and their verification, without the database.

Everything here works from plain data: the published keys document (keys.json), the signed
status lists (status.json) and a certificate's token. The offline `verify_certificate` command
and the online verification page both call `verify_token`, so both say the same thing.

Formats (docs/certificates.md):
- canonical form: JSON with sorted keys, no insignificant whitespace, UTF-8, string values only;
- certificate token: base64url(canonical payload) "." base64url(Ed25519 signature over
  CERT_CONTEXT + canonical payload); the status list is signed the same way under STATUS_CONTEXT.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT_VERSION = "1"
# Domain separation: a status-list signature can never pass for a certificate's, nor the reverse.
CERT_CONTEXT = b"zhicheng-certificate/v1\x00"
STATUS_CONTEXT = b"zhicheng-status-list/v1\x00"
KEYS_TYPE = "zhicheng-certificate-keys"
STATUS_TYPE = "zhicheng-certificate-status"

# The signed fields of a certificate, in the order they are explained (docs/certificates.md).
FIELDS: dict[str, str] = {
    "v": "格式版本",
    "kid": "签名密钥",
    "no": "证书编号",
    "eid": "电子证照标识",
    "nm": "姓名",
    "idt": "证件类型",
    "idn": "证件号码",
    "wu": "工作单位",
    "ser": "系列",
    "spc": "专业",
    "q": "资格名称",
    "lv": "资格级别",
    "cmt": "评审委员会",
    "adn": "批准文号",
    "add": "批准日期",
    "iss": "发证机构",
    "isc": "发证机构统一社会信用代码",
    "isd": "发证日期",
}
# Fields printed on the PDF, compared with the signed ones by the offline check.
PRINTED_FIELDS = ("no", "nm", "idn", "q", "spc", "cmt", "adn", "iss", "isd", "eid")


class KeyEncryptionError(Exception):
    pass


# ---------------------------------------------------------------- encoding


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64d(text: str) -> bytes:
    if not isinstance(text, str) or any(c not in _B64_CHARS for c in text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_B64_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def canonical(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def key_id(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:16]


# ---------------------------------------------------------------- private keys at rest


def _key_encryption_key() -> bytes:
    from django.conf import settings

    passphrase = getattr(settings, "CERTIFICATE_KEY_PASSPHRASE", "") or settings.SECRET_KEY
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"zhicheng-portal/certificates",
        info=b"signing-key-encryption/v1",
    ).derive(passphrase.encode("utf-8"))


def new_key_pair() -> tuple[Ed25519PrivateKey, str, str]:
    """A fresh key, its kid and its public half (base64url of the 32 raw bytes)."""
    private = Ed25519PrivateKey.generate()
    public_raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return private, key_id(public_raw), b64e(public_raw)


def encrypt_private_key(private: Ed25519PrivateKey, *, kid: str) -> str:
    """AES-256-GCM under a key derived (HKDF) from the passphrase; the kid is bound as associated data."""
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    nonce = os.urandom(12)
    return "v1:" + b64e(nonce + AESGCM(_key_encryption_key()).encrypt(nonce, raw, kid.encode()))


_PRIVATE_CACHE: dict[tuple[str, str], Ed25519PrivateKey] = {}


def decrypt_private_key(blob: str, *, kid: str) -> Ed25519PrivateKey:
    cache_key = (kid, blob)
    cached = _PRIVATE_CACHE.get(cache_key)
    if cached is not None:
        return cached
    try:
        version, body = blob.split(":", 1)
        data = b64d(body)
        if version != "v1" or len(data) < 13:
            raise ValueError
        raw = AESGCM(_key_encryption_key()).decrypt(data[:12], data[12:], kid.encode())
    except (ValueError, InvalidTag) as exc:
        raise KeyEncryptionError(
            f"签名私钥 {kid} 无法解密：CERTIFICATE_KEY_PASSPHRASE（未设置时为 SECRET_KEY）与生成密钥时不同。"
        ) from exc
    private = Ed25519PrivateKey.from_private_bytes(raw)
    _PRIVATE_CACHE[cache_key] = private
    return private


def sign(private: Ed25519PrivateKey, payload: dict, *, context: bytes = CERT_CONTEXT) -> str:
    """The token: base64url(canonical payload) "." base64url(signature)."""
    body = canonical(payload)
    return f"{b64e(body)}.{b64e(private.sign(context + body))}"


# ---------------------------------------------------------------- the published documents


@dataclass(frozen=True)
class PublishedKey:
    kid: str
    issuer: str
    issuer_name: str
    public_key: Ed25519PublicKey
    status: str
    created_at: str
    retired_at: str | None
    revoked_at: str | None


class KeySet:
    """The keys of keys.json, by kid."""

    def __init__(self, keys: list[PublishedKey]):
        self.by_kid = {k.kid: k for k in keys}

    @classmethod
    def from_document(cls, document: dict) -> KeySet:
        if not isinstance(document, dict) or document.get("type") != KEYS_TYPE:
            raise ValueError(f"密钥文件不是证书公钥列表（type 应为 {KEYS_TYPE}）。")
        keys = []
        for entry in document.get("keys", []):
            try:
                public = Ed25519PublicKey.from_public_bytes(b64d(entry["public_key"]))
            except (KeyError, ValueError) as exc:
                raise ValueError(f"密钥文件中的公钥 {entry.get('kid', '?')} 无法读取。") from exc
            if key_id(b64d(entry["public_key"])) != entry.get("kid"):
                raise ValueError(f"密钥文件中的公钥 {entry.get('kid')} 与其标识不符。")
            keys.append(
                PublishedKey(
                    kid=entry["kid"],
                    issuer=entry.get("issuer", ""),
                    issuer_name=entry.get("issuer_name", ""),
                    public_key=public,
                    status=entry.get("status", ""),
                    created_at=entry.get("created_at", ""),
                    retired_at=entry.get("retired_at"),
                    revoked_at=entry.get("revoked_at"),
                )
            )
        return cls(keys)


def key_document_entry(
    *,
    kid: str,
    issuer: str,
    issuer_name: str,
    public_key: str,
    status: str,
    created_at: dt.datetime,
    retired_at: dt.datetime | None,
    revoked_at: dt.datetime | None,
) -> dict:
    return {
        "kid": kid,
        "alg": "Ed25519",
        "issuer": issuer,
        "issuer_name": issuer_name,
        "public_key": public_key,
        "jwk": {"kty": "OKP", "crv": "Ed25519", "x": public_key, "kid": kid, "use": "sig"},
        "status": status,
        "created_at": _iso(created_at),
        "retired_at": _iso(retired_at),
        "revoked_at": _iso(revoked_at),
    }


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class StatusEntry:
    status: str
    since: str


@dataclass
class StatusLists:
    """Verified status lists by issuer credit code; problems found while reading them."""

    by_issuer: dict[str, dict] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_document(cls, document: dict, keys: KeySet, *, now: dt.datetime) -> StatusLists:
        result = cls()
        if not isinstance(document, dict) or document.get("type") != STATUS_TYPE:
            result.problems.append(f"状态列表文件格式不正确（type 应为 {STATUS_TYPE}）。")
            return result
        for signed in document.get("lists", []):
            payload, problem = _open_signed(signed.get("token", ""), keys, context=STATUS_CONTEXT)
            if problem:
                result.problems.append(f"状态列表（{signed.get('issuer', '?')}）：{problem}")
                continue
            next_update = _parse_time(payload.get("nxt"))
            if next_update is not None and now > next_update:
                result.problems.append(
                    f"状态列表（{payload.get('isc')}）已过期：应于{payload.get('nxt')}前更新，状态可能已变化。"
                )
            result.by_issuer[payload.get("isc", "")] = payload
        return result

    def lookup(self, issuer: str, number: str) -> StatusEntry | None | bool:
        """The entry, None when the issuer's list does not name the number, False when there is no list."""
        payload = self.by_issuer.get(issuer)
        if payload is None:
            return False
        for entry in payload.get("ent", []):
            if entry.get("no") == number:
                return StatusEntry(status=entry.get("st", ""), since=entry.get("at", ""))
        return None


def _parse_time(value) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def status_list_payload(
    *,
    issuer: str,
    kid: str,
    issued_at: dt.datetime,
    next_update: dt.datetime,
    entries: list[tuple[str, str, dt.datetime]],
) -> dict:
    return {
        "v": FORMAT_VERSION,
        "type": "status",
        "isc": issuer,
        "kid": kid,
        "iat": issued_at.isoformat(),
        "nxt": next_update.isoformat(),
        "ent": [{"no": number, "st": status, "at": at.isoformat()} for number, status, at in entries],
    }


# ---------------------------------------------------------------- verification


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


def _open_signed(token: str, keys: KeySet, *, context: bytes) -> tuple[dict, str | None]:
    """Decode and check a signed token. Returns (payload, None) or ({} or payload, the reason it fails)."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 2 or not all(parts):
        return {}, "格式不正确：应为“内容.签名”两段 base64url 文本。"
    try:
        body, signature = b64d(parts[0]), b64d(parts[1])
    except (ValueError, binascii.Error):
        return {}, "内容或签名不是有效的 base64url 编码。"
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}, "内容不是有效的 JSON。"
    if not isinstance(payload, dict):
        return {}, "内容不是 JSON 对象。"
    if canonical(payload) != body:
        return payload, "内容不是规范格式（键须排序、无多余空白），可能被重新编码或改动。"
    if payload.get("v") != FORMAT_VERSION:
        return payload, f"不支持的格式版本“{payload.get('v')}”（应为 {FORMAT_VERSION}）。"
    kid = payload.get("kid", "")
    key = keys.by_kid.get(kid)
    if key is None:
        return payload, f"签名密钥“{kid}”不在公布的公钥列表中。"
    if key.issuer != payload.get("isc"):
        return (
            payload,
            f"签名密钥“{kid}”属于{key.issuer_name or key.issuer}，"
            f"不是所载发证机构（{payload.get('isc')}）的密钥。",
        )
    if key.status == "revoked":
        return payload, f"签名密钥“{kid}”已于{key.revoked_at}吊销，用它签发的内容不再有效。"
    try:
        key.public_key.verify(signature, context + body)
    except InvalidSignature:
        return payload, "签名验证失败：内容与签名不符（内容被改动，或签名不是该密钥所签）。"
    return payload, None


def verify_token(token: str, *, keys: KeySet, status: StatusLists | None = None) -> Verdict:
    verdict = Verdict()
    payload, problem = _open_signed(
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
