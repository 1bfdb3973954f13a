"""Certificate PDFs: rendered, signed (PAdES) and stored once; a failed render recorded."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from applications.models import private_storage
from portal import clock
from portal.services import notify

from .. import pdf
from ..exceptions import CertificateError
from ..models import Certificate, CertificateBatch, SigningKey
from ..signing import pades
from ..tokens import certificate_token
from .keys import signing_key_pdf_signer


def complete_batch(batch_id) -> None:
    """A batch issued in full is complete once every certificate of it has its PDF."""
    if not Certificate.objects.filter(batch_id=batch_id, pdf_rendered_at__isnull=True).exists():
        CertificateBatch.objects.filter(
            pk=batch_id, completed_at__isnull=True, issued_at__isnull=False
        ).update(completed_at=clock.now())


def certificate_render(*, certificate_id) -> Certificate:
    """Render, sign with the certificate's key (PAdES) and store the PDF once; a second call (a retried
    or duplicated task) changes nothing."""
    certificate = Certificate.objects.select_related("signing_key", "issuer", "batch").get(pk=certificate_id)
    if certificate.pdf_sha256:
        return certificate
    key = certificate.signing_key
    if key.status == SigningKey.Status.REVOKED:
        raise CertificateError(f"签名密钥 {key.kid} 已吊销，证书须重新签发后才能生成PDF。")
    Certificate.objects.filter(pk=certificate.pk).update(render_attempts=F("render_attempts") + 1)
    private, certificate_der = signing_key_pdf_signer(key)
    data = pades.sign_pdf(
        pdf.render_certificate(payload=certificate.payload, token=certificate_token(certificate)),
        private=private,
        certificate_der=certificate_der,
        signer_name=certificate.issuer.name,
    )
    storage = private_storage()
    name = f"certificates/{certificate.batch.year}/{certificate.number}.pdf"
    if storage.exists(name):  # left by an attempt that died before recording it
        storage.delete(name)
    name = storage.save(name, ContentFile(data))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.pdf_sha256 or locked.signature != certificate.signature:
            return locked  # rendered meanwhile, or re-issued meanwhile (its own render follows)
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
