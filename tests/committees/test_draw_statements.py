"""The conflict check, the filing and the draw read the pool and the list in set queries: the statements
they issue do not grow with the number of experts or of applications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from committees import services
from committees.models import ConflictDeclaration, ExpertEmployment
from committees.services.draw_check import draw_replay
from portal.personal_data import id_digest
from tests import factories

pytestmark = pytest.mark.django_db


def _statements(cw, apps) -> dict[str, int]:
    meeting = cw.meeting(apps)
    counts = {}
    for step, run in (
        ("check", lambda: services.meeting_check_conflicts(meeting=meeting, actor=cw.w.clerk)),
        ("file", lambda: services.meeting_file(meeting=meeting, actor=cw.w.officer)),
        ("draw", lambda: services.meeting_draw_experts(meeting=meeting, actor=cw.w.clerk)),
    ):
        meeting.refresh_from_db()
        with CaptureQueriesContext(connection) as ctx:
            result = run()
        counts[step] = len(ctx.captured_queries)
    assert draw_replay(result).matches
    return counts


def _more_experts(cw, n: int, start: int) -> None:
    """Experts as a province's pool has them: each at an employer of the portal (whose name the check
    compares), with an earlier employer and a declaration about someone else's relative."""
    for i in range(start, start + n):
        employer = factories.OrganisationFactory(name=f"专家所在单位{i}")
        expert = cw.expert(100 + i, employer=employer, employer_name="")
        ExpertEmployment.objects.create(
            expert=expert, employer_name=f"原单位{i}", ended_on=dt.date(2025, 1, 1)
        )
        ConflictDeclaration.objects.create(
            expert=expert,
            kind="relative",
            reason="配偶",
            relative_name="某某",
            relative_id_digest=id_digest(factories.resident_id(serial=900 + i)),
            declared_by=cw.w.clerk,
            declared_at=cw.clock.now(),
        )


def test_the_statements_do_not_grow_with_the_pool_or_the_list(cw):
    apps = cw.awaiting_meeting(5)
    _more_experts(cw, 1, start=0)
    _statements(cw, apps[:1])  # once first: caches (content types, keys) filled
    small = _statements(cw, apps[1:2])  # 17 experts, 1 application
    _more_experts(cw, 40, start=1)
    large = _statements(cw, apps[2:5])
    assert large == small, (small, large)  # 57 experts, 3 applications
