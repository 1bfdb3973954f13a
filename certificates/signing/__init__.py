"""Signatures and their verification, without the database.

Everything here works from plain data: the published keys document (keys.json), the signed
status lists (status.json) and a certificate's token. The offline `verify_certificate` command
and the online verification page both call `verify_token`, so both say the same thing.

Formats (docs/certificates.md):
- canonical form: JSON with sorted keys, no insignificant whitespace, UTF-8, string values only;
- certificate token: base64url(canonical payload) "." base64url(Ed25519 signature over
  CERT_CONTEXT + canonical payload); the status list is signed the same way under STATUS_CONTEXT.

Modules: encoding (formats, fields, base64url and canonical JSON), keys (key pairs, private keys at
rest, signing), documents (keys.json, status lists, opening a signed token), verification (a token's
verdict, the printed fields of a PDF).
"""

from __future__ import annotations

from .documents import KeySet, PublishedKey, StatusEntry, StatusLists, key_document_entry, status_list_payload
from .encoding import (
    CERT_CONTEXT,
    FIELDS,
    FORMAT_VERSION,
    KEYS_TYPE,
    PRINTED_FIELDS,
    STATUS_CONTEXT,
    STATUS_TYPE,
    b64d,
    b64e,
    canonical,
    key_id,
)
from .keys import KeyEncryptionError, decrypt_private_key, encrypt_private_key, new_key_pair, sign
from .verification import Verdict, compare_printed, printed_date, verify_token

__all__ = [
    "CERT_CONTEXT",
    "FIELDS",
    "FORMAT_VERSION",
    "KEYS_TYPE",
    "PRINTED_FIELDS",
    "STATUS_CONTEXT",
    "STATUS_TYPE",
    "KeyEncryptionError",
    "KeySet",
    "PublishedKey",
    "StatusEntry",
    "StatusLists",
    "Verdict",
    "b64d",
    "b64e",
    "canonical",
    "compare_printed",
    "decrypt_private_key",
    "encrypt_private_key",
    "key_document_entry",
    "key_id",
    "new_key_pair",
    "printed_date",
    "sign",
    "status_list_payload",
    "verify_token",
]
