"""Reminders a few working days before each deadline that concerns someone (idempotent by key); how many
working days before is set per plan (ReviewPlan.reminder_working_days)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal import clock
from portal.models import ReviewPlan, Role
from portal.services import notify_many, notify_members
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
    now = now or clock.now()
    today = timezone.localdate(now)
    sent = 0
    calendar = workdays.get_calendar()  # one snapshot for the whole run
    plans = ReviewPlan.objects.filter(status=ReviewPlan.Status.PUBLISHED, employer_deadline__gt=now)
    for plan in plans:
        days = plan.reminder_working_days
        if _due_soon(plan.declaration_deadline, today, calendar, days) and plan.declaration_deadline > now:
            # One notification per applicant (the first of their unsubmitted applications), written in
            # a fixed number of statements however many there are.
            sent += notify_many(
                notes=(
                    (
                        application.applicant,
                        f"“{plan.title}”个人申报将于"
                        f"{timezone.localtime(plan.declaration_deadline):%m月%d日 %H:%M}"
                        f"截止，您的申报{application.number}尚未提交。",
                        f"/applications/{application.pk}/",
                        f"decl-deadline:{plan.pk}",
                    )
                    for application in Application.objects.filter(
                        plan=plan, state__in=[State.DRAFT, State.RETURNED]
                    ).select_related("applicant")
                )
            )
        if _due_soon(plan.employer_deadline, today, calendar, days):
            org_ids = set(
                Application.objects.filter(
                    plan=plan,
                    state__in=[State.EMPLOYER_AUDIT, State.EMPLOYER_PUBLICITY, State.EMPLOYER_PUBLICITY_DONE],
                ).values_list("recommending_org_id", flat=True)
            )
            for org_id in sorted(org_ids):
                sent += notify_members(
                    organisation=org_id,
                    role=Role.HR,
                    dedupe_key=f"employer-deadline:{plan.pk}:{org_id}",
                    message=f"“{plan.title}”单位推荐将于"
                    f"{timezone.localtime(plan.employer_deadline):%m月%d日 %H:%M}截止，"
                    f"本单位尚有申报未完成审核推荐。",
                    link="/audit/",
                )
    return sent
