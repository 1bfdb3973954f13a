"""Shared fixtures for certificates: an issuing bureau with its e-licence settings and key, approved
applications and issued certificates. The real Celery worker is tests/conftest.py's
`celery_worker_process`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from applications import workflow
from certificates.models import CommitteeCode, IssuerProfile
from certificates.services.batches import certificate_batch_issue
from certificates.services.keys import signing_key_create
from portal.validators import uscc_check_char
from tests.committees.conftest import cw  # noqa: F401  (fixture shared with the committee tests)


def uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


ISSUER_CODE = uscc("11330800MB0000001")  # the city bureau (机关: category 1, kind 1)
DEFINER_CODE = uscc("11100000MB0000002")  # the authority that defines the certificate type
TYPE_CODE = DEFINER_CODE + "001"
APPROVAL_DATE = dt.date(2026, 5, 29)

# The moves from submission to approval, with the persona that takes each (None: a system move).
TO_APPROVED = [
    ("employer_publicise", "hr"),
    ("employer_publicity_end", None),
    ("employer_recommend", "hr"),
    ("bureau_recommend", "officer"),
    ("qualification_pass", "clerk"),
    ("pre_review_publicise", "clerk"),
    ("pre_review_publicity_end", None),
    ("assign_meeting", "clerk"),
    ("vote_pass", None),
    ("result_publicise", "clerk"),
    ("result_publicity_end", None),
    ("approve", "officer"),
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def approve(world, application):
    for action, persona in TO_APPROVED:
        workflow.transition(
            application_id=application.pk, action=action, actor=getattr(world, persona) if persona else None
        )
    application.refresh_from_db()
    return application


def approved(world, n: int = 1, *, start: int = 0, **kwargs) -> list:
    """`n` approved applications of distinct applicants (the first is world.applicant when start=0)."""
    result = []
    for i in range(start, start + n):
        user = world.applicant if i == 0 else world.user(f"holder{i}", "applicant", world.employer)
        result.append(approve(world, world.submitted(user, serial=400 + i, **kwargs)))
    return result


@pytest.fixture
def issuer(world):
    profile = IssuerProfile.objects.create(
        organisation=world.bureau,
        name="衢州市人力资源和社会保障局",
        credit_code=ISSUER_CODE,
        region_code="330800",
        type_code=TYPE_CODE,
    )
    CommitteeCode.objects.create(issuer=profile, committee=world.committee, code="001")
    signing_key_create(issuer=profile)
    return profile


def issue(world, applications, capture, **kwargs):
    """Issue a batch in-process: the on-commit task runs eagerly (issuance and renders)."""
    params = {
        "approved_by": world.officer,
        "approval_doc_no": "衢人社职〔2026〕12号",
        "approval_date": APPROVAL_DATE,
    }
    params.update(kwargs)
    with capture(execute=True):
        batch = certificate_batch_issue(applications=applications, **params)
    return batch


@pytest.fixture
def issued(world, issuer, django_capture_on_commit_callbacks):
    """One certificate issued and rendered for world.applicant."""
    (application,) = approved(world)
    batch = issue(world, [application], django_capture_on_commit_callbacks)
    return batch.certificates.get()
