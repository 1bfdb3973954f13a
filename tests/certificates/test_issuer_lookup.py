"""Which issuer a batch is issued by: the bureau that files the holding committee, or else the plan's
receiving organisation; and the committee that reviewed the title numbers it."""

from __future__ import annotations

import pytest

from applications.models import Application
from certificates.models import CommitteeCode, IssuerProfile
from certificates.services.batches import certificate_batch_issue
from certificates.services.keys import signing_key_create
from portal.models import OrgKind, Role
from tests import factories

from .conftest import APPROVAL_DATE, DEFINER_CODE, approved, uscc

pytestmark = pytest.mark.django_db


def _issuer(org, code: str, committees) -> IssuerProfile:
    profile = IssuerProfile.objects.create(
        organisation=org,
        name=org.name,
        credit_code=uscc(code),
        region_code="330800",
        type_code=DEFINER_CODE + "001",
    )
    for n, committee in enumerate(committees, 1):
        CommitteeCode.objects.create(issuer=profile, committee=committee, code=f"{n:03d}")
    signing_key_create(issuer=profile)
    return profile


def _issue(officer, applications):
    return certificate_batch_issue(
        applications=applications,
        approved_by=officer,
        approval_doc_no="衢人社职〔2026〕12号",
        approval_date=APPROVAL_DATE,
    )


def test_the_filing_bureau_of_the_committee_issues_when_it_is_not_the_receiving_organisation(world):
    (application,) = approved(world)
    filing_bureau = factories.OrganisationFactory(
        name="衢州市职称工作领导小组办公室", kind=OrgKind.CITY_BUREAU, credit_code=None
    )
    world.committee.parent_bureau = filing_bureau
    world.committee.save()
    filing_officer = world.user("filing_officer", Role.OFFICER, filing_bureau)
    profile = _issuer(filing_bureau, "11330800MB0000011", [world.committee])
    _issuer(world.bureau, "11330800MB0000012", [world.committee])

    batch = _issue(filing_officer, [application])

    assert batch.issuer == profile


def test_the_receiving_organisation_issues_when_the_filing_bureau_has_no_issuer(world):
    (application,) = approved(world)
    filing_bureau = factories.OrganisationFactory(
        name="衢州市职称工作领导小组办公室", kind=OrgKind.CITY_BUREAU, credit_code=None
    )
    world.committee.parent_bureau = filing_bureau
    world.committee.save()
    assert application.plan.receiving_org == world.bureau
    profile = _issuer(world.bureau, "11330800MB0000012", [world.committee])

    batch = _issue(world.officer, [application])

    assert batch.issuer == profile


def test_a_title_reviewed_by_another_committee_is_numbered_by_that_committee(world):
    (application,) = approved(world)
    higher = factories.OrganisationFactory(
        name="浙江省工程技术人员高级职务评审委员会",
        kind=OrgKind.COMMITTEE,
        credit_code=None,
        parent_bureau=world.bureau,
    )
    # As after an upward recommendation: the higher committee holds and reviewed the application.
    Application.objects.filter(pk=application.pk).update(committee=higher)
    _issuer(world.bureau, "11330800MB0000012", [higher])

    batch = _issue(world.officer, [application])

    assert batch.committee == higher
