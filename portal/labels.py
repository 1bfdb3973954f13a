"""A field's choice label, as `get_<field>_display` gives it, from a table built once per field and
language: Django's `get_<field>_display` hashes every choice's lazy label on each call (one translation
lookup per choice, thirty for an application's state), and a page's history calls it twice per row."""

from __future__ import annotations

import functools

from django.db import models
from django.utils.translation import get_language


@functools.cache
def _table(field: models.Field, language: str | None) -> dict:
    return {value: str(label) for value, label in field.flatchoices}


def label(instance: models.Model, name: str) -> str:
    """The label of the instance's choice in field `name` (its value when it is not a choice)."""
    field = instance._meta.get_field(name)
    value = getattr(instance, field.attname)
    try:
        return _table(field, get_language()).get(value, value)
    except TypeError:  # an unhashable value is no choice
        return value
