"""Keys the portal derives from its secret, one per purpose, never stored in the database.

Whoever reads the database alone cannot open what is sealed here nor forge what is signed here; whoever
also holds the server's secret (SECRET_KEY, or PORTAL_INTEGRITY_SECRET when set) can. The secret must
therefore stay out of the database and its backups, and must not change while something sealed with it
is still open (a ballot box, a filed meeting's draw secret).
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

NONCE_BYTES = 12


class SealBroken(Exception):
    """A sealed value that was altered, moved to another record, or sealed under another secret."""


def _secret() -> bytes:
    return (getattr(settings, "PORTAL_INTEGRITY_SECRET", "") or settings.SECRET_KEY).encode("utf-8")


def derive(purpose: str, *, length: int = 32) -> bytes:
    """A key for one purpose (e.g. "ballot-seal/v1"): HKDF-SHA256 over the portal's secret."""
    return HKDF(
        algorithm=hashes.SHA256(), length=length, salt=b"zhicheng-portal/keyring", info=purpose.encode()
    ).derive(_secret())


def seal(purpose: str, plaintext: bytes, *, bound_to: str) -> bytes:
    """AES-256-GCM with a fresh nonce: the same plaintext seals differently every time, and `bound_to`
    (the record it belongs to) is authenticated, so a sealed value copied to another record fails."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(derive(purpose)).encrypt(nonce, plaintext, bound_to.encode())


def unseal(purpose: str, sealed: bytes, *, bound_to: str) -> bytes:
    data = bytes(sealed)
    if len(data) <= NONCE_BYTES:
        raise SealBroken(purpose)
    try:
        return AESGCM(derive(purpose)).decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], bound_to.encode())
    except InvalidTag as exc:
        raise SealBroken(purpose) from exc


def signing_key(purpose: str) -> Ed25519PrivateKey:
    """An Ed25519 key for one purpose, derived from the secret: the same key on every process."""
    return Ed25519PrivateKey.from_private_bytes(derive(f"ed25519/{purpose}"))


def public_key_raw(purpose: str) -> bytes:
    return (
        signing_key(purpose)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def verify_signature(public_raw: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
