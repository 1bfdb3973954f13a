"""The public objection form's guards: a keyed fingerprint of the sender and a rate limit per address."""

from __future__ import annotations

import hashlib
import hmac

from portal import keyring, ratelimit

OBJECTIONS_PER_HOUR = 5
OBJECTIONS_PER_DAY = 20


def fingerprint(ip: str | None, user_agent: str = "") -> str:
    """Objections from one client can be grouped by the office, never traced back to an address: an
    HMAC keyed with the server's secret (an unkeyed hash of an IPv4 address is reversed by trying all
    2^32)."""
    key = keyring.derive("objection-fingerprint/v1")
    return hmac.new(key, f"{ip}|{user_agent[:200]}".encode(), hashlib.sha256).hexdigest()


def within_rate(client_address: str) -> bool:
    """Objections per client address (not per address and browser: a changed User-Agent is the same
    client), counted atomically so that concurrent requests cannot all pass."""
    hourly = ratelimit.allow("objection-hour", client_address, limit=OBJECTIONS_PER_HOUR, window=3600)
    daily = ratelimit.allow("objection-day", client_address, limit=OBJECTIONS_PER_DAY, window=86400)
    return hourly and daily
