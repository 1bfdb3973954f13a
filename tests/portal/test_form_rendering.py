"""The portal's form renderer writes the plain widgets in Python: its output must be exactly what Django's
widget templates produce from the same widget and value, whatever the attributes, values and choices."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from portal.form_rendering import PortalFormRenderer

TEMPLATES = DjangoTemplates()
FAST = PortalFormRenderer()

TRICKY = ['a"b<c>&d', mark_safe("<b>safe</b>"), gettext_lazy("退回原因"), 0, 12.5, "", None]
ATTRS = [
    {},
    {"required": True, "disabled": False, "class": "x y", "aria-label": '项目："学历"<证书>'},
    {"id": "id_f", "maxlength": 300, "data-n": 0, "placeholder": gettext_lazy("具体说明")},
]
INPUTS = [
    forms.TextInput,
    forms.HiddenInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.CheckboxInput,
    forms.FileInput,
]
CHOICES = [
    ("", "—"),
    ("unclear", gettext_lazy("材料不清晰")),
    ("x<y", 'a"b'),
    (3, 3),
    ("组", [("g1", "组内一"), ("g2", mark_safe("<i>二</i>"))]),
]


def both(widget, name, value, attrs=None):
    return (
        widget.render(name, value, attrs=attrs, renderer=TEMPLATES),
        widget.render(name, value, attrs=attrs, renderer=FAST),
    )


@pytest.mark.parametrize("widget_class", INPUTS)
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", TRICKY + [dt.date(2026, 6, 1), True, False])
def test_every_input_widget_renders_as_its_template(widget_class, attrs, value):
    expected, fast = both(widget_class(attrs=attrs), "f<name>", value, attrs={"id": "id_x"})
    assert fast == expected


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", TRICKY + ["a\nb", "  lead"])
def test_textarea_renders_as_its_template(attrs, value):
    expected, fast = both(forms.Textarea(attrs={"rows": 2, **attrs}), "note", value)
    assert fast == expected


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", ["", "unclear", "x<y", "3", 3, "g2", None, "absent"])
@pytest.mark.parametrize("multiple", [False, True])
def test_select_renders_as_its_template(attrs, value, multiple):
    widget = (forms.SelectMultiple if multiple else forms.Select)(attrs=attrs, choices=CHOICES)
    expected, fast = both(widget, "reason_degree", [value, "g1"] if multiple else value)
    assert fast == expected


def test_other_templates_still_go_through_the_engine():
    radio = forms.RadioSelect(choices=CHOICES)
    expected, fast = both(radio, "r", "unclear")
    assert fast == expected and "<input" in fast and 'type="radio"' in fast


@pytest.mark.django_db
def test_an_audit_page_is_the_same_page_with_either_renderer(world, settings):
    """The HR's audit page (return form with a reason and words for every item) byte for byte."""
    application = world.submitted()
    url = reverse("applications:detail", args=[application.pk])
    client = world.client_for(world.hr)
    fast = client.get(url).content.decode()
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
    expected = client.get(url).content.decode()
    assert 'name="reason_degree"' in fast and "<textarea" in fast
    # The CSRF token differs per rendering; everything else is the same.
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", fast) == strip.sub("", expected)
