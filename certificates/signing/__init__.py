"""Signatures and their verification, without the database.

Everything here works from plain data: the published keys document (keys.json), the signed
status lists (status.json) and a certificate's token. The offline `verify_certificate` command
and the online verification page both call `verify_token`, so both say the same thing.

Formats (docs/certificates.md):
- canonical form: JSON with sorted keys, no insignificant whitespace, UTF-8, string values only;
- certificate token: base64url(canonical payload) "." base64url(Ed25519 signature over
  CERT_CONTEXT + canonical payload); the status list is signed the same way under STATUS_CONTEXT;
- the certificate PDF: PAdES-signed (ECDSA P-256, one self-signed X.509 certificate per key).

Modules: encoding (formats, fields, base64url and canonical JSON), keys (key pairs, private keys at
rest, signing), documents (keys.json, status lists, opening a signed token), printed (the lines a
certificate prints and their exact check), verification (a token's verdict, the kinds of failure),
pades and pdfcheck (the PDF's signature and a PDF's verdict; they load pyHanko, so they are imported
by name where needed, not from here).
"""

from __future__ import annotations

from .documents import KeySet, PublishedKey, StatusEntry, StatusLists, key_document_entry, status_list_payload
from .encoding import (
    CERT_CONTEXT,
    CERT_FORMAT_VERSION,
    FIELDS,
    FORMAT_VERSION,
    KEYS_TYPE,
    PRINTED_FIELDS,
    STATUS_CONTEXT,
    STATUS_TYPE,
    TOKEN_METADATA,
    b64d,
    b64e,
    canonical,
    key_id,
)
from .keys import (
    KeyEncryptionError,
    certificate_der,
    decrypt_private_key,
    decrypt_secret,
    encrypt_private_key,
    encrypt_secret,
    new_key_pair,
    sign,
)
from .printed import compare_printed, id_type_label, printed_date
from .verification import EXIT_STATUS, Verdict, verify_token

__all__ = [
    "CERT_CONTEXT",
    "CERT_FORMAT_VERSION",
    "EXIT_STATUS",
    "FIELDS",
    "FORMAT_VERSION",
    "KEYS_TYPE",
    "PRINTED_FIELDS",
    "STATUS_CONTEXT",
    "STATUS_TYPE",
    "TOKEN_METADATA",
    "KeyEncryptionError",
    "KeySet",
    "PublishedKey",
    "StatusEntry",
    "StatusLists",
    "Verdict",
    "b64d",
    "b64e",
    "canonical",
    "certificate_der",
    "compare_printed",
    "decrypt_private_key",
    "decrypt_secret",
    "encrypt_private_key",
    "encrypt_secret",
    "id_type_label",
    "key_document_entry",
    "key_id",
    "new_key_pair",
    "printed_date",
    "sign",
    "status_list_payload",
    "verify_token",
]
