"""The reverse proxy's configuration agrees with the portal: it buffers uploads (a slow upload holds no
gunicorn worker), refuses what the portal would refuse anyway and forwards what portal.client_ip reads."""

from __future__ import annotations

import re

import yaml
from django.conf import settings
from django.urls import reverse

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


def _declaration_location() -> re.Pattern:
    text = re.sub(r"#.*", "", CONF.read_text(encoding="utf-8"))
    (pattern,) = re.findall(r"location ~ (\S+) \{\s*proxy_pass http://\$declaration_upstream;", text)
    return re.compile(pattern)


def test_an_applicants_declaration_goes_to_its_own_lane_and_the_queues_do_not():
    text = re.sub(r"#.*", "", CONF.read_text(encoding="utf-8"))
    (choice,) = re.findall(r"map \$request_method \$declaration_upstream \{([^}]*)\}", text)
    assert dict(line.split() for line in choice.strip().splitlines()) == {
        "POST": "portal_applicants;",
        "default": "portal_web;",
    }
    location = _declaration_location()
    pk = "0b0e2a8e-56c5-4a43-9e1c-2f4f6c7e8a90"
    for name, args in [
        ("applications:new", []),
        ("applications:edit", [pk]),
        ("applications:evidence_upload", [pk]),
        ("applications:pledge", [pk]),
        ("applications:submit", [pk]),
        ("applications:resubmit", [pk]),
        ("applications:archive_identity", []),
        ("applications:entry_add", ["education"]),
        ("applications:evidence_delete", [pk]),
        ("api-application-submit", [pk]),
    ]:
        assert location.match(reverse(name, args=args)), name
    for name in ("applications:audit_queue", "applications:audit_publicise", "committees:queue", "login"):
        assert not location.match(reverse(name)), name


def test_the_lane_is_the_service_compose_runs():
    (server,) = re.findall(
        r"upstream portal_applicants \{\s*server ([^;]+);", CONF.read_text(encoding="utf-8")
    )
    port = server.rsplit(":", 1)[1]
    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8"))
    lane = compose["services"]["web_applicants"]
    assert lane["environment"]["GUNICORN_BIND"] == f"0.0.0.0:{port}"
    assert f"{port}:{port}" in lane["ports"]
    assert "portal/gunicorn.conf.py" in lane["command"]
