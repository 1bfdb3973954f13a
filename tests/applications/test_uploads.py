"""Evidence uploads: type by content, a size limit, private storage, served only to those who may see it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.models import Evidence
from tests.conftest import PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db


def _upload(client, application, name, content, code="degree"):
    return client.post(
        reverse("applications:evidence_upload", args=[application.pk]),
        {"material_code": code, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_a_renamed_executable_is_refused_by_its_content(world):
    application = world.draft()
    response = _upload(world.client_for(world.applicant), application, "scan.pdf", b"MZ\x90\x00 not a pdf")
    assert "只能上传PDF、JPEG或PNG文件" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_png_named_pdf_is_stored_as_png(world):
    application = world.draft()
    _upload(world.client_for(world.applicant), application, "photo.pdf", PNG_BYTES)
    assert Evidence.objects.get().content_type == "image/png"


def test_a_file_over_the_limit_is_refused(world, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    application = world.draft()
    response = _upload(world.client_for(world.applicant), application, "big.pdf", PDF_BYTES + b"0" * 2048)
    assert "超过" in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_is_stored_outside_static_and_public_directories(world):
    application = world.draft()
    _upload(world.client_for(world.applicant), application, "degree.pdf", PDF_BYTES)
    path = Path(Evidence.objects.get().file.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.BASE_DIR, "static").resolve())
    assert path.read_bytes() == PDF_BYTES


def test_evidence_is_served_to_the_owner_and_the_employer_only(world):
    application = world.ready_draft()
    evidence = Evidence.objects.get(application=application)
    url = reverse("applications:evidence", args=[evidence.pk])
    owner = world.client_for(world.applicant).get(url)
    assert owner.status_code == 200 and b"".join(owner.streaming_content) == PDF_BYTES
    assert owner["Cache-Control"] == "private, no-store"
    # Before submission even the employer's HR cannot see it.
    assert world.client_for(world.hr).get(url).status_code == 404
    services.application_submit(application=application, actor=world.applicant)
    assert world.client_for(world.hr).get(url).status_code == 200
    for outsider in (world.other_hr, world.other_applicant, world.other_clerk):
        assert world.client_for(outsider).get(url).status_code == 404


def test_materials_cannot_change_after_submission(world):
    application = world.ready_draft()
    services.application_submit(application=application, actor=world.applicant)
    response = _upload(world.client_for(world.applicant), application, "late.pdf", PDF_BYTES)
    assert "申报已提交，材料不能再修改" in response.content.decode()
    assert Evidence.objects.filter(application=application).count() == 1


def test_api_upload_names_the_field_on_error(world):
    application = world.draft()
    client = world.client_for(world.applicant)
    response = client.post(
        reverse("api-application-evidence", args=[application.pk]),
        {"material_code": "degree", "file": SimpleUploadedFile("x.pdf", b"plain text")},
    )
    assert response.status_code == 400
    assert "file" in response.json()["errors"]
