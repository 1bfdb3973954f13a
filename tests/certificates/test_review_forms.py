"""The 评审表 is rendered once by a worker after the qualification check and stored; pages serve the
stored file or say it is being generated, and never render it."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from applications import audit
from applications.models import ReviewForm
from certificates import pdf, tasks
from committees import services as committee_services
from portal.sweeps import LABELS
from portal.validators import mask_id_number

pytestmark = pytest.mark.django_db


def _qualified(world, clock):
    application = world.submitted()
    world.through_employer_publicity([application], clock)
    audit.employer_recommend(application=application, actor=world.hr)
    audit.bureau_recommend(application=application, actor=world.officer)
    committee_services.qualification_pass(application=application, actor=world.clerk)
    application.refresh_from_db()
    return application


def _form_url(application):
    return reverse("certificates:review_form", args=[application.pk])


def test_the_sweep_renders_the_form_of_a_qualified_application_once(world, frozen_clock):
    submitted_only = world.submitted(world.other_applicant, serial=460)
    application = _qualified(world, frozen_clock)
    assert tasks.sweep_review_forms() == 1
    form = ReviewForm.objects.get()
    assert form.application_id == application.pk and form.pdf.read().startswith(b"%PDF")
    assert not ReviewForm.objects.filter(application=submitted_only).exists()
    assert tasks.sweep_review_forms() == 0  # nothing left to do


def test_the_task_is_safe_to_run_twice(world, frozen_clock):
    application = _qualified(world, frozen_clock)
    tasks.render_review_form(str(application.pk))
    first = ReviewForm.objects.get().rendered_at
    tasks.render_review_form(str(application.pk))
    assert ReviewForm.objects.get().rendered_at == first


def test_the_page_serves_the_stored_form_and_never_renders(world, frozen_clock, monkeypatch):
    application = _qualified(world, frozen_clock)
    client = world.client_for(world.hr)

    def refuse(*_args, **_kwargs):
        raise AssertionError("a request rendered the review form")

    pending = client.get(_form_url(application))
    assert "生成中" in pending.content.decode()
    tasks.render_review_form(str(application.pk))
    monkeypatch.setattr(pdf, "render_review_form", refuse)
    response = client.get(_form_url(application))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_dossier_says_generating_until_the_form_is_ready(world, frozen_clock):
    application = _qualified(world, frozen_clock)
    url = reverse("applications:dossier", args=[application.pk])
    client = world.client_for(world.clerk)
    assert "评审表（生成中）" in client.get(url).content.decode()
    tasks.sweep_review_forms()
    page = client.get(url).content.decode()
    assert "生成中" not in page and _form_url(application) in page


def test_the_sweep_is_scheduled_and_named():
    tasks_scheduled = {spec["task"] for spec in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "certificates.tasks.sweep_review_forms" in tasks_scheduled
    assert LABELS["certificates.tasks.sweep_review_forms"] == "评审表生成"


def test_forms_stored_before_sealing_are_rendered_again_with_the_number_masked(world, frozen_clock):
    application = _qualified(world, frozen_clock)
    tasks.sweep_review_forms()
    old = ReviewForm.objects.get()
    number = application.archive.id_number
    name = old.pdf.name
    storage = old.pdf.storage
    storage.delete(name)
    storage.save(name, ContentFile(b"%PDF-1.4 old form printing " + number.encode()))
    migration = importlib.import_module("applications.migrations.0025_rerender_review_forms")
    migration.drop_stored_forms(django_apps, None)
    assert not storage.exists(name) and not ReviewForm.objects.exists()
    assert tasks.sweep_review_forms() == 1
    text = "".join(page.extract_text() for page in PdfReader(ReviewForm.objects.get().pdf.open("rb")).pages)
    assert number not in text
    assert mask_id_number(number) in text.replace(" ", "")
