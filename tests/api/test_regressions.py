"""Answers the API fuzzing (tests/api/test_fuzz.py) once found outside the schema, each pinned down."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from applications.models import Archive
from tests.committees.conftest import cw  # noqa: F401  (fixture)


def test_a_put_of_the_archive_identity_without_the_required_name_is_a_400(world):
    client = world.client_for(world.applicant)
    response = client.put(reverse("api-archive"), {"phone": "13800000000"}, content_type="application/json")
    assert response.status_code == 400 and "name" in response.json()["errors"]
    assert Archive.objects.get(user=world.applicant).phone == ""


def test_a_patch_of_the_archive_identity_changes_only_the_fields_sent(world):
    client = world.client_for(world.applicant)
    response = client.patch(reverse("api-archive"), {"phone": "13800000000"}, content_type="application/json")
    assert response.status_code == 200
    assert Archive.objects.get(user=world.applicant).phone == "13800000000"


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize("size", ["false", "0", "-3", "1.5", "²"])
def test_a_page_size_that_is_no_positive_whole_number_is_a_400(world, size):
    response = Client().get(reverse("api-plans"), {"page_size": size})
    assert response.status_code == 400 and "page_size" in response.json()["errors"]


@pytest.mark.parametrize("page", ["", "x", "1.0", "-1"])
def test_a_page_that_is_no_whole_number_is_a_400(world, page):
    response = world.client_for(world.applicant).get(reverse("api-applications"), {"page": page})
    assert response.status_code == 400 and "page" in response.json()["errors"]


def test_a_page_past_the_last_is_a_404(world):
    assert Client().get(reverse("api-plans"), {"page": "7"}).status_code == 404


def test_a_page_size_above_the_maximum_is_cut_to_it(world):
    response = world.client_for(world.applicant).get(reverse("api-applications"), {"page_size": "5000"})
    assert response.status_code == 200 and response.json()["count"] == 0


def test_the_lists_paginated_by_hand_document_their_page_parameters():
    paths = _schema()["paths"]
    for path in ("/api/v1/applications/", "/api/v1/publicity/"):
        names = {p["name"]: p["schema"] for p in paths[path]["get"]["parameters"]}
        assert names["page_size"]["minimum"] == 1 and names["page"]["minimum"] == 1


def test_an_unsupported_content_type_is_a_documented_415_in_the_error_shape(world):
    response = Client().post(reverse("api-token"), "x", content_type="text/plain")
    assert response.status_code == 415 and set(response.json()) == {"detail", "errors"}
    assert "415" in _schema()["paths"]["/api/v1/auth/token/"]["post"]["responses"]


def test_the_meeting_results_are_documented_as_the_status_with_the_results(cw):  # noqa: F811
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.voting([application])
    body = cw.w.client_for(cw.w.clerk).get(reverse("api-results", args=[meeting.pk])).json()
    assert body == {"status": "voting", "results": []}
    schema = _schema()
    ok = schema["paths"]["/api/v1/committee/meetings/{id}/results/"]["get"]["responses"]["200"]
    name = ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][name]["properties"]) == set(body)


def test_every_get_has_an_operation_id_of_its_own():
    ids = [op["operationId"] for item in _schema()["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids)) and not [i for i in ids if i[-1].isdigit()]


def test_an_error_inside_a_list_field_is_a_message_of_that_field(world):
    response = world.client_for(world.hr).post(
        reverse("api-publicity"),
        {"applications": ["g3e70682"], "title": "公示"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"applications": ["第1项：必须是有效的 UUID。"]}


def test_errors_of_nested_items_are_messages_of_their_field_that_say_where(world):
    application = world.submitted()
    response = world.client_for(world.hr).post(
        reverse("api-employer-return", args=[application.pk]),
        {
            "defects": [{"item": "degree", "reason": "missing"}, {"item": "x", "reason": "bogus"}],
            "items": {"²": 5},
        },
        content_type="application/json",
    )
    errors = response.json()["errors"]
    assert response.status_code == 400 and all(isinstance(m, str) for ms in errors.values() for m in ms)
    assert errors["defects"][0].startswith("第2项 reason：")


def test_a_choice_sent_empty_in_a_form_is_refused_not_taken_for_the_default(world):
    client = world.client_for(world.applicant)
    data = {"level": "other", "school": "某大学", "major": "机械", "graduation_date": "2000-01-01"}
    refused = client.post(reverse("api-educations"), {**data, "study_mode": ""})
    assert refused.status_code == 400 and "study_mode" in refused.json()["errors"]
    assert client.post(reverse("api-educations"), data).status_code == 201


def test_the_schema_is_generated_and_validated_without_a_warning(tmp_path):
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yaml"))
    assert "ScopeEnum" in (tmp_path / "schema.yaml").read_text()
