"""The signed formats' constants and fields, and their encoding: base64url, canonical JSON, key ids."""

from __future__ import annotations

import base64
import hashlib
import json

FORMAT_VERSION = "1"  # keys.json, status lists
# Certificates: "2" carries the masked ID number (first 3 and last 4 characters) and no full one;
# "1" (before) carried the full number and is still read, with a note that it should be re-issued.
CERT_FORMAT_VERSION = "2"
CERT_FORMAT_VERSIONS = ("1", "2")
# Domain separation: a status-list signature can never pass for a certificate's, nor the reverse.
CERT_CONTEXT = b"zhicheng-certificate/v1\x00"
STATUS_CONTEXT = b"zhicheng-status-list/v1\x00"
# The PDF Info key carrying the certificate's token (WeasyPrint keeps only letters in the name).
TOKEN_METADATA = "zhichengcert"
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
    "idn": "证件号码（隐去中间位）",
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
# Fields printed on the PDF, compared exactly with the signed ones by the offline check (printed.py).
PRINTED_FIELDS = ("nm", "idn", "wu", "ser", "spc", "q", "lv", "cmt", "adn", "add", "no", "iss", "isd", "eid")


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
