"""Saving an archive never tells whether an ID number belongs to someone registered, and never shows a
database constraint's name: the refusal reads the same however the number is taken."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications import services
from applications.models import Archive
from applications.models.archive import ID_NUMBER_REFUSED
from tests.factories import ArchiveFactory, resident_id

pytestmark = pytest.mark.django_db

REVEALING = (
    "archive_unique_identity",
    "constraint",
    "Constraint",
    "已被",
    "已注册",
    "已存在",
    "其他账号",
    "唯一",
)


@pytest.fixture
def taken(world):
    """Another person's archive holds the number; the applicant's archive holds their own."""
    ArchiveFactory(user=world.other_applicant, name="王五", id_number=resident_id(serial=7))
    mine = ArchiveFactory(user=world.applicant, name="李四", id_number=resident_id(serial=8))
    return resident_id(serial=7), mine


def _form_post(world, number):
    return world.client_for(world.applicant).post(
        reverse("applications:archive_identity"),
        {"name": "李四", "id_type": "resident", "id_number": number, "nationality": "中国"},
    )


def test_the_form_refuses_a_taken_number_without_saying_so(world, taken):
    number, mine = taken
    response = _form_post(world, number)
    text = response.content.decode()
    assert response.status_code == 400 and ID_NUMBER_REFUSED in text
    assert not [word for word in REVEALING if word in text]
    assert Archive.objects.get(pk=mine.pk).id_number == resident_id(serial=8)


def test_the_api_refuses_a_taken_number_without_saying_so(world, taken):
    number, mine = taken
    response = world.client_for(world.applicant).patch(
        reverse("api-archive"), {"id_type": "resident", "id_number": number}, content_type="application/json"
    )
    flat = str(response.json())
    assert response.status_code == 400 and ID_NUMBER_REFUSED in flat
    assert not [word for word in REVEALING if word in flat]
    assert Archive.objects.get(pk=mine.pk).id_number == resident_id(serial=8)


def test_the_service_refusal_on_a_race_reads_the_same(world, taken):
    """Past every check, the database refuses (two people saving at once): same words, field id_number."""
    number, mine = taken
    with pytest.raises(ValidationError) as refused:
        services.archive_update_identity(archive=mine, id_type="resident", id_number=number)
    assert refused.value.message_dict == {"id_number": [ID_NUMBER_REFUSED]}
    assert Archive.objects.get(pk=mine.pk).id_number == resident_id(serial=8)


def test_a_free_number_is_saved(world, taken):
    _, mine = taken
    assert _form_post(world, resident_id(serial=9)).status_code == 302
    assert Archive.objects.get(pk=mine.pk).id_number == resident_id(serial=9)


def test_the_same_number_typed_otherwise_is_refused_with_the_same_words(world, taken):
    """Uniqueness holds on the keyed hash of the normalised number: spaces or letter case change nothing."""
    number, mine = taken
    typed = f" {number[:6]} {number[6:14]} {number[14:].lower()} "
    response = _form_post(world, typed)
    text = response.content.decode()
    assert response.status_code == 400 and ID_NUMBER_REFUSED in text
    assert not [word for word in REVEALING if word in text]
    assert Archive.objects.get(pk=mine.pk).id_number == resident_id(serial=8)


def test_the_database_holds_the_number_sealed_and_hashed(world, taken):
    _, mine = taken
    row = Archive.objects.filter(pk=mine.pk).values("id_number_sealed", "id_number_digest").get()
    assert resident_id(serial=8).encode() not in bytes(row["id_number_sealed"])
    assert len(row["id_number_digest"]) == 64 and resident_id(serial=8) not in row["id_number_digest"]
