"""Titles in the archive: a name and a level that disagree are refused; the title the portal records
on certification is the portal's to change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications import services
from applications.exceptions import DomainError
from applications.models import TitleHeld
from portal.models import TitleLevel
from tests.factories import ArchiveFactory


def _title(world, **fields) -> TitleHeld:
    params = dict(obtained_date=dt.date(2018, 12, 1), method="review")
    params.update(fields)
    return TitleHeld(**params)


def test_a_catalogue_title_at_another_level_is_a_field_error(world):
    archive = ArchiveFactory(user=world.applicant)
    title = _title(world, qualification=world.quals[TitleLevel.INTERMEDIATE], level=TitleLevel.ASSISTANT)
    with pytest.raises(ValidationError) as exc:
        services.archive_entry_save(archive=archive, entry=title)
    assert exc.value.message_dict["level"] == ["“工程师”属于中级职称，与所填层级“助理级”不一致。"]
    assert not TitleHeld.objects.filter(archive=archive).exists()


def test_a_typed_name_known_to_the_catalogue_is_checked_against_its_level(world):
    archive = ArchiveFactory(user=world.applicant)
    response = world.client_for(world.applicant).post(
        reverse("applications:entry_add", kwargs={"kind": "titles"}),
        {
            "titles-name": "工程师",
            "titles-level": TitleLevel.ASSISTANT,
            "titles-obtained_date": "2018-12-01",
            "titles-method": "review",
        },
    )
    assert response.status_code == 400
    assert "“工程师”属于中级职称" in response.content.decode()
    assert not TitleHeld.objects.filter(archive=archive).exists()


def test_a_matching_level_and_an_unknown_name_are_saved(world):
    archive = ArchiveFactory(user=world.applicant)
    services.archive_entry_save(
        archive=archive, entry=_title(world, name="工程师", level=TitleLevel.INTERMEDIATE)
    )
    services.archive_entry_save(
        archive=archive, entry=_title(world, name="经济师（外省）", level=TitleLevel.INTERMEDIATE)
    )
    assert TitleHeld.objects.filter(archive=archive).count() == 2


def _certified(world) -> TitleHeld:
    archive = ArchiveFactory(user=world.applicant)
    qualification = world.quals[TitleLevel.INTERMEDIATE]
    entry = _title(world, qualification=qualification, level=qualification.level, certificate_no="ZC2026001")
    return services.archive_title_record(archive=archive, entry=entry)


def test_the_applicant_cannot_edit_the_title_the_portal_recorded(world):
    title = _certified(world)
    title.issuer = "别的机构"
    with pytest.raises(DomainError, match="本平台发证时记入档案"):
        services.archive_entry_save(archive=title.archive, entry=title)
    title.refresh_from_db()
    assert title.issuer == "" and title.certified


def test_the_applicant_cannot_delete_the_title_the_portal_recorded(world):
    title = _certified(world)
    response = world.client_for(world.applicant).post(
        reverse("applications:entry_delete", kwargs={"kind": "titles", "pk": title.pk}), follow=True
    )
    assert "本平台发证时记入档案" in response.content.decode()
    assert TitleHeld.objects.filter(pk=title.pk).exists()


def test_the_api_refuses_to_delete_the_title_the_portal_recorded(world):
    title = _certified(world)
    client = world.client_for(world.applicant)
    response = client.delete(reverse("api-titles-detail", kwargs={"pk": title.pk}))
    assert response.status_code == 400
    assert TitleHeld.objects.filter(pk=title.pk).exists()


def test_the_archive_page_offers_no_edit_or_delete_for_the_recorded_title(world):
    title = _certified(world)
    own = services.archive_entry_save(
        archive=title.archive, entry=_title(world, name="助理工程师", level=TitleLevel.ASSISTANT)
    )
    text = world.client_for(world.applicant).get(reverse("applications:archive")).content.decode()
    edit = reverse("applications:entry_edit", kwargs={"kind": "titles", "pk": title.pk})
    delete = reverse("applications:entry_delete", kwargs={"kind": "titles", "pk": title.pk})
    assert f'"{edit}"' not in text and f'"{delete}"' not in text
    assert reverse("applications:entry_edit", kwargs={"kind": "titles", "pk": own.pk}) in text
