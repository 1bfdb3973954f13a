"""A fixed-window rate limiter on the Django cache (Redis with REDIS_URL, shared by every process;
locmem in the embedded demo). The counter is one atomic increment per request, keyed on the client's
address only: a client cannot reset it by changing its User-Agent, and concurrent requests each get
their own count."""

from __future__ import annotations

import logging

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.utils.connection import ConnectionProxy
from redis.exceptions import RedisError

from . import clock
from .client_ip import client_ip

log = logging.getLogger(__name__)
WINDOW_SECONDS = 60
# What the shared cache raises while Redis is down.
CACHE_DOWN = (RedisError, OSError)
# While Redis is down the counters go on in this process's memory: the limits still hold (per
# process) and the pages they guard keep answering instead of failing with the cache.
fallback_cache = LocMemCache("ratelimit-fallback", {"MAX_ENTRIES": 10000})


def hit(scope: str, client: str, *, window: int = WINDOW_SECONDS) -> int:
    """Count one request of `client` in the current window and return the count so far."""
    bucket = int(clock.now().timestamp()) // window
    key = f"ratelimit:{scope}:{client}:{bucket}"
    try:
        return _count(cache, key, window)
    except CACHE_DOWN as exc:
        log.warning("rate limit counted in process memory (cache unavailable: %r)", exc)
        return _count(fallback_cache, key, window)


def _count(store, key: str, window: int) -> int:
    backend = caches[DEFAULT_CACHE_ALIAS] if isinstance(store, ConnectionProxy) else store
    if isinstance(backend, RedisCache):
        return _count_redis(backend, key, window)
    for _ in range(3):
        if store.add(key, 1, timeout=window * 2):
            return 1
        try:
            return store.incr(key)
        except ValueError:  # expired between add and incr: add again
            continue
    return 1


def allow(scope: str, client: str, *, limit: int, window: int = WINDOW_SECONDS) -> bool:
    """Count one request of `client` in the current window; False once the limit is passed."""
    return hit(scope, client, window=window) <= limit


def client_address(request) -> str:
    # X-Forwarded-For is believed only from a proxy named in PORTAL_TRUSTED_PROXIES (portal.client_ip).
    return client_ip(request) or "unknown"


def _count_redis(store: RedisCache, key: str, window: int) -> int:
    """One round trip: INCR and EXPIRE in one MULTI, so the counter always has its lifetime (the key
    names its window, so renewing the lifetime on every hit changes nothing). The cache's own add-then-
    incr took three (SET NX, EXISTS, INCR)."""
    key = store.make_and_validate_key(key)
    pipeline = store._cache.get_client(key, write=True).pipeline(transaction=True)
    pipeline.incr(key)
    pipeline.expire(key, window * 2)
    count, _ = pipeline.execute()
    return int(count)
