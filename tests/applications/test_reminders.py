"""Reminders go out the plan's number of working days before each deadline, once, to the people it
concerns: applicants with an unsubmitted application, and HR of employers with applications to finish."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.reminders import deadline_reminders
from portal.models import Notification

pytestmark = pytest.mark.django_db


def _at_beijing(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def plan_due_friday(world):
    """Declaration ends at the end of Friday 12 June 2026 (a normal working week)."""
    plan = world.plan
    plan.declaration_deadline = _at_beijing(dt.date(2026, 6, 13), 0)
    plan.employer_deadline = _at_beijing(dt.date(2026, 6, 27), 0)
    plan.material_deadline = plan.employer_deadline
    plan.save()
    return plan


@pytest.mark.parametrize(("days", "first_reminded"), [(1, dt.date(2026, 6, 12)), (3, dt.date(2026, 6, 10))])
def test_the_plan_sets_how_many_working_days_before(
    world, frozen_clock, plan_due_friday, days, first_reminded
):
    plan_due_friday.reminder_working_days = days
    plan_due_friday.save()
    world.draft()
    frozen_clock.set(_at_beijing(first_reminded - dt.timedelta(days=1)))
    assert deadline_reminders() == 0
    frozen_clock.set(_at_beijing(first_reminded))
    assert deadline_reminders() == 1


def test_a_weekend_does_not_count_as_working_days(world, frozen_clock, plan_due_friday):
    # Three working days before the end of Monday 15 June: Thursday 11 June, not Saturday 13 June.
    plan_due_friday.declaration_deadline = _at_beijing(dt.date(2026, 6, 16), 0)
    plan_due_friday.save()
    world.draft()
    frozen_clock.set(_at_beijing(dt.date(2026, 6, 10)))
    assert deadline_reminders() == 0
    frozen_clock.set(_at_beijing(dt.date(2026, 6, 11)))
    assert deadline_reminders() == 1


def test_the_applicant_is_reminded_once_in_the_portal_and_by_mail(
    world, frozen_clock, plan_due_friday, django_capture_on_commit_callbacks
):
    application = world.draft()
    frozen_clock.set(_at_beijing(dt.date(2026, 6, 11)))
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders() == 1
        assert deadline_reminders() == 0
    note = Notification.objects.get(user=world.applicant)
    assert application.number in note.message and [m.to for m in mail.outbox] == [[world.applicant.email]]


def test_hr_is_reminded_of_the_employer_deadline(world, frozen_clock, plan_due_friday):
    world.submitted()
    frozen_clock.set(_at_beijing(dt.date(2026, 6, 24)))
    assert deadline_reminders() == 1
    assert Notification.objects.filter(user=world.hr, message__contains="单位推荐").count() == 1
    assert not Notification.objects.filter(user=world.other_hr).exists()


def _drafts(world, n: int, start: int) -> None:
    for i in range(start, start + n):
        world.draft(world.user(f"remind{i}", "applicant", world.employer), serial=600 + i)


def test_the_statements_do_not_grow_with_the_applicants_reminded(world, frozen_clock, plan_due_friday):
    frozen_clock.set(_at_beijing(dt.date(2026, 6, 11)))
    counts = []
    for n, start in ((2, 0), (12, 2)):
        _drafts(world, n, start)
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            assert deadline_reminders() == Notification.objects.count() == (start + n)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_the_statements_do_not_grow_with_the_employers_reminded(world, frozen_clock, plan_due_friday):
    world.submitted()
    counts = []
    for employers in (1, 2):
        if employers == 2:
            frozen_clock.set(_at_beijing(dt.date(2026, 6, 1)))
            world.submitted(world.other_applicant, serial=777, recommending_org=world.other_employer)
        frozen_clock.set(_at_beijing(dt.date(2026, 6, 24)))
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            assert deadline_reminders() == employers
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    told = Notification.objects.filter(message__contains="单位推荐")
    assert sorted(told.values_list("user__username", flat=True)) == ["hr", "hr2"]
    # Run again: nobody is told twice.
    assert deadline_reminders() == 0


def test_an_applicant_already_reminded_is_not_read_again(world, frozen_clock, plan_due_friday):
    frozen_clock.set(_at_beijing(dt.date(2026, 6, 11)))
    _drafts(world, 3, 40)
    assert deadline_reminders() == 3
    with CaptureQueriesContext(connection) as ctx:
        assert deadline_reminders() == 0
    # The unsubmitted applications not yet reminded are none: no notification is looked up or written.
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not [
        q for q in sql if q.startswith(('SELECT "portal_notification"', 'INSERT INTO "portal_notification"'))
    ]
