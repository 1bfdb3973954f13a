"""Refusing malformed input before it reaches a view: control characters in text, JSON nested or sized
beyond reason. Each refusal is a 400 with a Chinese message, never a 500 further down (PostgreSQL
refuses a NUL byte in a query; Python's JSON decoder recurses once per nesting level)."""

from __future__ import annotations

import json
import logging
import re

from django.conf import settings
from django.db import IntegrityError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from rest_framework.exceptions import ParseError
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import JSONParser

from .api import error_body
from .validators import CONTROL_MESSAGE, has_control_characters, strip_control_characters

logger = logging.getLogger(__name__)


def _tainted_fields(query_dict) -> list[str]:
    return [
        key
        for key, values in query_dict.lists()
        if has_control_characters(key) or any(has_control_characters(v) for v in values)
    ]


class RefuseControlCharacters:
    """Query parameters of every request, and the form fields of API requests, are refused with a 400
    when they carry control characters. A page's form fields are left to the form, which shows the
    message beside the field (the validator above); JSON bodies are checked by SafeJSONParser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_api = request.path.startswith("/api/")
        tainted = _tainted_fields(request.GET)
        if not tainted and is_api and request.method not in ("GET", "HEAD", "OPTIONS"):
            content_type = request.content_type or ""
            if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                tainted = _tainted_fields(request.POST)
        if not tainted:
            return self.get_response(request)
        names = [strip_control_characters(name)[:40] or "?" for name in tainted]
        if is_api:
            errors = {name: [CONTROL_MESSAGE] for name in names}
            return JsonResponse(error_body("提交的数据" + CONTROL_MESSAGE, errors), status=400)
        return render(request, "400.html", {"message": "请求的参数" + CONTROL_MESSAGE}, status=400)


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


class RefuseDatabaseConflicts:
    """An IntegrityError that no service turned into a message (a race between two requests, a row
    changed meanwhile) is a 409 with a plain message: never a 500, never a constraint's name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, IntegrityError):
            return None
        logger.warning("%s %s: integrity error not handled by a service", request.method, request.path)
        message = "数据已被修改或与已有记录冲突，未能保存。请刷新页面后重试。"
        if request.path.startswith("/api/"):
            return JsonResponse(error_body(message), status=409)
        return render(request, "400.html", {"message": message}, status=409)


class RefuseOversizedBodies:
    """A request whose declared body is larger than REQUEST_MAX_BYTES is refused before its body is
    read (uploads included; each kind of upload has its own lower limit checked afterwards)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_MAX_BYTES
        if length <= limit:
            return self.get_response(request)
        message = f"提交的内容超过{limit // 1048576}MB的上限，请缩小文件后重新提交。"
        if request.path.startswith("/api/"):
            return JsonResponse(error_body(message), status=400)
        # A bare page: this runs before the session and the user are known, which the layout needs.
        page = f'<!DOCTYPE html><html lang="zh-Hans"><meta charset="utf-8"><title>请求有误</title>{message}'
        return HttpResponse(page, status=400)
