"""A small fixed-window rate limiter on the Django cache (locmem in development, Redis with REDIS_URL)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from portal import clock
from portal.client_ip import client_ip

WINDOW_SECONDS = 60


def verify_limit() -> int:
    """Public verifications per client and minute (setting CERTIFICATE_VERIFY_RATE_LIMIT, default 30)."""
    return int(getattr(settings, "CERTIFICATE_VERIFY_RATE_LIMIT", 30))


def allow(scope: str, client: str, *, limit: int, window: int = WINDOW_SECONDS) -> bool:
    """Count one request of `client` in the current window; False once the limit is passed."""
    bucket = int(clock.now().timestamp()) // window
    key = f"ratelimit:{scope}:{client}:{bucket}"
    if cache.add(key, 1, timeout=window * 2):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window * 2)
        count = 1
    return count <= limit


def client_address(request) -> str:
    # X-Forwarded-For is believed only from a proxy named in PORTAL_TRUSTED_PROXIES.
    return client_ip(request) or "unknown"
