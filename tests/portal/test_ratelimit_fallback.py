"""Rate limits while Redis (the shared cache) is down: the pages they guard answer, and the limits still
hold, counted in the process's memory."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from portal import api_views, ratelimit

pytestmark = pytest.mark.django_db


class DownCache:
    def __getattr__(self, name):
        def down(*args, **kwargs):
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        return down


@pytest.fixture
def cache_down(monkeypatch):
    ratelimit.fallback_cache.clear()
    monkeypatch.setattr(ratelimit, "cache", DownCache())
    monkeypatch.setattr(api_views.TokenRateThrottle, "cache", DownCache())
    yield
    ratelimit.fallback_cache.clear()


@pytest.mark.usefixtures("cache_down")
def test_the_limit_still_holds_in_process_memory():
    assert [ratelimit.allow("verify", "203.0.113.9", limit=2) for _ in range(3)] == [True, True, False]


@pytest.mark.usefixtures("cache_down")
def test_the_public_verification_answers(settings):
    settings.CERTIFICATE_VERIFY_RATE_LIMIT = 1
    client = Client()
    url = reverse("certificates:verify") + "?number=330800202600100001"
    assert [client.get(url).status_code for _ in range(2)] == [200, 429]


@pytest.mark.usefixtures("cache_down")
def test_the_token_endpoint_answers(settings):
    settings.PORTAL_API_TOKEN_RATE = "1/min"
    client = Client()
    url = reverse("api-token")
    statuses = [client.post(url, {"username": "nobody", "password": "x"}).status_code for _ in range(2)]
    assert statuses[0] in (400, 401) and statuses[1] == 429
