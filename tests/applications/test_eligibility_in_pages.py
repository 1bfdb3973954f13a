"""The rules engine where the question is asked: self-check, the wizard, submission and the reviews."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from applications import audit, services
from applications.exceptions import DomainError
from applications.models import AnnualAssessment, ContinuingEducation, TitleHeld
from applications.states import State
from rules.services.honours import enterprise_honour_record
from rules.services.integrity import integrity_record_create
from rules.services.rulesets import ruleset_install_defaults

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineer_rules(world):
    # Seed 003's conditions for 工程师, on the 2026 plan.
    return ruleset_install_defaults(
        plan=world.plan, template="zj_engineer_mid_2023", qualification=world.quals[3]
    )


def _qualify(archive, year=2026):
    """Assessments for the three years before the review year and 270 CE hours (seed 003)."""
    for y in range(year - 3, year):
        AnnualAssessment.objects.create(archive=archive, year=y, grade="qualified")
    for y in range(year - 2, year + 1):
        ContinuingEducation.objects.create(
            archive=archive, year=min(y, 2026), public_hours=18, professional_hours=72
        )


def test_submission_by_an_unmet_route_is_refused_with_reasons(world, engineer_rules):
    application = world.ready_draft()
    with pytest.raises(DomainError) as exc:
        services.application_submit(application=application, actor=world.applicant)
    assert exc.value.code == "not_eligible"
    assert "按“正常申报”不符合申报条件" in exc.value.message
    assert "年度考核" in exc.value.message or "考核" in exc.value.message
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_a_qualified_archive_submits(world, engineer_rules):
    application = world.ready_draft()
    _qualify(application.archive)
    services.application_submit(application=application, actor=world.applicant)
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_AUDIT


def test_self_check_page_lists_routes_and_types(world, engineer_rules):
    world.complete_archive(world.applicant)
    client = world.client_for(world.applicant)
    response = client.post(
        reverse("applications:self_check"),
        {"plan": world.plan.pk, "qualification": world.quals[3].pk, "specialty_matches": "on"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "截至2026年12月31日" in text or "2026-12-31" in text
    assert "虞人社职〔2023〕3号" in text


def test_the_wizard_offers_only_the_usable_types(world, engineer_rules):
    archive = world.complete_archive(world.applicant)
    _qualify(archive)
    response = world.client_for(world.applicant).get(
        reverse("applications:new"), {"plan": world.plan.pk, "qualification": world.quals[3].pk}
    )
    form = response.context["form"]
    offered = [value for value, _ in form.fields["declaration_type"].choices]
    assert "normal" in offered and "skills" not in offered


def test_hr_sees_the_result_beside_the_evidence(world, engineer_rules):
    application = world.ready_draft()
    _qualify(application.archive)
    services.application_submit(application=application, actor=world.applicant)
    text = (
        world.client_for(world.hr).get(reverse("applications:detail", args=[application.pk])).content.decode()
    )
    assert "资格条件审查" in text and "按提交时档案" in text


def test_a_banned_person_cannot_declare(world, engineer_rules):
    archive = world.complete_archive(world.applicant)
    integrity_record_create(
        id_type=archive.id_type,
        id_number=archive.id_number,
        name=archive.name,
        review_year=2025,
        level=3,
        finding="2025年度申报提供虚假业绩材料",
        decision_date=dt.date(2025, 12, 1),
    )
    with pytest.raises(DomainError, match="2026至2028年度不得申报"):
        services.application_create(
            applicant=world.applicant,
            plan=world.plan,
            qualification=world.quals[3],
            specialty=world.specialty,
            sub_specialty=world.specialty.subspecialties.first(),
            declaration_type="normal",
            channel="employer",
            recommending_org=world.employer,
        )


def test_exceptional_b_quota_is_taken_at_recommendation(world, engineer_rules, frozen_clock):
    from rules.models import HonourCategory

    category = (
        engineer_rules.honour_categories.first()
        if hasattr(engineer_rules, "honour_categories")
        else HonourCategory.objects.filter(rule_sets=engineer_rules).first()
    )
    enterprise_honour_record(
        organisation=world.employer,
        category=category,
        level="provincial",
        title="省级专精特新企业",
        issued_on=dt.date(2025, 9, 1),
    )
    apps = []
    for n in range(3):
        user = world.user(f"b{n}", "applicant", world.employer)
        application = world.ready_draft(
            user, serial=400 + n, declaration_type="exceptional", exceptional_class="B"
        )
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.conftest import PDF_BYTES

        services.evidence_upload(
            archive=application.archive,
            application=application,
            material_code="exceptional_form",
            upload=SimpleUploadedFile("form.pdf", PDF_BYTES),
        )
        _qualify(application.archive)
        TitleHeld.objects.filter(archive=application.archive).delete()
        application.refresh_from_db()
        apps.append(application)
    # Force the applications to the point of recommendation through the workflow.
    from applications import workflow

    for application in apps:
        workflow.transition(application_id=application.pk, action="submit", actor=application.applicant)
    world.through_employer_publicity(apps, frozen_clock)
    done, failed = audit.bulk(audit.employer_recommend, apps, actor=world.hr)
    # A provincial honour gives 2 places (seed 003 附件1 二(二)2).
    assert len(done) == 2 and len(failed) == 1
    assert "名额已满" in failed[0][1]
