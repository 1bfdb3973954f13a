"""Paths reversed once per process are the paths reverse gives, under any script prefix."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse, set_script_prefix

from portal import links
from portal.menus import APPLICANT_MENU, MENUS


@pytest.mark.parametrize("name", ["applications:detail", "committees:qualification", "certificates:detail"])
def test_an_objects_path_is_what_reverse_gives(name):
    for _ in range(20):
        key = uuid.uuid4()
        assert links.object_path(name, key) == reverse(name, args=[key])
    placeholder = uuid.UUID("9182736d-4500-4000-8000-00009d18f0a1")
    assert links.object_path(name, placeholder) == reverse(name, args=[placeholder])


@pytest.mark.parametrize("pk", [1, 7, 918273645, 10**12])
def test_an_integer_keys_path_is_what_reverse_gives(pk):
    assert links.object_path("committees:meeting", pk) == reverse("committees:meeting", args=[pk])


def test_every_menu_path_is_what_reverse_gives():
    for item in [*APPLICANT_MENU, *(i for items in MENUS.values() for i in items)]:
        assert links.path(item.url_name) == reverse(item.url_name)


def test_a_script_prefix_changes_the_paths():
    try:
        set_script_prefix("/zhicheng/")
        assert links.path("applications:dashboard") == reverse("applications:dashboard")
        key = uuid.uuid4()
        assert links.object_path("applications:detail", key).startswith("/zhicheng/")
    finally:
        set_script_prefix("/")
    assert links.object_path("applications:detail", key) == reverse("applications:detail", args=[key])


def test_a_page_without_a_key_in_its_path_is_refused():
    with pytest.raises(Exception):  # noqa: B017 - reverse refuses the argument, or the split finds none
        links.object_path("applications:dashboard", uuid.uuid4())


@pytest.mark.django_db
def test_the_header_and_footer_link_where_reverse_points(client):
    html = client.get(reverse("plans")).content.decode()
    for name in ["home", "plans", "applications:public_notices", "committees:public_results"]:
        assert f'href="{reverse(name)}"' in html
    for name in ["certificates:verify", "login", "signup", "api-docs"]:
        assert f'href="{reverse(name)}"' in html
