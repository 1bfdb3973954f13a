"""Refusing malformed input before it reaches a view: control characters in text, bodies too large, a
database conflict no service turned into a message. Each refusal is a 4xx with a Chinese message, never
a 500 further down (PostgreSQL refuses a NUL byte in a query). JSON bodies: portal.parsers."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

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
