"""Paths of the portal's pages, reversed once per process.

A path is fixed by the URL configuration and the script prefix, so the work of `reverse` (matching the
name, checking the arguments against the pattern) is done once for each name: the menu on every signed-in
page and the link on every row of a list would otherwise reverse the same names on every request.
"""

from __future__ import annotations

import functools
import uuid

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Reversed in the place of a key, by the key's kind: values no pattern's own text contains.
_PLACEHOLDERS = {int: 918273645, uuid.UUID: uuid.UUID("9182736d-4500-4000-8000-00009d18f0a1")}


def _context() -> tuple[str, str]:
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


@functools.cache
def _path(url_name: str, urlconf: str, prefix: str) -> str:
    return reverse(url_name, urlconf=urlconf)


@functools.cache
def _split(url_name: str, kind: type, urlconf: str, prefix: str) -> tuple[str, str]:
    placeholder = _PLACEHOLDERS[kind]
    head, found, tail = reverse(url_name, args=[placeholder], urlconf=urlconf).partition(str(placeholder))
    if not found:
        raise ValueError(f"{url_name} does not take its argument in the path")
    return head, tail


def path(url_name: str) -> str:
    """reverse(url_name) for a page without arguments."""
    return _path(url_name, *_context())


def object_path(url_name: str, pk: int | uuid.UUID) -> str:
    """reverse(url_name, args=[pk]) for a page of one object named by its key (an integer or a UUID)."""
    kind = uuid.UUID if isinstance(pk, uuid.UUID) else int
    head, tail = _split(url_name, kind, *_context())
    return f"{head}{pk if kind is uuid.UUID else int(pk)}{tail}"
