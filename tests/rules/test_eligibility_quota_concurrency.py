"""破格B: "获国家级荣誉企业推荐人数不超过3人，省级荣誉企业推荐人数不超过2人" (seed 003 附件1) must hold when
HR officers recommend at the same moment. Real concurrency needs PostgreSQL (SQLite serialises writers)."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection, connections

from portal.models import OrgKind, TitleLevel
from rules.eligibility import QuotaExceeded
from rules.models import ExceptionalBReservation, HonourCategory
from rules.services.honours import enterprise_honour_record, exceptional_b_quota_reserve
from rules.services.rulesets import ruleset_install_defaults
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"),
]


def _race(plan, enterprise, n: int) -> tuple[list[int], list[str]]:
    barrier = threading.Barrier(n)
    slots: list[int] = []
    refused: list[str] = []
    lock = threading.Lock()

    def officer():
        try:
            barrier.wait()
            reservation = exceptional_b_quota_reserve(
                plan=plan, enterprise=enterprise, application_id=uuid.uuid4()
            )
            with lock:
                slots.append(reservation.slot)
        except QuotaExceeded as exc:
            with lock:
                refused.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=officer) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(slots), refused


@pytest.mark.parametrize(("level", "quota"), [("national", 3), ("provincial", 2)])
def test_officers_recommending_at_once_never_exceed_the_quota(level, quota):
    plan = factories.PlanFactory(year=2023)
    engineer = plan.qualifications.get(level=TitleLevel.INTERMEDIATE)
    ruleset_install_defaults(plan=plan, template="zj_engineer_mid_2023", qualification=engineer)
    enterprise = factories.OrganisationFactory(kind=OrgKind.ENTERPRISE, is_private=True)
    enterprise_honour_record(
        organisation=enterprise,
        category=HonourCategory.objects.get(code="little_giant"),
        level=level,
        title="专精特新",
        issued_on=dt.date(2022, 9, 1),
    )

    slots, refused = _race(plan, enterprise, 8)

    assert slots == list(range(1, quota + 1))
    assert len(refused) == 8 - quota
    assert (
        ExceptionalBReservation.objects.filter(
            plan=plan, enterprise=enterprise, released_at__isnull=True
        ).count()
        == quota
    )


def test_two_officers_at_once_for_the_last_place():
    plan = factories.PlanFactory(year=2023)
    engineer = plan.qualifications.get(level=TitleLevel.INTERMEDIATE)
    ruleset_install_defaults(plan=plan, template="zj_engineer_mid_2023", qualification=engineer)
    enterprise = factories.OrganisationFactory(kind=OrgKind.ENTERPRISE)
    enterprise_honour_record(
        organisation=enterprise,
        category=HonourCategory.objects.get(code="little_giant"),
        level="provincial",
        title="省级专精特新",
        issued_on=dt.date(2022, 9, 1),
    )
    exceptional_b_quota_reserve(plan=plan, enterprise=enterprise, application_id=uuid.uuid4())

    for _ in range(5):  # repeat: the race must be lost the same way every time
        slots, refused = _race(plan, enterprise, 2)
        assert len(slots) + len(refused) == 2
        assert (
            ExceptionalBReservation.objects.filter(
                plan=plan, enterprise=enterprise, released_at__isnull=True
            ).count()
            == 2
        )
        ExceptionalBReservation.objects.filter(plan=plan, enterprise=enterprise, slot=2).delete()
