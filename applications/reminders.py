"""Reminders a few working days before each deadline that concerns someone (idempotent by key); how many
working days before is set per plan (ReviewPlan.reminder_working_days)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.db.models import Exists, OuterRef
from django.utils import timezone

from portal import clock
from portal.models import Notification, ReviewPlan, Role
from portal.services import notify_many, notify_staff
from rules import workdays

from .models import Application
from .states import State


def _due_soon(deadline: dt.datetime, today: dt.date, calendar: workdays.WorkCalendar, days: int) -> bool:
    last = timezone.localdate(deadline - dt.timedelta(seconds=1))
    if last < today:
        return False
    try:
        return calendar.count_working_days(today, last) <= days
    except workdays.WorkCalendarError:
        # A year whose holidays are not entered yet: remind early rather than late.
        return (last - today).days <= days + 2


def deadline_reminders(*, now: dt.datetime | None = None) -> int:
    """The reminders due now, for every published plan, in a fixed number of statements per plan (and per
    2,000 applicants); someone already reminded of a deadline is not read again."""
    now = now or clock.now()
    today = timezone.localdate(now)
    sent = 0
    calendar = workdays.get_calendar()  # one snapshot for the whole run
    plans = ReviewPlan.objects.filter(status=ReviewPlan.Status.PUBLISHED, employer_deadline__gt=now)
    for plan in plans:
        days = plan.reminder_working_days
        if _due_soon(plan.declaration_deadline, today, calendar, days) and plan.declaration_deadline > now:
            sent += _remind_applicants(plan)
        if _due_soon(plan.employer_deadline, today, calendar, days):
            sent += _remind_employers(plan)
    return sent


_CHUNK = 2000


def _remind_applicants(plan: ReviewPlan) -> int:
    """One notification per applicant (the first of their unsubmitted applications)."""
    key = f"decl-deadline:{plan.pk}"
    reminded = Notification.objects.filter(user=OuterRef("applicant_id"), dedupe_key=key)
    unsubmitted = (
        Application.objects.filter(plan=plan, state__in=[State.DRAFT, State.RETURNED])
        .exclude(Exists(reminded))
        .select_related("applicant")
        .only("pk", "number", "applicant__id", "applicant__email")
        .order_by("pk")
    )
    deadline = f"{timezone.localtime(plan.declaration_deadline):%m月%d日 %H:%M}"
    notes = (
        (
            application.applicant,
            f"“{plan.title}”个人申报将于{deadline}截止，您的申报{application.number}尚未提交。",
            f"/applications/{application.pk}/",
            key,
        )
        for application in unsubmitted.iterator(chunk_size=_CHUNK)
    )
    sent = 0
    while chunk := list(itertools.islice(notes, _CHUNK)):
        sent += notify_many(notes=chunk)
    return sent


def _remind_employers(plan: ReviewPlan) -> int:
    """Each employer's HR with applications still to audit, publicise or recommend: one note each."""
    employers = (
        Application.objects.filter(
            plan=plan,
            state__in=[State.EMPLOYER_AUDIT, State.EMPLOYER_PUBLICITY, State.EMPLOYER_PUBLICITY_DONE],
        )
        .order_by("recommending_org_id")
        .values_list("recommending_org_id", flat=True)
        .distinct()
    )
    deadline = f"{timezone.localtime(plan.employer_deadline):%m月%d日 %H:%M}"
    message = f"“{plan.title}”单位推荐将于{deadline}截止，本单位尚有申报未完成审核推荐。"
    return notify_staff(
        notes=[(org, Role.HR, message, "/audit/", f"employer-deadline:{plan.pk}:{org}") for org in employers]
    )
