"""Committee authority and scope (核准备案), its suspension, and the pilot units of seed 000."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from committees import services
from committees.exceptions import CommitteeError, InvalidTransition, OutOfScope, PermissionDenied
from committees.models import PilotApplication
from portal import authority as authority_services
from portal.models import CommitteeAuthority, OrgKind, Region, Series, Specialty, TitleLevel
from tests import factories
from tests.committees.conftest import committee_org

pytestmark = pytest.mark.django_db


def test_an_approval_is_valid_at_most_three_years(cw, world):
    committee = committee_org(name="衢州市建筑工程评委会", parent_bureau=world.bureau)
    with pytest.raises(CommitteeError, match="不超过3年"):
        cw.authorise(committee, world.bureau, valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2029, 1, 1))
    authority = cw.authorise(
        committee, world.bureau, valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2028, 12, 31)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeAuthority.objects.filter(pk=authority.pk).update(valid_until=dt.date(2029, 6, 1))
    with pytest.raises(CommitteeError, match="单数"):
        cw.authorise(committee, world.bureau, panel_size_standard=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeAuthority.objects.filter(pk=authority.pk).update(panel_size_senior=3)


def test_the_scope_decides_what_may_be_routed(cw, world):
    application = cw.at_committee(1)[0]
    assert authority_services.committee_may_review(committee=world.committee, application=application)
    # Another series only.
    other_series = Series.objects.create(code="economics", name="经济", exam_based=True)
    cw.authority.series.set([other_series])
    assert "系列" in authority_services.scope_refusal(committee=world.committee, application=application)
    cw.authority.series.set([cw.series])
    # A specialty list that does not include the application's.
    cw.authority.specialties.set([Specialty.objects.create(series=cw.series, code="jz", name="建筑施工")])
    assert "专业" in authority_services.scope_refusal(committee=world.committee, application=application)
    cw.authority.specialties.clear()
    # Another region.
    cw.authority.region = Region.objects.create(code="330600", name="绍兴市", level="city")
    cw.authority.save()
    assert "区域" in authority_services.scope_refusal(committee=world.committee, application=application)
    cw.authority.region = world.city
    # Own staff only, of another unit.
    cw.authority.own_staff_only, cw.authority.employer = True, world.other_employer
    cw.authority.save()
    assert "本单位" in authority_services.scope_refusal(committee=world.committee, application=application)
    cw.authority.member_units.add(world.employer)
    assert authority_services.committee_may_review(committee=world.committee, application=application)


def test_a_suspended_or_withdrawn_authority_stops_the_review(cw, world):
    application = cw.at_committee(1)[0]
    with pytest.raises(PermissionDenied):
        authority_services.authority_set_status(
            authority=cw.authority, actor=world.other_officer, status="suspended", reason="x"
        )
    response = world.client_for(world.officer).post(
        reverse("committees:authority_status", args=[cw.authority.pk]),
        {"status": "suspended", "reason": ""},
        follow=True,
    )
    assert "请填写理由" in response.content.decode()
    world.client_for(world.officer).post(
        reverse("committees:authority_status", args=[cw.authority.pk]),
        {"status": "suspended", "reason": "评审程序不规范，限期整改"},
    )
    with pytest.raises(OutOfScope, match="已暂停"):
        services.qualification_pass(application=application, actor=world.clerk)
    with pytest.raises(CommitteeError, match="已暂停"):
        cw.meeting()
    authority_services.authority_set_status(
        authority=cw.authority, actor=world.officer, status="active", reason="整改完成"
    )
    authority_services.authority_set_status(
        authority=cw.authority, actor=world.officer, status="withdrawn", reason="严重违规"
    )
    with pytest.raises(InvalidTransition):
        authority_services.authority_set_status(
            authority=cw.authority, actor=world.officer, status="active", reason="x"
        )
    cw.authority.refresh_from_db()
    assert cw.authority.status == "withdrawn" and cw.authority.status_changed_by == world.officer
    assert (
        world.client_for(world.clerk)
        .post(
            reverse("committees:authority_status", args=[cw.authority.pk]),
            {"status": "active", "reason": "x"},
        )
        .status_code
        == 403
    )
    cw.authority.refresh_from_db()
    assert cw.authority.status == "withdrawn"  # the clerk sees the row but cannot change it


def test_an_expired_approval_cannot_review(cw, world):
    application = cw.at_committee(1)[0]
    CommitteeAuthority.objects.filter(pk=cw.authority.pk).update(valid_until=dt.date(2026, 5, 31))
    assert "没有有效的核准备案" in authority_services.scope_refusal(
        committee=world.committee, application=application
    )


def _pilot_world(world):
    district = factories.OrganisationFactory(
        name="越城区人力资源和社会保障局",
        kind=OrgKind.DISTRICT_BUREAU,
        credit_code=None,
        parent_bureau=world.bureau,
    )
    unit = factories.OrganisationFactory(
        name="绍兴示例纺织机械有限公司", parent_bureau=district, is_private=True
    )
    hr = world.user("pilot_hr", "hr", unit)
    district_officer = world.user("district_officer", "officer", district)
    return unit, hr, district_officer


PILOT_FORM = {
    "industry": "纺织机械",
    "address": "越城区示例路1号",
    "legal_rep_name": "张某",
    "legal_rep_post": "董事长",
    "contact_name": "李某",
    "contact_mobile": "13800000000",
    "staff_senior": 1,
    "staff_deputy_senior": 5,
    "staff_intermediate": 30,
    "staff_junior": 60,
    "introduction": "已建立职称与薪酬挂钩机制。",
}


def test_a_pilot_unit_applies_the_district_audits_and_the_city_files(cw, world):
    unit, hr, district_officer = _pilot_world(world)
    client = world.client_for(hr)
    assert client.get(reverse("committees:pilot_apply")).status_code == 200
    response = client.post(reverse("committees:pilot_apply"), {**PILOT_FORM, "unit": unit.pk})
    assert response.status_code == 400 and "该字段是必填项" in response.content.decode()
    client.post(
        reverse("committees:pilot_apply"), {**PILOT_FORM, "unit": unit.pk, "specialties": [cw.specialty.pk]}
    )
    pilot = PilotApplication.objects.get()
    assert pilot.district_bureau.name == "越城区人力资源和社会保障局"
    # The city bureau cannot file before the district has reviewed; others do not see it.
    assert (
        world.client_for(world.other_officer).get(reverse("committees:pilot", args=[pilot.pk])).status_code
        == 404
    )
    world.client_for(world.officer).post(
        reverse("committees:pilot_file", args=[pilot.pk]), {"document_no": "x"}
    )
    pilot.refresh_from_db()
    assert pilot.status == PilotApplication.Status.SUBMITTED
    assert (
        world.client_for(world.officer)
        .post(
            reverse("committees:pilot_district_audit", args=[pilot.pk]),
            {"decision": "approve", "opinion": "同意"},
        )
        .status_code
        == 403
    )
    world.client_for(district_officer).post(
        reverse("committees:pilot_district_audit", args=[pilot.pk]),
        {"decision": "approve", "opinion": "技术力量较强，有评价需求，同意试点"},
    )
    world.client_for(world.officer).post(
        reverse("committees:pilot_file", args=[pilot.pk]), {"document_no": "绍人社发〔2026〕9号"}
    )
    pilot.refresh_from_db()
    authority = pilot.authority
    assert pilot.status == PilotApplication.Status.FILED
    assert (authority.own_staff_only, authority.employer, authority.max_level) == (
        True,
        unit,
        TitleLevel.INTERMEDIATE,
    )
    assert authority.committee.forming_body == unit and authority.approved_by == world.bureau
    assert list(authority.specialties.all()) == [cw.specialty]
    # Its own staff only: an application of another employer is outside the scope.
    application = cw.at_committee(1)[0]
    refusal = authority_services.scope_refusal(committee=authority.committee, application=application)
    assert "本单位" in refusal


def test_a_unit_has_one_open_pilot_application(cw, world):
    unit, hr, _ = _pilot_world(world)
    services.pilot_apply(unit=unit, actor=hr, specialties=[cw.specialty], **PILOT_FORM)
    with pytest.raises(InvalidTransition):
        services.pilot_apply(unit=unit, actor=hr, specialties=[cw.specialty], **PILOT_FORM)
    with pytest.raises(PermissionDenied):
        services.pilot_apply(unit=unit, actor=world.hr, specialties=[cw.specialty], **PILOT_FORM)
    assert world.client_for(world.applicant).get(reverse("committees:pilot_apply")).status_code == 403
