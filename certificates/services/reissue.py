"""Re-issuing certificates under the issuer's active key: after their key was revoked (the command
`certificate_keys revoke` and the admin action), or to upgrade certificates of the older format."""

from __future__ import annotations

from django.db import transaction

from portal.queueing import queue_after_commit
from portal.validators import mask_id_number

from .. import signing
from ..batch_tasks import render_certificate_pdf
from ..exceptions import CertificateError
from ..models import Certificate, SigningKey
from ..workflow import CERTIFICATE
from .keys import active_key, signing_key_create, signing_key_revoke


def reissued_payload(payload: dict, *, kid: str) -> dict:
    """The same certificate (number, identifier, dates) in the current format under key `kid`."""
    return {
        **payload,
        "v": signing.CERT_FORMAT_VERSION,
        "kid": kid,
        "idn": mask_id_number(payload.get("idn", "")),
    }


def certificate_reissue(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """Sign the certificate again with its issuer's active key, in `actor`'s name (a history row of the
    certificate), and render and sign its PDF again after commit. Its status does not change."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError("请填写重新签发的原因。", field="reason")

    def change(locked: Certificate) -> None:
        key = active_key(locked.issuer)
        payload = reissued_payload(locked.payload, kid=key.kid)
        private = signing.decrypt_private_key(key.private_key_encrypted, kid=key.kid)
        locked.payload = payload
        locked.signing_key = key
        locked.signature = signing.sign(private, payload).split(".")[1]
        locked.pdf_sha256, locked.pdf_rendered_at, locked.render_error = "", None, ""

    with transaction.atomic():
        current = Certificate.objects.only("status").get(pk=certificate.pk).status
        locked = CERTIFICATE.take(
            certificate.pk, f"reissue_{current}", actor=actor, note=f"重新签发：{reason}", change=change
        )
        queue_after_commit(
            lambda: render_certificate_pdf.delay(str(locked.pk)), what=f"render of certificate {locked.pk}"
        )
    return locked


def certificates_reissue_for_key(*, key: SigningKey, actor, reason: str) -> list[Certificate]:
    """Every certificate `key` signed, re-issued under the issuer's active key."""
    with transaction.atomic():
        pks = list(
            Certificate.objects.filter(signing_key=key).order_by("number").values_list("pk", flat=True)
        )
        return [certificate_reissue(certificate=Certificate(pk=pk), actor=actor, reason=reason) for pk in pks]


def signing_key_revoke_and_reissue(*, key: SigningKey, actor, reason: str) -> list[Certificate]:
    """Revoke the key (what it signed no longer verifies) and, in the same transaction, re-issue its
    certificates under the issuer's active key, made anew when the revoked key was the active one."""
    with transaction.atomic():
        revoked = signing_key_revoke(key=key, actor=actor, reason=reason)
        if not SigningKey.objects.filter(issuer=revoked.issuer, status=SigningKey.Status.ACTIVE).exists():
            signing_key_create(issuer=revoked.issuer, actor=actor)
        return certificates_reissue_for_key(
            key=revoked, actor=actor, reason=f"签名密钥 {revoked.kid} 已吊销（{revoked.revoked_reason}）"
        )
