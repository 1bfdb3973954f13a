"""A meeting may be called off before it starts: its applications wait for another meeting, the
drawn experts, the clerks and the filing bureau are told, and nothing after the start can cancel it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from applications.states import State
from committees import services
from committees.exceptions import CommitteeError, InvalidTransition, PermissionDenied
from committees.models import DrawEntry, Meeting, MeetingApplication
from portal.models import Notification, RecordEvent

pytestmark = pytest.mark.django_db


def test_a_drawn_meeting_is_cancelled_and_its_applications_wait_again(
    cw, world, django_capture_on_commit_callbacks
):
    apps = cw.awaiting_meeting(2)
    meeting = cw.drawn(apps)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, actor=world.clerk, reason="会场调整")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    for application in apps:
        application.refresh_from_db()
        assert application.state == State.AWAITING_MEETING
        assert application.events.last().action == "unassign_meeting"
    assert not MeetingApplication.objects.filter(meeting=meeting, removed_at__isnull=True).exists()
    event = RecordEvent.objects.filter(action="cancel").get()
    assert event.actor == world.clerk and "会场调整" in event.note

    drawn = {
        e.expert.user for e in DrawEntry.objects.filter(draw__meeting=meeting).select_related("expert__user")
    }
    told = {n.user for n in Notification.objects.filter(message__contains="已取消")}
    assert drawn | {world.clerk, world.officer} <= told
    assert world.other_clerk not in told and world.other_officer not in told
    assert {world.officer.email, world.clerk.email} <= {to for m in mail.outbox for to in m.to}


def test_the_cancelled_meetings_applications_can_join_another(cw, world):
    apps = cw.awaiting_meeting(1)
    meeting = cw.meeting(apps)
    services.meeting_cancel(meeting=meeting, actor=world.clerk, reason="合并到下一次会议")
    other = cw.meeting()
    services.meeting_assign(meeting=other, applications=apps, actor=world.clerk)
    apps[0].refresh_from_db()
    assert apps[0].state == State.IN_MEETING


def test_a_started_meeting_cannot_be_cancelled(cw, world):
    meeting = cw.started()
    with pytest.raises(InvalidTransition):
        services.meeting_cancel(meeting=meeting, actor=world.clerk, reason="不开了")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.STARTED


def test_only_the_committees_clerk_cancels_and_a_reason_is_required(cw, world):
    meeting = cw.meeting(cw.awaiting_meeting(1))
    with pytest.raises(PermissionDenied):
        services.meeting_cancel(meeting=meeting, actor=world.other_clerk, reason="x")
    with pytest.raises(PermissionDenied):
        services.meeting_cancel(meeting=meeting, actor=world.officer, reason="x")
    with pytest.raises(CommitteeError):
        services.meeting_cancel(meeting=meeting, actor=world.clerk, reason="  ")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CREATED


def test_the_page_offers_cancel_to_the_clerk_only_before_the_start(cw, world):
    meeting = cw.meeting(cw.awaiting_meeting(1))
    url = reverse("committees:meeting", args=[meeting.pk])
    cancel = reverse("committees:meeting_cancel", args=[meeting.pk])
    assert cancel in world.client_for(world.clerk).get(url).content.decode()
    assert cancel not in world.client_for(world.officer).get(url).content.decode()
    started = cw.started()
    page = world.client_for(world.clerk).get(reverse("committees:meeting", args=[started.pk]))
    assert reverse("committees:meeting_cancel", args=[started.pk]) not in page.content.decode()


def test_the_cancel_page_answers_each_role(cw, world):
    meeting = cw.meeting(cw.awaiting_meeting(1))
    cancel = reverse("committees:meeting_cancel", args=[meeting.pk])
    assert world.client_for(world.clerk).get(cancel).status_code == 405
    assert world.client_for(world.other_clerk).post(cancel, {"reason": "x"}).status_code == 404
    assert world.client_for(world.applicant).post(cancel, {"reason": "x"}).status_code == 404
    empty = world.client_for(world.clerk).post(cancel, {"reason": ""}, follow=True)
    assert "请填写理由" in empty.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CREATED
    done = world.client_for(world.clerk).post(cancel, {"reason": "会场调整"})
    assert done.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
