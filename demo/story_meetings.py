"""The story's review meetings: one held in the past (filed, drawn, voted and closed through the services)
and one for the demo's first day, created with its list, that the newcomer files, draws, votes and closes
from pages."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from applications.models import Application
from committees import services as committee_services
from committees.models import Attendance, Choice, Meeting
from portal.models import Organisation, Role

LIVE_TITLE = "{year}年度工程师评审会议（演示）"
PAST_TITLE = "{year}年度第一次评审会议"


def member(org: Organisation | int, role: str):
    """The first demo user holding `role` in the organisation (the one the story acts as)."""
    org_id = getattr(org, "pk", org)
    return (
        get_user_model()
        .objects.filter(
            memberships__organisation_id=org_id, memberships__role=role, memberships__is_active=True
        )
        .order_by("pk")
        .first()
    )


def meeting_put(*, committee: Organisation, title: str, held_on: dt.date, level: int) -> Meeting:
    """Created by the committee's clerk (at least a week ahead, as meeting_create requires)."""
    return committee_services.meeting_create(
        committee=committee,
        actor=member(committee, Role.CLERK),
        title=title,
        held_on=held_on,
        level=level,
        place=f"{committee.name}办公室",
    )


def assign(meeting: Meeting, applications: list[Application]) -> None:
    done, failed = committee_services.meeting_assign(
        meeting=meeting, applications=applications, actor=member(meeting.committee, Role.CLERK)
    )
    if failed:
        raise RuntimeError(
            "演示数据：安排评审会议失败：" + "；".join(f"{a.number}：{why}" for a, why in failed)
        )


def hold(meeting: Meeting, *, fail: set) -> None:
    """On the meeting's day: filed by the bureau, experts drawn, started with every panel expert present,
    each expert's ballot cast from their own account (disagree for the applications in `fail`), closed."""
    clerk = member(meeting.committee, Role.CLERK)
    committee_services.meeting_file(
        meeting=meeting,
        actor=member(meeting.committee.parent_bureau, Role.OFFICER),
        note="材料齐全，同意备案。",
    )
    committee_services.meeting_draw_experts(meeting=meeting, actor=clerk)
    meeting.refresh_from_db()
    committee_services.meeting_start(meeting=meeting, actor=clerk)
    panel = [entry.expert for entry in committee_services.panel_entries(meeting)]
    committee_services.meeting_record_attendance(
        meeting=meeting, actor=clerk, present={e.pk: Attendance.Mode.ON_SITE for e in panel}
    )
    committee_services.meeting_open_voting(meeting=meeting, actor=clerk)
    items = [item.application for item in committee_services.live_items(meeting)]
    for expert in panel:
        for application in items:
            choice = Choice.DISAGREE if application.pk in fail else Choice.AGREE
            committee_services.ballot_cast(
                meeting=meeting, application=application, user=expert.user, choice=choice
            )
    committee_services.meeting_close(meeting=meeting, actor=clerk, note="全体执行委员出席，表决完毕。")
