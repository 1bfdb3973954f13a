"""ID numbers at rest (docs/privacy.md): whoever reads the database alone finds no number in clear in any
table, cannot move a sealed number to another row, and cannot find a person by hashing candidate numbers."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from applications import audit
from applications.archive_json import snapshot_id_number
from applications.models import Application, Archive, ReturnBasis
from portal import keyring
from portal.personal_data import id_digest
from portal.validators import mask_id_number, resident_id_check_char
from rules.models import IntegrityRecord
from rules.services.integrity import integrity_ban_for, integrity_record_create
from tests.factories import ArchiveFactory, resident_id

pytestmark = pytest.mark.django_db


def _every_cell():
    """(table, value) for every cell of every table, read with plain SQL as a database reader would."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    yield table, value


def _holding(numbers: set[str]) -> list[tuple[str, str]]:
    found = []
    needles = {n.upper() for n in numbers} | {n.lower() for n in numbers}
    for table, value in _every_cell():
        if isinstance(value, bytes | bytearray | memoryview):
            text = bytes(value).decode("latin-1")
        else:
            text = str(value)
        found += [(table, n) for n in needles if n in text]
    return found


@pytest.fixture
def held(world):
    """An applicant who submitted and was returned once (snapshot, return basis, history), another
    archive, and an integrity record of a third person."""
    application = world.submitted()
    audit.employer_return(application=application, actor=world.hr, note="请补充学历证明。")
    other = ArchiveFactory(user=world.other_applicant, name="王五", id_number=resident_id(serial=202))
    banned = resident_id(dt.date(1985, 2, 28), serial=303)
    integrity_record_create(
        id_type="resident",
        id_number=banned,
        name="赵六",
        review_year=2025,
        level=3,
        finding="提供虚假学历证明。",
        decision_date=dt.date(2026, 1, 5),
    )
    application.refresh_from_db()
    return application, other, banned


def test_no_table_holds_an_id_number_in_clear(held):
    application, other, banned = held
    numbers = {application.archive.id_number, other.id_number, banned}
    assert all(len(n) == 18 for n in numbers)
    assert ReturnBasis.objects.filter(application=application).exists()
    assert _holding(numbers) == []


def test_the_scan_finds_a_number_left_in_clear(held):
    """The scan above can fail: a number written into a snapshot by SQL is found."""
    application, _, _ = held
    number = application.archive.id_number
    snapshot = application.snapshot
    snapshot["identity"]["note"] = number
    Application.objects.filter(pk=application.pk).update(snapshot=snapshot)
    assert ("applications_application", number) in _holding({number})


def test_the_snapshot_keeps_the_number_masked_and_the_history_still_verifies(held):
    application, _, _ = held
    identity = application.snapshot["identity"]
    assert identity["id_number"] == mask_id_number(application.archive.id_number)
    assert snapshot_id_number(application) == application.archive.id_number
    call_command("verify_audit", stdout=io.StringIO())  # a broken chain raises CommandError


def test_an_archive_number_copied_to_another_archive_does_not_open(held):
    application, other, _ = held
    mine = application.archive
    Archive.objects.filter(pk=other.pk).update(id_number_sealed=mine.id_number_sealed)
    with pytest.raises(keyring.SealBroken):
        Archive.objects.get(pk=other.pk).id_number  # noqa: B018
    assert Archive.objects.get(pk=mine.pk).id_number == resident_id(serial=101)


def test_a_snapshot_number_copied_to_another_application_does_not_open(held, world):
    application, _, _ = held
    second = world.submitted(world.other_applicant, serial=202)
    snapshot = second.snapshot
    snapshot["identity"]["id_number_sealed"] = application.snapshot["identity"]["id_number_sealed"]
    Application.objects.filter(pk=second.pk).update(snapshot=snapshot)
    with pytest.raises(keyring.SealBroken):
        snapshot_id_number(Application.objects.get(pk=second.pk))


def test_an_integrity_number_moved_to_another_person_does_not_open(held):
    _, other, banned = held
    record = IntegrityRecord.objects.get()
    IntegrityRecord.objects.filter(pk=record.pk).update(id_number_digest=other.id_number_digest)
    with pytest.raises(keyring.SealBroken):
        IntegrityRecord.objects.get(pk=record.pk).id_number  # noqa: B018


def _candidates(birth: dt.date, district: str = "330802") -> list[str]:
    """Every valid resident number of one district and birth date: 1,000 numbers."""
    first = [f"{district}{birth:%Y%m%d}{serial:03d}" for serial in range(1000)]
    return [f + resident_id_check_char(f) for f in first]


def _unkeyed(number: str) -> set[str]:
    forms = {number, number.lower(), f"resident:{number}", f"resident{number}"}
    hashes = set()
    for text in forms:
        data = text.encode()
        hashes |= {
            hashlib.sha256(data).hexdigest(),
            hashlib.sha1(data).hexdigest(),
            hashlib.md5(data).hexdigest(),
        }
        hashes |= {hashlib.sha512(data).hexdigest()[:64], hmac.new(b"", data, hashlib.sha256).hexdigest()}
    return hashes


def test_the_keyed_hash_cannot_be_matched_by_hashing_candidates_without_the_key(held, settings):
    application, _, _ = held
    stored = Archive.objects.values_list("id_number_digest", flat=True).get(pk=application.archive_id)
    candidates = _candidates(dt.date(1990, 5, 17))
    assert application.archive.id_number in candidates
    unkeyed = set().union(*(_unkeyed(c) for c in candidates))
    assert stored not in unkeyed
    # Another secret (a copy of the database without the server's) derives another key: no match either.
    with override_settings(SECRET_KEY="x" * 50, PORTAL_INTEGRITY_SECRET="another secret"):
        assert stored not in {id_digest(c) for c in candidates}
    # With the portal's own key the same search finds it: the candidates were the right ones.
    assert [c for c in candidates if id_digest(c) == stored] == [application.archive.id_number]


def test_lookups_go_through_the_keyed_hash(held):
    _, _, banned = held
    assert integrity_ban_for(id_type="resident", id_number=f" {banned.lower()} ", year=2026, level=3)
    assert (
        integrity_ban_for(id_type="resident", id_number=resident_id(serial=404), year=2026, level=3) is None
    )
