"""The address of the client that made a request, the one function every rate limit, audit row and pledge
reads it through.

Behind a reverse proxy REMOTE_ADDR is the proxy's address, and the client's is in X-Forwarded-For. That
header is written by whoever sent the request, so it is read only when the direct peer is one of the
proxies named in PORTAL_TRUSTED_PROXIES (addresses or CIDR networks): from the right, each hop a trusted
proxy appended is skipped, and the first address not of a trusted proxy is the client. Anything a client
put further left is never believed.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "PORTAL_TRUSTED_PROXIES", ()) or ()))


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def is_trusted_proxy(value: str) -> bool:
    address = _address(value)
    return address is not None and any(address in network for network in trusted_networks())


def client_ip(request) -> str:
    """The client's address as text ("" when the request carries none)."""
    meta = getattr(request, "META", {})
    peer = (meta.get("REMOTE_ADDR") or "").strip()
    if not is_trusted_proxy(peer):
        return peer
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if _address(hop) is None:
            # A malformed hop: nothing to its left can be trusted either; the proxy is all we know.
            return peer
        if not is_trusted_proxy(hop):
            return hop
    return hops[0] if hops else peer
