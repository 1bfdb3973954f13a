"""The API's JSON parser: a size limit, a nesting limit and no control characters in any string, each
refused with a 400 that names the problem (Python's JSON decoder recurses once per nesting level, so a
body of 100,000 brackets would otherwise end in a RecursionError).

Kept apart from portal.input and portal.api: DRF imports it while loading its own views."""

from __future__ import annotations

import json
import re

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import JSONParser

from .validators import CONTROL_MESSAGE, has_control_characters, strip_control_characters


def _json_depth_exceeded(text: str, limit: int) -> bool:
    """Nesting depth of arrays and objects outside string literals, without recursing."""
    depth = 0
    for match in re.finditer(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


def _first_control_character_path(data) -> str | None:
    """The dotted path of the first string (key or value) that carries a control character."""
    stack = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if has_control_characters(value):
                return path or "body"
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                if has_control_characters(str(key)):
                    return strip_control_characters(child)
                stack.append((child, item))
        elif isinstance(value, list):
            stack.extend((f"{path}.{i}" if path else str(i), item) for i, item in enumerate(value))
    return None


class SafeJSONParser(JSONParser):
    """DRF's JSON parser with a size limit (API_JSON_MAX_BYTES), a nesting limit (API_JSON_MAX_DEPTH)
    and no control characters in any string; each refusal names the problem."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_JSON_MAX_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ParseError(f"请求内容超过{limit // 1024}KB的上限。")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError("请求内容不是有效的UTF-8文本。") from exc
        depth = settings.API_JSON_MAX_DEPTH
        if _json_depth_exceeded(text, depth):
            raise ParseError(f"JSON嵌套超过{depth}层。")
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError("请求内容不是有效的JSON。") from exc
        path = _first_control_character_path(data)
        if path is not None:
            raise ApiValidationError({path: [CONTROL_MESSAGE]})
        return data


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")
