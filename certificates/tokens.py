"""A stored certificate's token: its signed payload and signature, as the QR code carries them."""

from __future__ import annotations

from . import signing
from .models import Certificate


def certificate_token(certificate: Certificate) -> str:
    return f"{signing.b64e(signing.canonical(certificate.payload))}.{certificate.signature}"
