"""The employer's audit and recommendation, and the bureau's review, through the pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from guardian.models import GroupObjectPermission
from openpyxl import load_workbook

from applications import audit
from applications.entrusted import entrusted_grant, office_group
from applications.exceptions import DomainError
from applications.models import Application, Entrustment
from applications.states import State
from portal import authority as authority_services
from portal.models import Role
from tests.factories import OrganisationFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_hr_returns_with_reasons_per_item_and_the_applicant_resubmits(world):
    application = world.submitted()
    hr = world.client_for(world.hr)
    response = hr.post(
        reverse("applications:audit_return", args=[application.pk]),
        {"note": "请补正", "item_degree": "学位证书扫描件不清晰", "item_work_periods": ""},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.RETURNED
    event = application.events.get(action="employer_return")
    assert event.data == {"items": {"degree": "学位证书扫描件不清晰"}}
    page = world.client_for(world.applicant).get(reverse("applications:detail", args=[application.pk]))
    assert "学位证书扫描件不清晰" in page.content.decode()
    world.client_for(world.applicant).post(reverse("applications:resubmit", args=[application.pk]))
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_AUDIT


def test_a_return_without_any_reason_is_refused(world):
    application = world.submitted()
    world.client_for(world.hr).post(reverse("applications:audit_return", args=[application.pk]), {"note": ""})
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_AUDIT


def test_hr_rejects_with_a_reason(world):
    application = world.submitted()
    world.client_for(world.hr).post(
        reverse("applications:audit_reject", args=[application.pk]), {"reason": "不在本单位从事专业技术工作"}
    )
    application.refresh_from_db()
    assert application.state == State.REJECTED
    assert application.events.last().note == "不在本单位从事专业技术工作"


def test_hr_publicises_a_batch_from_the_queue(world):
    a1 = world.submitted()
    a2 = world.submitted(world.user("a2", "applicant", world.employer), serial=102)
    response = world.client_for(world.hr).post(
        reverse("applications:audit_publicise"),
        {
            "role": "hr",
            "applications": [a1.pk, a2.pk],
            "title": "职称申报公示",
            "posted_on": "2026-06-01",
            "working_days": 5,
            "contact": "0570-1234567",
        },
    )
    assert response.status_code == 302
    a1.refresh_from_db()
    a2.refresh_from_db()
    assert a1.state == a2.state == State.EMPLOYER_PUBLICITY
    assert a1.publicity_entries.get().notice_id == a2.publicity_entries.get().notice_id


@pytest.mark.parametrize("persona", ["other_hr", "applicant", "officer", "clerk"])
def test_others_cannot_take_the_employers_steps(world, persona):
    application = world.submitted()
    client = world.client_for(getattr(world, persona))
    expected = {"other_hr": 404, "applicant": 403, "officer": 404, "clerk": 404}[persona]
    assert (
        client.post(
            reverse("applications:audit_return", args=[application.pk]), {"item_degree": "x"}
        ).status_code
        == expected
    )
    assert (
        client.post(reverse("applications:audit_reject", args=[application.pk]), {"reason": "x"}).status_code
        == expected
    )
    response = client.post(
        reverse("applications:audit_publicise"),
        {
            "role": "hr",
            "applications": [application.pk],
            "title": "x",
            "posted_on": "2026-06-01",
            "working_days": 5,
        },
    )
    assert response.status_code in (403, 404)
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_AUDIT


def test_an_unconfirmed_legal_person_account_cannot_act(world):
    world.employer.authorisation_confirmed_at = None
    world.employer.save()
    application = world.submitted()
    response = world.client_for(world.hr).post(
        reverse("applications:audit_reject", args=[application.pk]), {"reason": "x"}
    )
    assert response.status_code == 403
    # The HR uploads the letter and the bureau officer confirms it; then HR may act.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import PDF_BYTES

    world.employer.parent_bureau = world.bureau
    world.employer.save()
    world.client_for(world.hr).post(
        reverse("applications:authorisation"),
        {"organisation": world.employer.pk, "file": SimpleUploadedFile("授权委托书.pdf", PDF_BYTES)},
    )
    letter = world.employer.authorisation_letters.get()
    assert (
        world.client_for(world.other_officer)
        .post(reverse("applications:authorisation_confirm", args=[letter.pk]))
        .status_code
        == 404
    )
    world.client_for(world.officer).post(reverse("applications:authorisation_confirm", args=[letter.pk]))
    world.employer.refresh_from_db()
    assert world.employer.authorisation_confirmed_at is not None
    assert (
        world.client_for(world.hr)
        .post(reverse("applications:audit_reject", args=[application.pk]), {"reason": "x"})
        .status_code
        == 302
    )


def test_recommend_then_bureau_recommends_to_the_committee(world, frozen_clock):
    application = world.submitted()
    world.through_employer_publicity([application], frozen_clock)
    hr = world.client_for(world.hr)
    hr.post(reverse("applications:audit_recommend"), {"role": "hr", "applications": [application.pk]})
    application.refresh_from_db()
    assert application.state == State.BUREAU_REVIEW
    # An officer of another district does not even see it.
    assert world.client_for(world.other_officer).post(
        reverse("applications:audit_bureau_recommend"), {"role": "officer", "applications": [application.pk]}
    ).status_code in (403, 404)
    world.client_for(world.officer).post(
        reverse("applications:audit_bureau_recommend"), {"role": "officer", "applications": [application.pk]}
    )
    application.refresh_from_db()
    assert application.state == State.QUALIFICATION_REVIEW
    page = world.client_for(world.clerk).get(reverse("applications:detail", args=[application.pk]))
    assert reverse("committees:qualification", args=[application.pk]) in page.content.decode()
    assert (
        world.client_for(world.other_clerk)
        .get(reverse("applications:detail", args=[application.pk]))
        .status_code
        == 404
    )


def test_bureau_returns_to_the_employer(world, frozen_clock):
    application = world.submitted()
    world.through_employer_publicity([application], frozen_clock)
    audit.employer_recommend(application=application, actor=world.hr)
    world.client_for(world.officer).post(
        reverse("applications:audit_bureau_return", args=[application.pk]),
        {"reason": "缺少单位公示情况说明"},
    )
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_AUDIT


def test_entrusted_review_records_the_letter_and_moves_the_plan(world, frozen_clock):
    application = world.submitted()
    world.through_employer_publicity([application], frozen_clock)
    audit.employer_recommend(application=application, actor=world.hr)
    far_committee = OrganisationFactory(kind="committee", credit_code=None, name="杭州市工程技术评审委员会")
    far_plan = PlanFactory(committee=far_committee)
    officer = world.client_for(world.officer)
    entrust = {"to_plan": far_plan.pk, "letter_no": "衢人社委〔2026〕3号", "letter_date": "2026-05-28"}
    # A committee without an approval and filing cannot receive it.
    response = officer.post(
        reverse("applications:audit_entrust", args=[application.pk]), entrust, follow=True
    )
    assert "核准备案" in response.content.decode() or "未" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.BUREAU_REVIEW and not Entrustment.objects.exists()
    world.authorise(far_committee, world.other_bureau)
    officer.post(reverse("applications:audit_entrust", args=[application.pk]), entrust)
    application.refresh_from_db()
    assert application.plan == far_plan and application.state == State.QUALIFICATION_REVIEW
    entrustment = Entrustment.objects.get()
    assert (entrustment.letter_no, entrustment.from_plan) == ("衢人社委〔2026〕3号", world.plan)


def _entrusted(world, frozen_clock):
    application = world.submitted()
    world.through_employer_publicity([application], frozen_clock)
    audit.employer_recommend(application=application, actor=world.hr)
    far_committee = OrganisationFactory(kind="committee", credit_code=None, name="杭州市工程技术评审委员会")
    world.authorise(far_committee, world.other_bureau)
    far_plan = PlanFactory(committee=far_committee)
    far_clerk = world.user("far-clerk", Role.CLERK, far_committee)
    world.client_for(world.officer).post(
        reverse("applications:audit_entrust", args=[application.pk]),
        {"to_plan": far_plan.pk, "letter_no": "衢人社委〔2026〕4号", "letter_date": "2026-05-28"},
    )
    application.refresh_from_db()
    assert application.plan == far_plan
    return application, far_committee, far_clerk


def test_the_entrusted_office_acts_through_its_grant_and_the_first_committee_loses_the_application(
    world, frozen_clock
):
    application, far_committee, far_clerk = _entrusted(world, frozen_clock)
    grant = GroupObjectPermission.objects.get(object_pk=str(application.pk))
    assert grant.group == office_group(far_committee.pk)
    assert grant.permission.codename == "review_entrusted"
    qualification = reverse("committees:qualification", args=[application.pk])
    dossier = reverse("applications:dossier", args=[application.pk])
    far = world.client_for(far_clerk)
    assert far.get(qualification).status_code == 200
    assert far.get(dossier).status_code == 200
    first = world.client_for(world.clerk)  # the plan's own committee, before the entrustment
    assert first.get(qualification).status_code in (403, 404)
    assert first.get(dossier).status_code in (403, 404)
    # The grant withdrawn, the committee column alone opens nothing: no acting, no dossier, no files.
    grant.delete()
    far = world.client_for(far_clerk)
    assert far.get(qualification).status_code in (403, 404)
    assert far.get(dossier).status_code in (403, 404)
    response = far.post(reverse("committees:pass", args=[application.pk]), {"note": "符合条件"})
    assert response.status_code in (403, 404)
    application.refresh_from_db()
    assert application.state == State.QUALIFICATION_REVIEW


def test_entrusting_again_moves_the_grant_to_the_new_office(world, frozen_clock):
    application, far_committee, far_clerk = _entrusted(world, frozen_clock)
    third = OrganisationFactory(kind="committee", credit_code=None, name="宁波市工程技术评审委员会")
    entrusted_grant(application=application, committee_id=third.pk)
    grants = GroupObjectPermission.objects.filter(object_pk=str(application.pk))
    assert [g.group for g in grants] == [office_group(third.pk)]
    assert world.client_for(far_clerk).get(
        reverse("committees:qualification", args=[application.pk])
    ).status_code in (403, 404)


def test_bulk_recommend_reports_each_late_one(world, frozen_clock):
    apps = [world.submitted(), world.submitted(world.user("a2", "applicant", world.employer), serial=102)]
    world.through_employer_publicity(apps, frozen_clock)
    frozen_clock.set(world.plan.employer_deadline + dt.timedelta(minutes=1))
    response = world.client_for(world.hr).post(
        reverse("applications:audit_recommend"),
        {"role": "hr", "applications": [a.pk for a in apps]},
        follow=True,
    )
    text = response.content.decode()
    assert text.count("单位推荐已于") == 2
    assert {a.state for a in Application.objects.all()} == {State.EMPLOYER_PUBLICITY_DONE}


def test_recommendation_batch_exports_to_excel(world, frozen_clock):
    application = world.submitted()
    response = world.client_for(world.hr).get(
        reverse("applications:audit_export") + "?role=hr&state=employer_audit"
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][0] == application.number and rows[1][1] == application.archive.name


def test_queue_is_for_reviewers_only(world):
    assert world.client_for(world.applicant).get(reverse("applications:audit_queue")).status_code == 403
    assert world.client_for(world.hr).get(reverse("applications:audit_queue")).status_code == 200
    assert world.client_for(world.officer).get(reverse("applications:audit_queue")).status_code == 200


def test_reminders_are_sent_once_before_the_deadline(world, frozen_clock):
    from applications.reminders import deadline_reminders

    world.draft()
    frozen_clock.set(world.plan.declaration_deadline - dt.timedelta(days=2))
    assert deadline_reminders() == 1
    assert deadline_reminders() == 0
    assert world.applicant.notifications.filter(message__contains="尚未提交").count() == 1


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("hr", 403), ("applicant", 403), ("clerk", 404), ("other_officer", 404), ("other_hr", 404)],
)
def test_others_cannot_take_the_bureaus_steps(world, frozen_clock, persona, expected):
    application = world.submitted()
    world.through_employer_publicity([application], frozen_clock)
    audit.employer_recommend(application=application, actor=world.hr)
    client = world.client_for(getattr(world, persona))
    assert (
        client.post(
            reverse("applications:audit_bureau_return", args=[application.pk]), {"reason": "x"}
        ).status_code
        == expected
    )
    assert (
        client.post(
            reverse("applications:audit_entrust", args=[application.pk]), {"letter_no": "x"}
        ).status_code
        == expected
    )
    client.post(
        reverse("applications:audit_bureau_recommend"), {"role": "officer", "applications": [application.pk]}
    )
    application.refresh_from_db()
    assert application.state == State.BUREAU_REVIEW


def test_token_authentication_reaches_the_api(world):
    from django.test import Client

    client = Client()
    response = client.post(
        reverse("api-token"),
        {"username": "applicant", "password": "pass12345"},
        content_type="application/json",
    )
    token = response.json()["token"]
    assert Client().get(reverse("api-archive"), HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    bad = client.post(
        reverse("api-token"), {"username": "applicant", "password": "wrong"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "password" in bad.json()["errors"]
    assert Client().get(reverse("api-archive"), HTTP_AUTHORIZATION="Token nope").status_code in (401, 403)


def test_a_committee_whose_authority_is_suspended_receives_nothing(world, frozen_clock):
    from portal.models import CommitteeAuthority

    application = world.submitted()
    world.through_employer_publicity([application], frozen_clock)
    audit.employer_recommend(application=application, actor=world.hr)
    authority_services.authority_set_status(
        authority=CommitteeAuthority.objects.get(committee=world.committee),
        actor=world.officer,
        status="suspended",
        reason="违规评审，暂停评审权",
    )
    with pytest.raises(DomainError) as exc:
        audit.bureau_recommend(application=application, actor=world.officer)
    assert exc.value.code == "out_of_scope"
    application.refresh_from_db()
    assert application.state == State.BUREAU_REVIEW


def test_an_auditor_reads_only_their_region(world):
    from portal.models import Region
    from tests.factories import OrganisationFactory

    application = world.submitted()
    assert (
        world.client_for(world.auditor).get(reverse("applications:detail", args=[application.pk])).status_code
        == 200
    )
    elsewhere = Region.objects.create(code="330600", name="绍兴市", level="city")
    auditor_elsewhere = world.user(
        "auditor_sx",
        "auditor",
        OrganisationFactory(kind="city_bureau", credit_code=None, region=elsewhere, name="绍兴市人社局"),
    )
    assert (
        world.client_for(auditor_elsewhere)
        .get(reverse("applications:detail", args=[application.pk]))
        .status_code
        == 404
    )
    assert (
        world.client_for(world.auditor)
        .post(reverse("applications:audit_reject", args=[application.pk]), {"reason": "x"})
        .status_code
        == 403
    )


def test_the_review_queue_does_not_grow_its_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world.submitted()
    client = world.client_for(world.hr)
    url = reverse("applications:audit_queue") + "?role=hr&state=employer_audit"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(6):
        world.submitted(world.user(f"q{n}", "applicant", world.employer), serial=600 + n)
    with CaptureQueriesContext(connection) as seven:
        client.get(url)
    assert len(seven) == len(one)
