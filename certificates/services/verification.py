"""The log of verification lookups, with the client address kept only as a keyed hash."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from portal import clock

from ..models import Certificate, Verification


def client_fingerprint(address: str | None) -> str:
    """A keyed hash of the client address: lookups by one client can be grouped, not traced back."""
    if not address:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:16]


def verification_record(
    *,
    certificate: Certificate | None,
    number: str,
    channel: str,
    outcome: str,
    name_matched: bool | None,
    address: str | None,
    user=None,
) -> Verification:
    return Verification.objects.create(
        certificate=certificate,
        number=number[:40],
        channel=channel,
        outcome=outcome,
        name_matched=name_matched,
        client=client_fingerprint(address),
        user=user if user is not None and user.is_authenticated else None,
        at=clock.now(),
    )
