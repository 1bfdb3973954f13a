"""What was submitted: the snapshot names its entries, the submitted set holds the files then attached,
and reviewers read only those (and the application's materials), never what the archive gained later."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.archive_json import archive_to_json
from applications.exceptions import InvalidTransition
from applications.models import Evidence
from tests.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def _entry_file(archive, entry, name="diploma.pdf"):
    return services.evidence_upload(
        archive=archive, entry=entry, upload=SimpleUploadedFile(name, PDF_BYTES, "application/pdf")
    )


def _get(world, user, evidence):
    return world.client_for(user).get(reverse("applications:evidence", args=[evidence.pk]))


def test_the_snapshot_names_each_entry_but_the_archive_json_does_not(world):
    application = world.submitted()
    education = application.archive.educations.get()
    assert application.snapshot["educations"][0]["id"] == education.pk
    assert "id" not in archive_to_json(application.archive)["educations"][0]


def test_the_submitted_set_holds_the_entry_files_and_the_materials(world):
    application = world.ready_draft()
    before = _entry_file(application.archive, application.archive.educations.get())
    application = services.application_submit(application=application, actor=world.applicant)
    material = application.evidence.get()
    assert set(application.submitted_evidence.all()) == {before, material}


def test_hr_downloads_a_file_submitted_with_the_application(world):
    application = world.ready_draft()
    before = _entry_file(application.archive, application.archive.educations.get())
    services.application_submit(application=application, actor=world.applicant)
    response = _get(world, world.hr, before)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES


def test_a_file_added_to_the_archive_after_submission_is_not_served_to_reviewers(world):
    application = world.submitted()
    after = _entry_file(application.archive, application.archive.educations.get(), "later.pdf")
    assert _get(world, world.hr, after).status_code == 404
    assert _get(world, world.applicant, after).status_code == 200  # the owner still reads their own


def test_a_submitted_file_cannot_be_deleted_while_it_is_reviewed(world):
    application = world.ready_draft()
    before = _entry_file(application.archive, application.archive.educations.get())
    services.application_submit(application=application, actor=world.applicant)
    with pytest.raises(InvalidTransition):
        services.evidence_delete(evidence=before)
    assert Evidence.objects.filter(pk=before.pk).exists()


def test_a_file_of_the_archive_never_submitted_can_still_be_deleted(world):
    application = world.submitted()
    after = _entry_file(application.archive, application.archive.educations.get(), "later.pdf")
    services.evidence_delete(evidence=after)
    assert not Evidence.objects.filter(pk=after.pk).exists()
