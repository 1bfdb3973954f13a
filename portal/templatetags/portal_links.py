"""{% path "name" %}: the path of a page without arguments, reversed once per process (portal/links.py);
for the links every page carries in its header and footer."""

from __future__ import annotations

from django import template

from portal import links

register = template.Library()


@register.simple_tag
def path(url_name: str) -> str:
    return links.path(url_name)
