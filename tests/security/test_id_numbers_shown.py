"""Who sees a document number in full (docs/privacy.md): the applicant on their own archive, and the
parties who check identity on the dossier; every other page, export, API answer and admin page of every
role shows it masked or not at all."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from applications.exports import XLSX
from applications.models import PublicityEntry
from portal.validators import mask_id_number
from tests import factories

pytestmark = pytest.mark.django_db

# (persona, page) pairs allowed the full number; every other pair must not show it.
ALLOWED = {
    ("applicant", "archive"),
    ("applicant", "api-archive"),
    ("applicant", "api-archive-json"),
    ("hr", "dossier"),
}


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith(XLSX):
        book = load_workbook(io.BytesIO(content), read_only=True)
        return " ".join(str(c) for s in book.worksheets for row in s.iter_rows(values_only=True) for c in row)
    return content.decode("utf-8", errors="ignore")


@pytest.fixture
def seen(world):
    application = world.submitted()
    notice = world.publicised([application])
    root = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    archive = application.archive
    pages = {
        "archive": reverse("applications:archive"),
        "api-archive": reverse("api-archive"),
        "api-archive-json": reverse("api-archive-json"),
        "detail": reverse("applications:detail", args=[application.pk]),
        "api-application": reverse("api-application", args=[application.pk]),
        "dossier": reverse("applications:dossier", args=[application.pk]),
        "hr-export": reverse("applications:audit_export") + "?role=hr&state=employer_publicity",
        "notice": reverse("applications:audit_notice", args=[notice.pk]),
        "notice-export": reverse("applications:audit_notice_export", args=[notice.pk]),
        "public-notice": reverse("applications:public_notice", args=[notice.pk]),
        "api-publicity": reverse("api-publicity-detail", args=[notice.pk]),
        "admin-archives": reverse("admin:applications_archive_changelist"),
        "admin-archive": reverse("admin:applications_archive_change", args=[archive.pk]),
        "admin-application": reverse("admin:applications_application_change", args=[application.pk]),
    }
    personas = {
        "applicant": world.applicant,
        "other_applicant": world.other_applicant,
        "hr": world.hr,
        "officer": world.officer,
        "clerk": world.clerk,
        "auditor": world.auditor_of(),
        "root": root,
        "anonymous": None,
    }
    return archive.id_number, pages, personas


def test_only_the_allowed_readers_see_the_full_number(world, seen):
    number, pages, personas = seen
    shown_full, masked_seen = set(), set()
    for who, user in personas.items():
        client = world.client_for(user) if user is not None else Client()
        for page, url in pages.items():
            response = client.get(url)
            text = _text(response) if response.status_code == 200 else ""
            if number in text or number.lower() in text:
                shown_full.add((who, page))
            if mask_id_number(number) in text:
                masked_seen.add((who, page))
    assert shown_full == ALLOWED
    # The masked form is what the others get where the page shows the person at all.
    assert {
        ("other_applicant", "api-publicity"),
        ("hr", "notice-export"),
        ("root", "admin-archives"),
        ("root", "admin-archive"),
    } <= masked_seen


def test_the_publicity_entry_holds_the_masked_number(world, seen):
    number, _, _ = seen
    entry = PublicityEntry.objects.get()
    assert entry.public_fields["id_number"] == mask_id_number(number)
