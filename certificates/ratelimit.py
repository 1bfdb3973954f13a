"""The public verification's rate limit, on the portal's limiter (portal.ratelimit)."""

from __future__ import annotations

from django.conf import settings

from portal.ratelimit import WINDOW_SECONDS, allow, client_address

__all__ = ["WINDOW_SECONDS", "allow", "client_address", "verify_limit"]


def verify_limit() -> int:
    """Public verifications per client and minute (setting CERTIFICATE_VERIFY_RATE_LIMIT, default 30)."""
    return int(getattr(settings, "CERTIFICATE_VERIFY_RATE_LIMIT", 30))
