"""{{ object|label:"field" }}: a choice field's label as `get_<field>_display` gives it (portal/labels.py)."""

from __future__ import annotations

from django import template

from portal import labels

register = template.Library()


@register.filter
def label(instance, name: str):
    return labels.label(instance, name)
