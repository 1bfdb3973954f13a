"""A publicity that would end in a year without a holiday schedule is refused, saying which year is
missing and where to enter it; it is never counted on weekends alone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from applications.exceptions import DomainError
from applications.models import PublicityNotice
from applications.states import State

pytestmark = pytest.mark.django_db


def test_the_refusal_names_the_missing_year_and_the_page_to_enter_it(world):
    application = world.submitted()

    with pytest.raises(DomainError) as refused:
        world.publicised([application], posted_on=dt.date(2026, 12, 28))

    message = refused.value.message
    assert "公示期（自2026年12月28日起5个工作日）将跨入2027年" in message
    assert "2027年的法定节假日和调休安排尚未录入" in message and "不会只按周末推算" in message
    assert f"“工作日历”页面（{reverse('rules:calendar_year', args=[2027])}）" in message
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_AUDIT and not PublicityNotice.objects.exists()


def test_hr_sees_the_refusal_on_the_queue_page(world):
    application = world.submitted()
    hr = world.client_for(world.hr)
    response = hr.post(
        reverse("applications:audit_publicise"),
        {
            "role": "hr",
            "applications": [application.pk],
            "title": "职称申报公示",
            "posted_on": "2026-12-28",
            "working_days": 5,
        },
        follow=True,
    )
    assert "而2027年的法定节假日和调休安排尚未录入" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_AUDIT


def test_a_publicity_that_ends_within_the_covered_year_still_starts(world):
    notice = world.publicised([world.submitted()], posted_on=dt.date(2026, 12, 21))
    assert notice.end_date == dt.date(2026, 12, 25)
