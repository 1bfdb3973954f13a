"""Migrations applications 0020_seal_id_numbers and rules 0004_seal_integrity_id_numbers: rows written in
clear before them come out sealed with their keyed hash, snapshots masked, the history still verifies;
and back again."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from applications import audit
from applications.archive_json import snapshot_id_number
from applications.models import Application, Archive, ReturnBasis
from portal.personal_data import id_digest
from rules.services.integrity import integrity_ban_for, integrity_record_create
from tests.factories import resident_id
from tests.migrating import migrate_to

BEFORE = [("applications", "0019_entrusted_office_permission"), ("rules", "0003_clock_stamps")]
BANNED = resident_id(dt.date(1985, 2, 28), serial=303)


@pytest.mark.django_db(transaction=True)
def test_clear_rows_are_sealed_and_opened_back(world):
    application = world.submitted()
    audit.employer_return(application=application, actor=world.hr, note="请补充学历证明。")
    integrity_record_create(
        id_type="resident",
        id_number=BANNED,
        name="赵六",
        review_year=2025,
        level=3,
        finding="提供虚假学历证明。",
        decision_date=dt.date(2026, 1, 5),
    )
    number = application.archive.id_number
    try:
        old = migrate_to(BEFORE)
        # Back: every number in clear again, as the former code wrote it.
        archive = old.get_model("applications", "Archive").objects.get(pk=application.archive_id)
        assert archive.id_number == number
        for model in ("Application", "ReturnBasis"):
            identity = old.get_model("applications", model).objects.get().snapshot["identity"]
            assert identity["id_number"] == number and "id_number_sealed" not in identity
        assert old.get_model("rules", "IntegrityRecord").objects.get().id_number == BANNED
    finally:
        migrate_to()

    archive = Archive.objects.get(pk=application.archive_id)
    assert archive.id_number == number and archive.id_number_digest == id_digest(number)
    application = Application.objects.get(pk=application.pk)
    assert application.snapshot["identity"]["id_number"].count("*") == 11
    assert snapshot_id_number(application) == number
    assert ReturnBasis.objects.get().snapshot["identity"]["id_number_digest"] == id_digest(number)
    assert integrity_ban_for(id_type="resident", id_number=BANNED, year=2026, level=3) is not None
    call_command("verify_audit", stdout=io.StringIO())
