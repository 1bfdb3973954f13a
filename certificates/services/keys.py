"""Issuers' signing keys: created, retired and revoked; the active key that signs new certificates."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.db import transaction

from portal import clock

from .. import signing
from ..exceptions import CertificateError
from ..models import IssuerProfile, SigningKey
from ..signing import pades
from ..workflow import SIGNING_KEY


def signing_key_create(*, issuer: IssuerProfile, actor=None) -> SigningKey:
    """A new active key for the issuer; the key it replaces is retired (what it signed stays valid) in
    the name of `actor`. An issuer's first key is set up without one (deployment, demo data)."""
    now = clock.now()
    private, kid, public = signing.new_key_pair()
    with transaction.atomic():
        IssuerProfile.objects.select_for_update().get(pk=issuer.pk)
        for old in SigningKey.objects.filter(issuer=issuer, status=SigningKey.Status.ACTIVE):
            SIGNING_KEY.take(
                old,
                "retire",
                actor=actor,
                note=f"由新密钥 {kid} 取代",
                data={"replaced_by": kid},
                change=lambda key: setattr(key, "retired_at", now),
            )
        key = SigningKey(
            issuer=issuer,
            kid=kid,
            public_key=public,
            created_at=now,
            private_key_encrypted=signing.encrypt_private_key(private, kid=kid),
        )
        _add_pdf_key(key, at=now)
        key.save(force_insert=True)
        return key


def _pdf_key_binding(kid: str) -> str:
    return f"{kid}/pdf"


def _add_pdf_key(key: SigningKey, *, at: dt.datetime) -> None:
    """The key's P-256 key and self-signed certificate (signing/pades.py), valid from a day before the
    earlier of `at` and the real time (the portal's clock may be set back in a demo)."""
    private = pades.new_pdf_key()
    real = clock.real_now()
    der = pades.issuer_certificate(
        private,
        issuer_name=key.issuer.name,
        credit_code=key.issuer.credit_code,
        kid=key.kid,
        at=min(at, real),
    )
    key.pdf_key_encrypted = signing.encrypt_secret(
        pades.private_key_bytes(private), bound_to=_pdf_key_binding(key.kid)
    )
    key.certificate_pem = (
        x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM).decode()
    )


def signing_key_pdf_signer(key: SigningKey) -> tuple[ec.EllipticCurvePrivateKey, bytes]:
    """The P-256 private key and certificate that sign the PDFs of `key`'s certificates; a key made
    before PDFs were signed gets them here, once, under its row lock."""
    if not key.pdf_key_encrypted:
        with transaction.atomic():
            locked = SigningKey.objects.select_for_update().select_related("issuer").get(pk=key.pk)
            if not locked.pdf_key_encrypted:
                _add_pdf_key(locked, at=locked.created_at)
                locked.save(update_fields=["pdf_key_encrypted", "certificate_pem"])
            key = locked
    raw = signing.decrypt_secret(key.pdf_key_encrypted, bound_to=_pdf_key_binding(key.kid))
    return pades.load_private_key(raw), signing.certificate_der(key.certificate_pem)


def signing_key_retire(*, key: SigningKey, actor) -> SigningKey:
    """The key signs nothing new; what it signed stays valid."""
    return SIGNING_KEY.take(
        key, "retire", actor=actor, change=lambda k: setattr(k, "retired_at", clock.now())
    )


def signing_key_revoke(*, key: SigningKey, actor, reason: str) -> SigningKey:
    """Certificates signed by a revoked key no longer verify: revoke with
    `services.reissue.signing_key_revoke_and_reissue`, which re-issues them under a new key."""
    reason = reason.strip()[:200]
    if not reason:
        raise CertificateError("请填写吊销原因。", field="reason")

    def change(locked: SigningKey) -> None:
        locked.revoked_at = clock.now()
        locked.revoked_reason = reason

    return SIGNING_KEY.take(key, "revoke", actor=actor, note=reason, change=change)


def active_key(issuer: IssuerProfile) -> SigningKey:
    key = SigningKey.objects.filter(issuer=issuer, status=SigningKey.Status.ACTIVE).first()
    if key is None:
        raise CertificateError(
            f"“{issuer.name}”没有可用的签名密钥，请先运行 manage.py certificate_keys create。"
        )
    return key
