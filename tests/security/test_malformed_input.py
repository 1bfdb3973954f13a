"""Malformed input is refused with a 400 that names the problem: JSON nested or sized beyond reason, and
control characters in query parameters, form fields and JSON strings (a NUL byte breaks PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from applications.models import Archive, Objection
from committees.models import Expert
from tests.factories import ArchiveFactory, resident_id

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000


def _objection(world):
    application = world.submitted()
    notice = world.publicised([application])
    return notice, notice.entries.get()


def test_deeply_nested_json_to_the_public_objection_api_is_a_400(world):
    notice, _ = _objection(world)
    response = Client().post(
        reverse("api-objection-create", args=[notice.pk]), DEEP, content_type="application/json"
    )
    assert response.status_code == 400
    assert "嵌套" in response.json()["detail"]
    assert not Objection.objects.exists()


def test_deeply_nested_json_inside_a_field_is_a_400_for_a_signed_in_user(world):
    body = '{"name": ' + "[" * 5000 + "]" * 5000 + "}"
    response = world.client_for(world.applicant).patch(
        reverse("api-archive"), body, content_type="application/json"
    )
    assert response.status_code == 400 and "嵌套" in response.json()["detail"]


def test_a_json_body_over_the_size_limit_is_a_400(world, settings):
    settings.API_JSON_MAX_BYTES = 4096
    notice, entry = _objection(world)
    body = json.dumps({"entry": entry.pk, "name": "王某", "contact": "13800000000", "reason": "很" * 5000})
    response = Client().post(
        reverse("api-objection-create", args=[notice.pk]), body, content_type="application/json"
    )
    assert response.status_code == 400 and "上限" in response.json()["detail"]
    assert not Objection.objects.exists()


def test_a_json_string_with_a_nul_byte_is_a_400_naming_the_field(world):
    notice, entry = _objection(world)
    response = Client().post(
        reverse("api-objection-create", args=[notice.pk]),
        {
            "entry": entry.pk,
            "name": "王\x00某",
            "contact": "13800000000",
            "reason": "所报项目并非本人主持，请核实。",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "控制字符" in response.json()["errors"]["name"][0]
    assert not Objection.objects.exists()


def test_a_nested_json_string_with_a_control_character_is_refused_by_its_path(world):
    response = world.client_for(world.applicant).patch(
        reverse("api-archive"), {"name": "张三", "x": [{"y": "a\x1bb"}]}, content_type="application/json"
    )
    assert response.status_code == 400 and "x.0.y" in response.json()["errors"]


def test_tabs_and_line_breaks_are_accepted_in_json(world):
    ArchiveFactory(user=world.applicant, id_number=resident_id(serial=7))
    response = world.client_for(world.applicant).patch(
        reverse("api-archive"), {"current_employer_name": "某\t公司\r\n"}, content_type="application/json"
    )
    assert response.status_code == 200


def test_a_nul_byte_in_the_expert_search_is_a_400_page(world):
    Expert.objects.create(
        committee=world.committee,
        name="张专家",
        specialty=world.specialty,
        title=world.quals[3],
        region=world.city,
        active_from="2026-01-01",
    )
    client = world.client_for(world.clerk)
    url = reverse("committees:experts")
    assert client.get(url, {"committee": world.committee.pk, "q": "张"}).status_code == 200
    response = client.get(url, {"committee": world.committee.pk, "q": "张\x00"})
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()


def test_a_control_character_in_an_api_query_parameter_is_a_json_400(world):
    response = world.client_for(world.applicant).get(reverse("api-archive"), {"format": "x\x00"})
    assert response.status_code == 400 and "format" in response.json()["errors"]


def test_a_control_character_in_an_api_form_post_is_a_400(world):
    notice, entry = _objection(world)
    response = Client().post(
        reverse("api-objection-create", args=[notice.pk]),
        {
            "entry": entry.pk,
            "name": "王某",
            "contact": "138\x0000000000",
            "reason": "所报项目并非本人主持，请核实。",
        },
    )
    assert response.status_code == 400 and "contact" in response.json()["errors"]
    assert not Objection.objects.exists()


@pytest.mark.parametrize("bad", ["李\x00四", "李\x07四", "李\x85四"])
def test_a_control_character_in_a_form_field_is_shown_on_the_form_and_nothing_is_saved(world, bad):
    archive = ArchiveFactory(user=world.applicant, name="李四", id_number=resident_id(serial=7))
    response = world.client_for(world.applicant).post(
        reverse("applications:archive_identity"),
        {"name": bad, "id_type": "resident", "id_number": archive.id_number, "nationality": "中国"},
    )
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()
    assert Archive.objects.get(pk=archive.pk).name == "李四"


def test_a_multiline_text_with_tabs_is_accepted_by_a_form(world):
    archive = ArchiveFactory(user=world.applicant, name="李四", id_number=resident_id(serial=7))
    response = world.client_for(world.applicant).post(
        reverse("applications:archive_identity"),
        {"name": "李四", "id_type": "resident", "id_number": archive.id_number, "nationality": "中\t国"},
    )
    assert response.status_code == 302


def test_a_body_declared_larger_than_the_limit_is_refused_before_it_is_read(world, settings):
    settings.REQUEST_MAX_BYTES = 1024 * 1024
    client = world.client_for(world.applicant)
    page = client.post(reverse("applications:archive_identity"), {"name": "x"}, CONTENT_LENGTH="2000000000")
    assert page.status_code == 400 and "上限" in page.content.decode()
    api = client.patch(
        reverse("api-archive"), "{}", content_type="application/json", CONTENT_LENGTH="2000000"
    )
    assert api.status_code == 400 and "上限" in api.json()["detail"]
