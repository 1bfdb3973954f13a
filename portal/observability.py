"""Structured logs: one JSON object per line, each carrying the id of the request it belongs to, which
follows the request into the Celery tasks it queues (a message header), so that one person's action can
be traced through the web process and the worker.

A request takes the id its reverse proxy gave it (X-Request-ID, when well-formed) or a new one, and
answers with it. A task takes the id from its message, or its own task id when it was queued by the beat.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid

from celery.signals import before_task_publish, task_postrun, task_prerun

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
TASK_ID: contextvars.ContextVar[str] = contextvars.ContextVar("task_id", default="")
# The request being answered, for records written far from the view (the security log's actor and address).
CURRENT_REQUEST: contextvars.ContextVar = contextvars.ContextVar("current_request", default=None)
HEADER = "request_id"
_WELL_FORMED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives each request its id (kept for the request's log lines and tasks) and answers with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _WELL_FORMED.match(given) else new_request_id()
        request.request_id = request_id
        token, current = REQUEST_ID.set(request_id), CURRENT_REQUEST.set(request)
        try:
            response = self.get_response(request)
        finally:
            REQUEST_ID.reset(token)
            CURRENT_REQUEST.reset(current)
        response["X-Request-ID"] = request_id
        return response


class ContextFilter(logging.Filter):
    """Puts the current request id and task id on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = getattr(record, "request_id", "") or REQUEST_ID.get()
        record.task_id = getattr(record, "task_id", "") or TASK_ID.get()
        return True


# Attributes every LogRecord has; anything else a caller passed in `extra` goes into the JSON line.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request and task ids,
    the exception with its traceback, and any extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or REQUEST_ID.get(),
            "task_id": getattr(record, "task_id", "") or TASK_ID.get(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in line:
                line[key] = value if isinstance(value, str | int | float | bool | None) else repr(value)
        return json.dumps(line, ensure_ascii=False)


# ---------------------------------------------------------------- the id through Celery


@before_task_publish.connect
def _send_request_id(sender=None, headers=None, **kwargs) -> None:
    """The queuing request's id travels in the message (beside Celery's own headers)."""
    if headers is not None and REQUEST_ID.get():
        headers.setdefault(HEADER, REQUEST_ID.get())


_TOKENS: dict[str, tuple] = {}


@task_prerun.connect
def _take_request_id(task_id=None, task=None, **kwargs) -> None:
    request = getattr(task, "request", None)
    given = getattr(request, HEADER, None) or (getattr(request, "headers", None) or {}).get(HEADER)
    # In-process (eager) the queuing request's own id is current already.
    request_id = given or REQUEST_ID.get() or (task_id or "")
    _TOKENS[task_id] = (REQUEST_ID.set(request_id), TASK_ID.set(task_id or ""))


@task_postrun.connect
def _drop_request_id(task_id=None, **kwargs) -> None:
    tokens = _TOKENS.pop(task_id, None)
    if tokens is not None:
        REQUEST_ID.reset(tokens[0])
        TASK_ID.reset(tokens[1])
