"""The reverse proxy's configuration agrees with the portal: it buffers uploads (a slow upload holds no
gunicorn worker), refuses what the portal would refuse anyway and forwards what portal.client_ip reads."""

from __future__ import annotations

import re

from django.conf import settings

CONF = settings.BASE_DIR / "deploy" / "nginx.conf"


def directive(name: str) -> list[str]:
    text = re.sub(r"#.*", "", CONF.read_text(encoding="utf-8"))
    return re.findall(rf"^\s*{name}\s+([^;]+);", text, flags=re.MULTILINE)


def megabytes(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmM]?)", value.strip()).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit.lower()]


def test_uploads_are_buffered_by_the_proxy_before_a_worker_sees_them():
    assert directive("proxy_request_buffering") == ["on"]
    assert megabytes(directive("client_body_buffer_size")[0]) < settings.FILE_UPLOAD_MAX_MEMORY_SIZE


def test_the_body_limit_is_the_portals_request_limit():
    (limit,) = directive("client_max_body_size")
    assert megabytes(limit) >= settings.REQUEST_MAX_BYTES
    assert megabytes(limit) - settings.REQUEST_MAX_BYTES < 1024 * 1024


def test_the_proxy_forwards_the_client_address_and_scheme():
    headers = directive("proxy_set_header")
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in headers
    assert "X-Forwarded-Proto $scheme" in headers
