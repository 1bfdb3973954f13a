"""The rate limiter's counter: one per request in the window, per client, and on Redis a counter that
always carries its lifetime (counted in one MULTI)."""

from __future__ import annotations

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from portal import ratelimit


def test_each_request_counts_once_per_client_and_the_limit_holds():
    assert [ratelimit.hit("t", "198.51.100.1") for _ in range(3)] == [1, 2, 3]
    assert ratelimit.hit("t", "198.51.100.2") == 1
    assert [ratelimit.allow("u", "198.51.100.3", limit=2) for _ in range(3)] == [True, True, False]


@pytest.mark.skipif(not isinstance(caches["default"], RedisCache), reason="needs REDIS_URL (set by .ci/run)")
def test_on_redis_every_counter_expires_and_costs_one_round_trip(monkeypatch):
    ratelimit.hit("ttl", "198.51.100.4")
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match="*ratelimit:ttl:198.51.100.4:*"))
    assert len(keys) == 1
    assert 0 < client.ttl(keys[0]) <= ratelimit.WINDOW_SECONDS * 2
    sent = []
    pipeline_class = type(client.pipeline())
    execute = pipeline_class.execute

    def counted(self, *args, **kwargs):
        sent.append(len(self.command_stack))
        return execute(self, *args, **kwargs)

    monkeypatch.setattr(pipeline_class, "execute", counted)
    assert ratelimit.hit("ttl", "198.51.100.4") == 2
    assert sent == [2]


def test_a_redis_that_does_not_answer_falls_back_to_process_memory(monkeypatch):
    ratelimit.fallback_cache.clear()
    monkeypatch.setattr(ratelimit, "cache", RedisCache("redis://127.0.0.1:1/0", {}))
    assert [ratelimit.allow("down", "198.51.100.5", limit=1) for _ in range(2)] == [True, False]
    ratelimit.fallback_cache.clear()
