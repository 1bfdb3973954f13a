"""Answers the API fuzzing (tests/api/test_fuzz.py) once found outside the schema, each pinned down."""

from __future__ import annotations

from django.urls import reverse

from applications.models import Archive


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
