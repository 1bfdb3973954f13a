"""A choice's label from the template filter is the one `get_<field>_display` gives, in each language, for
every choice of the fields the pages show, and a value that is no choice shows as itself."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from applications.models import Application, ApplicationEvent
from portal import labels

FIELDS = [
    (Application, "state"),
    (Application, "declaration_type"),
    (Application, "exceptional_class"),
    (Application, "channel"),
    (ApplicationEvent, "to_state"),
    (ApplicationEvent, "actor_role"),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("model", "name"), FIELDS)
def test_every_choice_reads_as_django_shows_it(model, name, language):
    field = model._meta.get_field(name)
    with translation.override(language):
        for value, _ in field.flatchoices:
            instance = model(**{field.attname: value})
            assert labels.label(instance, name) == getattr(instance, f"get_{name}_display")()


def test_a_value_that_is_no_choice_shows_as_itself_escaped():
    application = Application(state="<b>no-such-state</b>")
    assert labels.label(application, "state") == "<b>no-such-state</b>"
    rendered = Template('{% load portal_labels %}{{ a|label:"state" }}').render(Context({"a": application}))
    assert rendered == "&lt;b&gt;no-such-state&lt;/b&gt;"
