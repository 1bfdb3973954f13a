"""Issuers' signing keys: created, retired and revoked; the active key that signs new certificates."""

from __future__ import annotations

from django.db import transaction

from portal import clock

from .. import signing
from ..exceptions import CertificateError
from ..models import IssuerProfile, SigningKey
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
        return SigningKey.objects.create(
            issuer=issuer,
            kid=kid,
            public_key=public,
            created_at=now,
            private_key_encrypted=signing.encrypt_private_key(private, kid=kid),
        )


def signing_key_retire(*, key: SigningKey, actor) -> SigningKey:
    """The key signs nothing new; what it signed stays valid."""
    return SIGNING_KEY.take(
        key, "retire", actor=actor, change=lambda k: setattr(k, "retired_at", clock.now())
    )


def signing_key_revoke(*, key: SigningKey, actor, reason: str) -> SigningKey:
    """Certificates signed by a revoked key no longer verify: re-sign them (`certificate_resign`)."""
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
