"""The log of verification lookups, with the client address kept only as a keyed hash."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import transaction

from portal import clock
from portal.bulk import commit_without_flush_wait

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
    with transaction.atomic():
        # A lookup's log line need not wait for the disk: on a crash the last fraction of a second of
        # lookups may be missing from the log, never a certificate or any state.
        commit_without_flush_wait()
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
