"""Everyone learns when it is their turn: the bureau when a meeting awaits filing, the office when it is
filed, the experts when drawn, when the meeting starts and when voting opens; in the portal and by
e-mail, and nobody else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from committees import services
from committees.models import Attendance, DrawEntry
from portal.models import Notification

pytestmark = pytest.mark.django_db


def _told(users, text) -> set[str]:
    """Usernames told `text` in the portal, among `users`."""
    ids = Notification.objects.filter(message__contains=text).values_list("user__username", flat=True)
    return {u.username for u in users} & set(ids)


def _mailed(text) -> set[str]:
    return {to for m in mail.outbox if text in m.subject or text in m.body for to in m.to}


def test_the_bureau_learns_that_a_meeting_awaits_filing_once(cw, world, django_capture_on_commit_callbacks):
    apps = cw.awaiting_meeting(2)
    meeting = cw.meeting()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_assign(meeting=meeting, applications=[apps[0]], actor=world.clerk)
        services.meeting_assign(meeting=meeting, applications=[apps[1]], actor=world.clerk)
    everyone = [world.officer, world.other_officer, world.clerk, world.auditor]
    assert _told(everyone, "待备案确认") == {"officer"}
    assert Notification.objects.filter(message__contains="待备案确认").count() == 1
    assert _mailed("待备案确认") == {world.officer.email}


def test_the_office_learns_that_the_meeting_is_filed(cw, world, django_capture_on_commit_callbacks):
    meeting = cw.meeting(cw.awaiting_meeting(1))
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_file(meeting=meeting, actor=world.officer)
    everyone = [world.clerk, world.other_clerk, world.officer]
    assert _told(everyone, "已备案确认，可以抽取专家") == {"clerk"}
    assert _mailed("已备案确认") == {world.clerk.email}


def test_the_panel_is_invited_when_drawn_and_the_reserves_are_not(
    cw, world, django_capture_on_commit_callbacks
):
    meeting = cw.filed()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_draw_experts(meeting=meeting, actor=world.clerk)
    entries = DrawEntry.objects.filter(draw__meeting=meeting).select_related("expert__user")
    panel = {e.expert.user.username for e in entries if e.on_panel}
    users = [e.expert.user for e in entries] + [cw.outsider_expert_user]
    assert _told(users, "评审专家，请确认能否参会") == panel and len(panel) == 7
    assert _mailed("评审专家，请确认能否参会") == {f"{u}@example.cn" for u in panel}


def test_the_panel_learns_that_the_meeting_started(cw, world, django_capture_on_commit_callbacks):
    meeting = cw.drawn()
    cw.clock.set(dt.datetime.combine(meeting.held_on, dt.time(1, 0), tzinfo=dt.UTC))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_start(meeting=meeting, actor=world.clerk)
    entries = DrawEntry.objects.filter(draw__meeting=meeting).select_related("expert__user")
    panel = {e.expert.user.username for e in entries if e.on_panel}
    users = [e.expert.user for e in entries] + [world.clerk, world.officer]
    assert _told(users, "已开始，请查阅评审材料") == panel
    assert _mailed("已开始，请查阅评审材料") == {f"{u}@example.cn" for u in panel}


def test_the_present_experts_learn_that_voting_opened(cw, world, django_capture_on_commit_callbacks):
    meeting = cw.started()
    panel = cw.panel(meeting)
    present = panel[:6]
    services.meeting_record_attendance(
        meeting=meeting, actor=world.clerk, present={e.pk: Attendance.Mode.REMOTE for e in present}
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_open_voting(meeting=meeting, actor=world.clerk)
    users = [e.user for e in panel] + [world.clerk]
    assert _told(users, "已开始投票") == {e.user.username for e in present}
    assert _mailed("已开始投票") == {e.user.email for e in present}
