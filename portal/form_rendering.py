"""The form renderer: Django's own widget templates, with the plain widgets written in Python.

A widget rendered through the template engine costs a template lookup, a context and an include per
attribute list; a select renders one more include per option. An audit page carries a return form with a
reason select and a text input for every item of the checklist, so that cost was most of its time. The
widgets below (every `<input>`, `<select>` with its options, `<textarea>`) produce exactly what Django's
templates produce from the same context (tests/portal/test_form_rendering.py compares them widget by
widget); any other template (forms, fields, radio and checkbox lists, custom widgets) goes through the
template engine as before.
"""

from __future__ import annotations

import html

from django.forms.renderers import DjangoTemplates

WIDGETS = "django/forms/widgets/"
# The templates that are `{% include "django/forms/widgets/input.html" %}` and nothing else.
INPUT_TEMPLATES = frozenset(
    WIDGETS + name
    for name in (
        "input.html",
        "checkbox.html",
        "color.html",
        "date.html",
        "datetime.html",
        "email.html",
        "file.html",
        "hidden.html",
        "number.html",
        "password.html",
        "search.html",
        "tel.html",
        "text.html",
        "time.html",
        "url.html",
    )
)
SELECT_TEMPLATE = WIDGETS + "select.html"
OPTION_TEMPLATE = WIDGETS + "select_option.html"
TEXTAREA_TEMPLATE = WIDGETS + "textarea.html"


def _text(value) -> str:
    """`{{ value }}` under autoescaping (and `{{ value|stringformat:'s' }}`, which keeps safe input safe):
    conditional_escape without its lazy-string wrapper, which costs more than the escaping."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def attributes(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False leaves the attribute out, True writes its bare name."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_text(value)}"')
    return "".join(parts)


def render_input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    kind, name = _text(widget["type"]), _text(widget["name"])
    return f'<input type="{kind}" name="{name}"{value}{attributes(widget["attrs"])}>'


def render_option(option: dict) -> str:
    value, label = _text(option["value"]), _text(option["label"])
    return f'<option value="{value}"{attributes(option["attrs"])}>{label}</option>'


def render_options(optgroups) -> str | None:
    """The options of a select (its widget context's `optgroups`), or None when one of them has a
    template of its own. Rows that share their choices render them once and pass them to render_select."""
    parts = []
    for group_name, options, _index in optgroups:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            # The option's template ends with a newline, which its include keeps.
            parts.append("\n  " + render_option(option) + "\n")
        if group_name:
            parts.append("\n  </optgroup>")
    return "".join(parts)


def render_select(widget: dict, options: str | None = None) -> str | None:
    """`options`: the select's options as render_options wrote them, when the caller has them."""
    if options is None:
        options = render_options(widget["optgroups"])
        if options is None:
            return None
    return f'<select name="{_text(widget["name"])}"{attributes(widget["attrs"])}>{options}\n</select>'


def render_textarea(widget: dict) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{attributes(widget["attrs"])}>\n{value}</textarea>'


def render_widget(template_name: str, context: dict) -> str | None:
    """The widget's HTML, or None when the template is not one written here."""
    widget = context.get("widget")
    if widget is None:
        return None
    if template_name in INPUT_TEMPLATES:
        return render_input(widget)
    if template_name == SELECT_TEMPLATE:
        return render_select(widget)
    if template_name == TEXTAREA_TEMPLATE:
        return render_textarea(widget)
    if template_name == OPTION_TEMPLATE:
        return render_option(widget)
    return None


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        html = render_widget(template_name, context)
        if html is None:
            return super().render(template_name, context, request=request)
        return html.strip()
