"""A drawn expert confirms attendance from 我的评审任务: the meeting's dossiers open to them then (and to
no one else), once, before the start; declining afterwards closes them again at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from applications.permissions import DOSSIER_PERMISSION
from committees import services
from committees.exceptions import InvalidTransition, PermissionDenied
from committees.models import DrawEntry

pytestmark = pytest.mark.django_db


def _dossier(world, user, application) -> int:
    return world.client_for(user).get(reverse("applications:dossier", args=[application.pk])).status_code


def _entries(meeting):
    return list(DrawEntry.objects.filter(draw__meeting=meeting, on_panel=True).select_related("expert__user"))


def test_confirming_opens_the_dossiers_to_that_expert_only(cw, world):
    apps = cw.awaiting_meeting(2)
    meeting = cw.drawn(apps)
    first, second = _entries(meeting)[:2]
    assert _dossier(world, first.expert.user, apps[0]) in (403, 404)
    response = world.client_for(first.expert.user).post(
        reverse("committees:accept", args=[first.pk]), follow=True
    )
    assert "已确认参会" in response.content.decode()
    first.refresh_from_db()
    assert first.accepted_at is not None
    assert all(first.expert.user.has_perm(DOSSIER_PERMISSION, a) for a in apps)
    assert _dossier(world, first.expert.user, apps[0]) == 200
    # The other experts of the panel have not confirmed: nothing yet.
    assert not second.expert.user.has_perm(DOSSIER_PERMISSION, apps[0])
    assert _dossier(world, second.expert.user, apps[0]) in (403, 404)
    # The office is told.
    assert world.clerk.notifications.filter(message__contains="已确认参加").exists()


def test_only_the_expert_confirms_once_and_before_the_start(cw, world):
    apps = cw.awaiting_meeting(1)
    meeting = cw.drawn(apps)
    entry, other = _entries(meeting)[:2]
    with pytest.raises(PermissionDenied):
        services.draw_entry_accept(entry=entry, actor=other.expert.user)
    with pytest.raises(PermissionDenied):
        services.draw_entry_accept(entry=entry, actor=world.clerk)
    # Someone else's invitation is not found from the page.
    assert (
        world.client_for(other.expert.user).post(reverse("committees:accept", args=[entry.pk])).status_code
        == 404
    )
    services.draw_entry_accept(entry=entry, actor=entry.expert.user)
    with pytest.raises(InvalidTransition):
        services.draw_entry_accept(entry=entry, actor=entry.expert.user)


def test_a_reserve_cannot_confirm_and_a_decline_after_confirming_closes_the_dossiers(cw, world):
    apps = cw.awaiting_meeting(1)
    meeting = cw.drawn(apps)
    reserve = (
        DrawEntry.objects.filter(draw__meeting=meeting, drawn_as="reserve").select_related("expert").first()
    )
    with pytest.raises(InvalidTransition, match="备选专家"):
        services.draw_entry_accept(entry=reserve, actor=reserve.expert.user)
    entry = _entries(meeting)[0]
    services.draw_entry_accept(entry=entry, actor=entry.expert.user)
    assert _dossier(world, entry.expert.user, apps[0]) == 200
    services.draw_entry_decline(entry=entry, actor=entry.expert.user, reason="临时出差")
    assert _dossier(world, entry.expert.user, apps[0]) in (403, 404)
    with pytest.raises(InvalidTransition, match="不能参会"):
        services.draw_entry_accept(entry=entry, actor=entry.expert.user)


def test_a_started_meeting_needs_no_confirmation_and_a_recusal_still_closes_one_dossier(cw, world):
    apps = cw.awaiting_meeting(2)
    meeting = cw.drawn(apps)
    entry = _entries(meeting)[0]
    services.draw_entry_accept(entry=entry, actor=entry.expert.user)
    cw.clock.set(dt.datetime.combine(meeting.held_on, dt.time(1, 0), tzinfo=dt.UTC))
    meeting = services.meeting_start(meeting=meeting, actor=world.clerk)
    # Started: the whole panel reads the dossiers; confirming is over.
    other = _entries(meeting)[1]
    assert _dossier(world, other.expert.user, apps[0]) == 200
    with pytest.raises(InvalidTransition):
        services.draw_entry_accept(entry=other, actor=other.expert.user)
    services.recusal_add(
        meeting=meeting, expert=entry.expert, application=apps[0], actor=world.clerk, reason="近亲属"
    )
    assert _dossier(world, entry.expert.user, apps[0]) in (403, 404)
    assert _dossier(world, entry.expert.user, apps[1]) == 200
