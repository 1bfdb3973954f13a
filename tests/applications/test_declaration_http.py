"""The applicant's declaration end to end through the pages, as a browser without JavaScript would."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from applications.models import Application, ApplicationEvent
from applications.states import State
from tests.conftest import PDF_BYTES
from tests.factories import resident_id

pytestmark = pytest.mark.django_db


def _post_ok(client, url, data, **kwargs):
    response = client.post(url, data, **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def _sign_up_and_fill(client: Client, world) -> None:
    _post_ok(
        client,
        reverse("signup"),
        {
            "username": "zhangsan",
            "full_name": "张三",
            "email": "zhangsan@example.cn",
            "password1": "Qz-2026-secret",
            "password2": "Qz-2026-secret",
        },
    )
    _post_ok(
        client,
        reverse("applications:archive_identity"),
        {
            "name": "张三",
            "gender": "male",
            "id_type": "resident",
            "id_number": resident_id(dt.date(1988, 3, 9), 456),
            "nationality": "中国",
            "phone": "13800000000",
            "email": "zhangsan@example.cn",
            "current_employer": world.employer.pk,
        },
    )
    _post_ok(
        client,
        reverse("applications:entry_add", args=["educations"]),
        {
            "educations-level": "bachelor",
            "educations-school": "浙江工业大学",
            "educations-major": "机械设计制造及其自动化",
            "educations-graduation_date": "2010-06-30",
            "educations-study_mode": "full_time",
            "educations-origin": "domestic",
        },
    )
    _post_ok(
        client,
        reverse("applications:entry_add", args=["work_periods"]),
        {
            "work_periods-employer_name": world.employer.name,
            "work_periods-start": "2010-07-01",
            "work_periods-professional": "on",
        },
    )


def test_applicant_signs_up_fills_archive_uploads_and_submits(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    client = Client()
    _sign_up_and_fill(client, world)
    response = _post_ok(
        client,
        reverse("applications:new"),
        {
            "plan": world.plan.pk,
            "qualification": world.quals[3].pk,
            "specialty": world.specialty.pk,
            "sub_specialty": world.specialty.subspecialties.first().pk,
            "declaration_type": "normal",
            "specialty_matches": "on",
            "channel": "employer",
            "recommending_org": world.employer.pk,
        },
    )
    application = Application.objects.get(applicant__username="zhangsan")
    assert response["Location"] == reverse("applications:detail", args=[application.pk])

    # Evidence for the checklist item, then the work summary and the pledge.
    _post_ok(
        client,
        reverse("applications:evidence_upload", args=[application.pk]),
        {"material_code": "degree", "file": SimpleUploadedFile("学位证.pdf", PDF_BYTES, "application/pdf")},
    )
    _post_ok(
        client,
        reverse("applications:edit", args=[application.pk]),
        {
            "sub_specialty": application.sub_specialty_id,
            "declaration_type": "normal",
            "specialty_matches": "on",
            "work_summary": "负责数控机床电气系统设计。",
        },
    )
    _post_ok(client, reverse("applications:pledge", args=[application.pk]), {})
    with django_capture_on_commit_callbacks(execute=True):
        _post_ok(client, reverse("applications:submit", args=[application.pk]), {})

    application.refresh_from_db()
    assert application.state == State.EMPLOYER_AUDIT
    assert application.snapshot["identity"]["name"] == "张三"
    event = ApplicationEvent.objects.get(application=application, action="submit")
    assert (event.from_state, event.to_state, event.actor.username) == (
        State.DRAFT,
        State.EMPLOYER_AUDIT,
        "zhangsan",
    )
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "已提交，待单位审核" in page
    # HR of the employer is told there is something to audit.
    assert world.hr.notifications.filter(link__contains=str(application.pk)).exists()
    assert [m.to for m in mailoutbox] == [[world.hr.email]]


def test_submission_after_the_deadline_is_refused_with_the_reason(world):
    application = world.ready_draft()
    world.plan.declaration_deadline = world.plan.opens_at + dt.timedelta(days=1)
    world.plan.save()
    client = world.client_for(world.applicant)
    response = client.post(reverse("applications:submit", args=[application.pk]), follow=True)
    application.refresh_from_db()
    assert application.state == State.DRAFT
    text = response.content.decode()
    assert re.search(r"个人申报已于\d{4}年\d{2}月\d{2}日 \d{2}:\d{2}截止", text)
    assert not ApplicationEvent.objects.filter(application=application, action="submit").exists()


@pytest.mark.parametrize("persona", ["other_applicant", "other_hr", "other_officer", "other_clerk"])
def test_outsiders_get_404_on_a_submitted_application(world, persona):
    from applications import services

    application = world.ready_draft()
    services.application_submit(application=application, actor=world.applicant)
    client = world.client_for(getattr(world, persona))
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 404
    assert client.post(reverse("applications:withdraw", args=[application.pk])).status_code == 404
    assert client.get(reverse("api-application", args=[application.pk])).status_code == 404


def test_employer_hr_sees_the_submitted_application_but_cannot_submit_for_the_applicant(world):
    application = world.ready_draft()
    client = world.client_for(world.hr)
    # A draft is the applicant's own.
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 404
    from applications import services

    services.application_submit(application=application, actor=world.applicant)
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 200
    assert client.post(reverse("applications:withdraw", args=[application.pk])).status_code == 403
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_AUDIT


def test_anonymous_is_sent_to_login(world):
    application = world.draft()
    response = Client().get(reverse("applications:detail", args=[application.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_state_changes_refuse_get(world):
    application = world.draft()
    client = world.client_for(world.applicant)
    for name in ["submit", "withdraw", "resubmit", "pledge"]:
        assert client.get(reverse(f"applications:{name}", args=[application.pk])).status_code == 405
