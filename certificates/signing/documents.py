"""The published documents (keys.json and the signed status lists) and the check of a signed token."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .encoding import (
    CERT_CONTEXT,
    CERT_FORMAT_VERSIONS,
    FORMAT_VERSION,
    KEYS_TYPE,
    STATUS_CONTEXT,
    STATUS_TYPE,
    b64d,
    canonical,
    key_id,
)


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
    x509: bytes = b""  # the DER certificate the key's PDFs are signed with (signing/pades.py)


class KeySet:
    """The keys of keys.json, by kid; their PDF-signing certificates by SHA-256 fingerprint."""

    def __init__(self, keys: list[PublishedKey]):
        self.by_kid = {k.kid: k for k in keys}
        self.by_certificate = {hashlib.sha256(k.x509).hexdigest(): k for k in keys if k.x509}

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
            try:
                certificate = base64.b64decode(entry.get("x509") or "", validate=True)
            except (binascii.Error, ValueError) as exc:
                raise ValueError(f"密钥文件中 {entry.get('kid')} 的签名证书无法读取。") from exc
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
                    x509=certificate,
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
    x509_der: bytes = b"",
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
        # The PDF signature's certificate (signing/pades.py): base64 of the DER, and its SHA-256.
        "x509": base64.b64encode(x509_der).decode("ascii") if x509_der else None,
        "x509_sha256": hashlib.sha256(x509_der).hexdigest() if x509_der else None,
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
            payload, problem = open_signed(signed.get("token", ""), keys, context=STATUS_CONTEXT)
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


def revoked_message(key: PublishedKey) -> str:
    return (
        f"签名密钥“{key.kid}”已于{key.revoked_at}吊销，用它签发的内容不再有效，"
        "请向发证机构索取重新签发的证书。"
    )


def open_signed(token: str, keys: KeySet, *, context: bytes) -> tuple[dict, str | None]:
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
    versions = CERT_FORMAT_VERSIONS if context == CERT_CONTEXT else (FORMAT_VERSION,)
    if payload.get("v") not in versions:
        return payload, f"不支持的格式版本“{payload.get('v')}”（应为 {'或'.join(versions)}）。"
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
        return payload, revoked_message(key)
    try:
        key.public_key.verify(signature, context + body)
    except InvalidSignature:
        return payload, "签名验证失败：内容与签名不符（内容被改动，或签名不是该密钥所签）。"
    return payload, None
