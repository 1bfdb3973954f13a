"""Certificate PDFs: rendered and stored once, a failed render recorded, re-signed after a key revocation."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from applications.models import private_storage
from portal import clock
from portal.services import notify

from .. import pdf, signing
from ..models import Certificate, CertificateBatch
from ..tokens import certificate_token
from .keys import active_key


def complete_batch(batch_id) -> None:
    """A batch issued in full is complete once every certificate of it has its PDF."""
    if not Certificate.objects.filter(batch_id=batch_id, pdf_rendered_at__isnull=True).exists():
        CertificateBatch.objects.filter(
            pk=batch_id, completed_at__isnull=True, issued_at__isnull=False
        ).update(completed_at=clock.now())


def certificate_render(*, certificate_id) -> Certificate:
    """Render and store the PDF once; a second call (a retried or duplicated task) changes nothing."""
    certificate = Certificate.objects.get(pk=certificate_id)
    if certificate.pdf_sha256:
        return certificate
    Certificate.objects.filter(pk=certificate.pk).update(render_attempts=F("render_attempts") + 1)
    data = pdf.render_certificate(payload=certificate.payload, token=certificate_token(certificate))
    storage = private_storage()
    name = f"certificates/{certificate.batch.year}/{certificate.number}.pdf"
    if storage.exists(name):  # left by an attempt that died before recording it
        storage.delete(name)
    name = storage.save(name, ContentFile(data))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.pdf_sha256:
            return locked
        locked.pdf.name = name
        locked.pdf_sha256 = hashlib.sha256(data).hexdigest()
        locked.pdf_rendered_at = clock.now()
        locked.render_error = ""
        locked.save(update_fields=["pdf", "pdf_sha256", "pdf_rendered_at", "render_error"])
        # The holder learns once, when the PDF can be downloaded (a re-render after re-signing is silent).
        notify(
            user=locked.holder,
            message=f"您的电子职称证书（编号{locked.number}）已生成，可在“我的证书”中查看和下载。",
            link=reverse("certificates:detail", args=[locked.pk]),
            dedupe_key=f"certificate-ready:{locked.pk}",
        )
    complete_batch(locked.batch_id)
    return locked


def certificate_render_failed(*, certificate_id, error: str) -> None:
    Certificate.objects.filter(pk=certificate_id, pdf_rendered_at__isnull=True).update(
        render_error=error[:300]
    )


def certificate_resign(*, certificate: Certificate) -> Certificate:
    """Sign again with the issuer's active key (after a key was revoked) and render again."""
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().select_related("issuer").get(pk=certificate.pk)
        key = active_key(locked.issuer)
        payload = {**locked.payload, "kid": key.kid}
        locked.payload = payload
        locked.signing_key = key
        locked.signature = signing.sign(
            signing.decrypt_private_key(key.private_key_encrypted, kid=key.kid), payload
        ).split(".")[1]
        locked.pdf_sha256, locked.pdf_rendered_at = "", None
        locked.save(update_fields=["payload", "signing_key", "signature", "pdf_sha256", "pdf_rendered_at"])
    return certificate_render(certificate_id=locked.pk)
