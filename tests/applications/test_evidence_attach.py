"""A file uploaded once to the archive is put on the application's checklist without uploading it again;
only the applicant's own archive files, only while the application can be edited."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.exceptions import DomainError, InvalidTransition
from applications.models import Evidence

from ..conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def _archive_file(world, user=None, name="毕业证书.pdf") -> Evidence:
    user = user or world.applicant
    archive = services.archive_get_or_create(user=user)
    return services.evidence_upload(
        archive=archive, upload=SimpleUploadedFile(name, PDF_BYTES, "application/pdf")
    )


def _attach(world, application, source, code="degree", user=None):
    return world.client_for(user or world.applicant).post(
        reverse("applications:evidence_attach", args=[application.pk]),
        {"source": str(source.pk), "material_code": code},
        follow=True,
    )


def test_the_applicant_puts_an_archive_file_on_a_checklist_item_from_the_page(world):
    application = world.draft()
    source = _archive_file(world)
    page = world.client_for(world.applicant).get(reverse("applications:detail", args=[application.pk]))
    assert "从档案添加" in page.content.decode() and "毕业证书.pdf" in page.content.decode()
    response = _attach(world, application, source)
    assert "已从档案中添加材料" in response.content.decode()
    attached = Evidence.objects.get(application=application, material_code="degree")
    assert attached.file.name == source.file.name and attached.sha256 == source.sha256
    assert attached.pk != source.pk
    # Twice is once.
    _attach(world, application, source)
    assert Evidence.objects.filter(application=application, material_code="degree").count() == 1
    # The attached file downloads with the same content.
    body = b"".join(
        world.client_for(world.applicant).get(reverse("applications:evidence", args=[attached.pk]))
    )
    assert body == PDF_BYTES


def test_removing_the_attachment_keeps_the_archive_file_and_the_other_way_round(world):
    application = world.draft()
    source = _archive_file(world)
    attached = services.evidence_attach(application=application, source=source, material_code="degree")
    services.evidence_delete(evidence=attached)
    source.refresh_from_db()
    assert source.file.storage.exists(source.file.name)
    attached = services.evidence_attach(application=application, source=source, material_code="degree")
    services.evidence_delete(evidence=source)
    attached.refresh_from_db()
    assert attached.file.storage.exists(attached.file.name)
    name, storage = attached.file.name, attached.file.storage
    services.evidence_delete(evidence=attached)
    assert not storage.exists(name)


def test_another_persons_file_cannot_be_attached(world):
    application = world.draft()
    foreign = _archive_file(world, user=world.hr, name="他人证书.pdf")
    response = _attach(world, application, foreign)
    assert response.status_code == 200 and "请选择本人档案中的材料" in response.content.decode()
    assert not Evidence.objects.filter(application=application, material_code="degree").exists()
    with pytest.raises(DomainError):
        services.evidence_attach(application=application, source=foreign, material_code="degree")


def test_others_cannot_attach_to_the_application(world):
    application = world.draft()
    source = _archive_file(world)
    assert _attach(world, application, source, user=world.hr).status_code == 404


def test_an_item_not_on_the_checklist_is_refused_with_a_message(world):
    application = world.draft()
    source = _archive_file(world)
    response = _attach(world, application, source, code="no_such_item")
    assert "不在本计划的材料清单中" in response.content.decode()


def test_a_submitted_application_takes_no_file_from_the_archive(world):
    submitted = world.submitted()
    source = _archive_file(world)
    response = _attach(world, submitted, source)
    assert "申报已提交" in response.content.decode()
    with pytest.raises(InvalidTransition):
        services.evidence_attach(application=submitted, source=source, material_code="degree")
