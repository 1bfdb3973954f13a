"""The dossier page: who reads it, what it shows (the archive as submitted with each entry's files), and
that its queries do not grow with the number of entries and files."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import audit, services
from applications.models import Achievement
from tests.conftest import PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db


def _url(application):
    return reverse("applications:dossier", args=[application.pk])


def _file(archive, entry, name="diploma.pdf", content=PDF_BYTES):
    return services.evidence_upload(archive=archive, entry=entry, upload=SimpleUploadedFile(name, content))


def _with_entries(world, n: int, user=None, serial=101):
    """A submitted application whose archive has `n` achievements, each with one file."""
    application = world.ready_draft(user or world.applicant, serial=serial)
    for i in range(n):
        entry = Achievement.objects.create(
            archive=application.archive, kind="paper", title=f"论文{i}", date=dt.date(2020, 1, 1)
        )
        _file(application.archive, entry, f"paper{i}.pdf")
    return services.application_submit(application=application, actor=application.applicant)


def test_hr_reads_the_archive_as_submitted_with_each_entrys_file_beside_it(world):
    application = world.ready_draft()
    _file(application.archive, application.archive.educations.get(), "diploma.png", PNG_BYTES)
    services.application_submit(application=application, actor=world.applicant)
    page = world.client_for(world.hr).get(_url(application)).content.decode()
    education = page[page.index('id="educations"') : page.index('id="work_periods"')]
    assert "浙江大学" in education and "diploma.png" in education and "<img" in education
    materials = page[page.index('id="materials"') :]
    assert "学历学位证书" in materials and "degree.pdf" in materials and "<iframe" in materials


def test_files_added_after_submission_are_not_in_the_dossier(world):
    application = world.submitted()
    _file(application.archive, application.archive.educations.get(), "later.pdf")
    assert "later.pdf" not in world.client_for(world.hr).get(_url(application)).content.decode()


def test_the_file_opens_inline_with_its_type_and_may_be_framed_by_the_portal(world):
    application = world.submitted()
    response = world.client_for(world.hr).get(
        reverse("applications:evidence", args=[application.evidence.get().pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_dossier_shows_the_size_and_upload_time_of_each_file(world):
    application = world.submitted()
    page = world.client_for(world.hr).get(_url(application)).content.decode()
    assert "上传于" in page and "字节" in page


def test_outsiders_get_404_and_those_who_only_see_the_application_403(world):
    application = world.submitted()
    statuses = {
        name: world.client_for(user).get(_url(application)).status_code
        for name, user in [
            ("other_hr", world.other_hr),
            ("officer", world.officer),  # the bureau has it only once the employer recommends it
            ("clerk", world.clerk),  # the committee only once the bureau recommends it
            ("applicant", world.applicant),
            ("auditor", world.auditor),
        ]
    }
    assert statuses == {"other_hr": 404, "officer": 404, "clerk": 404, "applicant": 403, "auditor": 403}
    assert Client().get(_url(application)).status_code == 302
    assert world.client_for(world.hr).post(_url(application)).status_code == 405


def test_the_bureau_and_the_committee_read_it_in_their_stages(world, frozen_clock):
    application = world.submitted()
    world.through_employer_publicity([application], frozen_clock)
    audit.employer_recommend(application=application, actor=world.hr)
    assert world.client_for(world.officer).get(_url(application)).status_code == 200
    assert world.client_for(world.clerk).get(_url(application)).status_code == 404
    audit.bureau_recommend(application=application, actor=world.officer)
    assert world.client_for(world.clerk).get(_url(application)).status_code == 200
    assert world.client_for(world.other_clerk).get(_url(application)).status_code == 404


def test_the_id_number_is_shown_in_full_to_hr(world):
    application = world.submitted()
    number = application.archive.id_number
    assert application.snapshot["identity"]["id_number"] != number  # the snapshot keeps it masked
    assert number in world.client_for(world.hr).get(_url(application)).content.decode()


def test_queries_do_not_grow_with_entries_and_files(world):
    few = _with_entries(world, 2)
    many = _with_entries(world, 20, user=world.other_applicant, serial=102)
    assert many.submitted_evidence.count() == 21
    counts = []
    for application in (few, many):
        client = world.client_for(world.hr)
        client.get(_url(application))  # warm the per-process caches (content types, calendar)
        reset_queries()  # each request empties the log; start the count from an empty one
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(application)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] > 0


SHARED = "与其他申报人提交的文件内容相同"


def test_the_same_file_submitted_by_two_applicants_is_flagged_in_both_dossiers(world):
    # Both checklists carry the same diploma PDF (the shared fixture's bytes).
    first = world.submitted()
    second = world.submitted(world.other_applicant, serial=202)
    assert SHARED in world.client_for(world.hr).get(_url(first)).content.decode()
    assert SHARED in world.client_for(world.hr).get(_url(second)).content.decode()


def test_a_file_only_this_applicant_submitted_is_not_flagged_nor_one_another_never_submitted(world):
    application = world.ready_draft()
    unique = PNG_BYTES + b"unique"
    _file(application.archive, application.archive.educations.get(), "diploma.png", unique)
    services.application_submit(application=application, actor=world.applicant)
    other = world.ready_draft(world.other_applicant, serial=202)
    _file(other.archive, other.archive.educations.get(), "copy.png", unique)  # in a draft: never submitted
    page = world.client_for(world.hr).get(_url(application)).content.decode()
    figure = page[page.index("diploma.png") : page.index("diploma.png") + 600]
    assert SHARED not in figure
