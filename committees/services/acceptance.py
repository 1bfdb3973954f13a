"""A drawn expert confirms attendance (确认参会) from 我的评审任务; the meeting's dossiers open to them
from that moment (issue: reviewers read the file before the meeting), until it closes."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from portal import clock
from portal.models import Role
from portal.services import notify_members

from ..exceptions import InvalidTransition, PermissionDenied
from ..models import DrawEntry, Meeting
from .grants import dossier_grant_panel
from .meetings import _locked, _require_status


def draw_entry_accept(*, entry: DrawEntry, actor) -> DrawEntry:
    """The expert on the panel confirms they will attend; only the expert themself, before the start,
    once. Their dossier access is granted in the same transaction."""
    if entry.expert.user_id != actor.pk:
        raise PermissionDenied("只能由被抽取的专家本人确认参会。")
    with transaction.atomic():
        meeting = _locked(entry.draw.meeting)  # serialised with declines and the start
        _require_status(meeting, Meeting.Status.DRAWN, message="会议已开始或已结束，无需确认参会")
        row = DrawEntry.objects.select_for_update().get(pk=entry.pk)
        if row.declined_at is not None:
            raise InvalidTransition("您已登记不能参会。")
        if not row.on_panel:
            raise InvalidTransition("您是备选专家，递补为执行委员后再确认参会。")
        if row.accepted_at is not None:
            raise InvalidTransition("您已确认参会。")
        row.accepted_at = clock.now()
        row.save(update_fields=["accepted_at"])
        dossier_grant_panel(meeting, expert_id=row.expert_id)
        notify_members(
            organisation=meeting.committee_id,
            role=Role.CLERK,
            message=f"专家{row.expert.name}已确认参加{meeting.title}。",
            link=reverse("committees:meeting", args=[meeting.pk]),
            email=False,
        )
    return row
