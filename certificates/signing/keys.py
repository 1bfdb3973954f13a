"""Signing keys: a new key pair, the private half encrypted at rest, and signing with it."""

from __future__ import annotations

import os

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from .encoding import CERT_CONTEXT, b64d, b64e, canonical, key_id


class KeyEncryptionError(Exception):
    pass


def _key_encryption_key() -> bytes:
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
    return encrypt_secret(raw, bound_to=kid)


def encrypt_secret(raw: bytes, *, bound_to: str) -> str:
    nonce = os.urandom(12)
    return "v1:" + b64e(nonce + AESGCM(_key_encryption_key()).encrypt(nonce, raw, bound_to.encode()))


def decrypt_secret(blob: str, *, bound_to: str) -> bytes:
    try:
        version, body = blob.split(":", 1)
        data = b64d(body)
        if version != "v1" or len(data) < 13:
            raise ValueError
        return AESGCM(_key_encryption_key()).decrypt(data[:12], data[12:], bound_to.encode())
    except (ValueError, InvalidTag) as exc:
        raise KeyEncryptionError(
            f"签名私钥 {bound_to} 无法解密："
            "CERTIFICATE_KEY_PASSPHRASE（未设置时为 SECRET_KEY）与生成密钥时不同。"
        ) from exc


_PRIVATE_CACHE: dict[tuple[str, str], Ed25519PrivateKey] = {}


def decrypt_private_key(blob: str, *, kid: str) -> Ed25519PrivateKey:
    cache_key = (kid, blob)
    cached = _PRIVATE_CACHE.get(cache_key)
    if cached is not None:
        return cached
    private = Ed25519PrivateKey.from_private_bytes(decrypt_secret(blob, bound_to=kid))
    _PRIVATE_CACHE[cache_key] = private
    return private


def sign(private: Ed25519PrivateKey, payload: dict, *, context: bytes = CERT_CONTEXT) -> str:
    """The token: base64url(canonical payload) "." base64url(signature)."""
    body = canonical(payload)
    return f"{b64e(body)}.{b64e(private.sign(context + body))}"


def certificate_der(pem: str) -> bytes:
    """The DER of a PEM certificate (a key's PDF-signing certificate); empty for none."""
    if not pem:
        return b""
    return x509.load_pem_x509_certificate(pem.encode()).public_bytes(serialization.Encoding.DER)
