"""The return form's rows as a page first shows them are written straight from the fields: they must be
exactly what Django's bound fields render, for every item of a real checklist, with and without a
prefix; a form shown again with the user's input keeps it."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse
from django.utils.html import escape

from applications import returns
from applications.audit_forms import ReturnForm, ReturnReasonForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("form_class", [ReturnForm, ReturnReasonForm])
@pytest.mark.parametrize("prefix", [None, "bureau"])
def test_the_blank_rows_are_what_the_bound_fields_render(world, form_class, prefix):
    items = returns.items_for(world.submitted())
    assert len(items) > 5
    form = form_class(items=items, prefix=prefix)
    fast = form.rows()
    assert [item for item, _, _ in fast] == items
    for item, reason, words in fast:
        assert str(reason) == str(form[f"reason_{item.code}"])
        assert str(words) == str(form[f"item_{item.code}"])


def test_a_label_with_markup_is_escaped_as_django_escapes_it(world):
    items = returns.items_for(world.submitted())
    form = ReturnForm(items=[dataclasses.replace(items[0], label='学历"<b>&')])
    (item, reason, words) = form.rows()[0]
    assert escape('学历"<b>&') in str(reason)
    assert str(reason) == str(form[f"reason_{item.code}"]) and str(words) == str(form[f"item_{item.code}"])


def test_a_form_shown_again_keeps_what_was_entered(world):
    items = returns.items_for(world.submitted())
    code = items[0].code
    form = ReturnForm({f"reason_{code}": "missing", f"item_{code}": "x" * 301}, items=items)
    assert not form.is_valid()
    _, reason, words = form.rows()[0]
    assert 'value="missing" selected' in str(reason) and 'value="' + "x" * 301 + '"' in str(words)
    assert 'aria-invalid="true"' in str(words)


def test_the_hr_page_shows_a_reason_and_words_for_every_item(world):
    application = world.submitted()
    page = world.client_for(world.hr).get(reverse("applications:detail", args=[application.pk]))
    html = page.content.decode()
    for item in returns.items_for(application):
        assert f'name="reason_{item.code}"' in html and f'name="item_{item.code}"' in html
