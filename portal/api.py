"""API conventions: one error shape and page-number pagination."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils import html
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import DomainError

PAGE_NUMBER_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 999_999_999}
PAGE_SIZE_DESCRIPTION = "每页返回的结果数量（1–100，更大的数按100计）"


class Pagination(PageNumberPagination):
    """Page-number pagination; a page or page size that is not a whole number is a 400 (DRF would
    quietly fall back to the first page or the default size), a page past the last a 404, a page size
    above the maximum is cut to it."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if not re.fullmatch(r"[0-9]{1,9}", raw):
            raise exceptions.ValidationError({self.page_query_param: ["页码应为正整数。"]})
        return raw

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not re.fullmatch(r"[0-9]{1,9}", raw) or int(raw) < 1:
            raise exceptions.ValidationError({self.page_size_query_param: ["每页条数应为正整数。"]})
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = dict(PAGE_NUMBER_SCHEMA)
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = dict(PAGE_NUMBER_SCHEMA)
                parameter["description"] = PAGE_SIZE_DESCRIPTION
        return parameters


class CappedPagination(Pagination):
    """The same pages, parameters and errors for a list over a large table, without its exact total:
    the page is read as the keys of its rows plus one (whether a next page exists needs no COUNT), and
    the total is counted no further than COUNT_CAP + 1 ("count" is then COUNT_CAP and "count_capped"
    true). An exact COUNT over a visibility predicate that no index serves reads every row the user may
    see, on every page (a second at a province's volume)."""

    COUNT_CAP = 1000

    def paginate_keys(self, queryset, request) -> list:
        """The keys of the rows of the page `request` asks for, in the queryset's order."""
        self.request = request
        self.size = self.get_page_size(request)
        self.number = int(self.get_page_number(request, None))
        offset = (self.number - 1) * self.size
        keys = (
            []
            if self.number < 1
            else list(queryset.values_list("pk", flat=True)[offset : offset + self.size + 1])
        )
        if not keys and self.number != 1:
            raise exceptions.NotFound(self.invalid_page_message.format(page_number=self.number, message=""))
        self.has_next = len(keys) > self.size
        counted = queryset.order_by().values("pk")[: self.COUNT_CAP + 1].count()
        self.capped = counted > self.COUNT_CAP
        self.count = min(counted, self.COUNT_CAP)
        return keys[: self.size]

    def get_next_link(self):
        if not self.has_next:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, self.number + 1)

    def get_previous_link(self):
        if self.number <= 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "count_capped": self.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )


class FormChoiceField(serializers.ChoiceField):
    """A choice sent empty in a form body is that value, refused unless blank is allowed; DRF would take
    it for a field not sent and store the default, which the schema does not say."""

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and dictionary.get(self.field_name) == "" and not self.allow_null:
            return ""
        return super().get_value(dictionary)


def error_body(detail: str, errors: dict | None = None) -> dict:
    """The one error shape of the API: a Chinese message and the errors by field."""
    return {"detail": detail, "errors": errors or {}}


def _error(detail: str, errors: dict | None = None, code: int = 400) -> Response:
    return Response(error_body(detail, errors), status=code)


def field_errors(data: dict) -> dict[str, list[str]]:
    """DRF's errors in the one shape, a list of messages per field: the errors of a list's items or of a
    nested object ({"applications": {0: [...]}}, {"defects": [{}, {"reason": [...]}]}) become messages
    of their field that say where ("第1项：…", "第2项 reason：…")."""
    return {str(name): list(_messages(value, ())) for name, value in data.items()}


def _messages(value, path: tuple):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _messages(inner, (*path, key))
    elif isinstance(value, list) and not all(isinstance(item, str) for item in value):
        for index, inner in enumerate(value):
            yield from _messages(inner, (*path, index))
    elif isinstance(value, list):
        yield from (_where(path) + str(item) for item in value)
    else:
        yield _where(path) + str(value)


def _where(path: tuple) -> str:
    if not path:
        return ""
    words = [f"第{p + 1}项" if isinstance(p, int) else str(p) for p in path]
    return " ".join(words) + "："


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        code = exc.code
        field = getattr(exc, "field", None)
        errors = {field: [exc.message]} if field else {}
        if code == "permission_denied":
            return _error(exc.message, errors, status.HTTP_403_FORBIDDEN)
        if code in ("invalid_transition",):
            return _error(exc.message, errors, status.HTTP_409_CONFLICT)
        return _error(exc.message, errors, status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return _error("提交的数据有误。", errors)
    if isinstance(exc, Http404):
        return _error("未找到。", code=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        return _error("您无权执行此操作。", code=status.HTTP_403_FORBIDDEN)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {"detail": "提交的数据有误。", "errors": field_errors(data)}
    else:
        response.data = {"detail": str(getattr(exc, "detail", exc)), "errors": {}}
    return response


ERROR_COMPONENT = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "给用户看的说明（中文）"},
        "errors": {
            "type": "object",
            "description": "字段名 → 该字段的错误信息列表",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail", "errors"],
}
ERROR_STATUSES = {
    "400": "提交的数据有误（errors 中按字段列出）",
    "401": "未登录或令牌无效",
    "403": "无权执行此操作",
    "404": "不存在或无权查看",
    "405": "不支持的请求方法",
    "409": "当前状态下不能执行此操作",
    "415": "不支持的请求内容类型",
    "429": "请求过于频繁",
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular hook: every operation documents the one error shape for every error status."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_COMPONENT
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_STATUSES.items():
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": ref}}}
                )
    return result
