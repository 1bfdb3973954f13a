"""Conflicts of interest: declared and derived, dismissed only with a reason, checked again after the draw."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from applications.models import Achievement, WorkPeriod
from committees import services
from committees.exceptions import CommitteeError, InvalidTransition
from committees.models import Conflict, ConflictKind, DrawEntry, DrawRecord, Recusal
from portal.personal_data import id_digest
from tests import factories

pytestmark = pytest.mark.django_db


def _kinds(meeting, expert):
    return set(Conflict.objects.filter(meeting=meeting, expert=expert).values_list("kind", flat=True))


def test_conflicts_are_derived_from_the_portals_own_data(cw, world):
    application = cw.awaiting_meeting(1)[0]
    same, recent, coauthor, relative, declared = cw.experts[:5]
    same.employer = world.employer
    same.save()
    recent.employer_name = "衢州旧东家有限公司"
    recent.save()
    WorkPeriod.objects.create(
        archive=application.archive,
        employer_name="衢州旧东家有限公司",
        start=dt.date(2010, 7, 1),
        end=dt.date(2024, 12, 31),
    )
    Achievement.objects.create(
        archive=application.archive, kind="project", title="智能产线改造项目", date=dt.date(2023, 5, 1)
    )
    coauthor_archive = factories.ArchiveFactory(
        user=coauthor.user, id_number=factories.resident_id(serial=901)
    )
    Achievement.objects.create(
        archive=coauthor_archive, kind="project", title="智能产线改造 项目", date=dt.date(2023, 5, 1)
    )
    services.expert_declare_conflict(
        expert=relative,
        actor=relative.user,
        kind=ConflictKind.RELATIVE,
        reason="配偶",
        relative_name=application.archive.name,
        relative_id_number=application.archive.id_number.lower(),
    )
    services.expert_declare_conflict(
        expert=declared,
        actor=world.clerk,
        kind=ConflictKind.TEACHER_STUDENT,
        reason="研究生导师",
        application=application,
    )
    meeting = cw.meeting([application])
    world.client_for(world.clerk).post(reverse("committees:meeting_conflicts", args=[meeting.pk]))
    assert _kinds(meeting, same) == {ConflictKind.SAME_EMPLOYER}
    assert _kinds(meeting, recent) == {ConflictKind.RECENT_EMPLOYER}
    assert _kinds(meeting, coauthor) == {ConflictKind.SHARED_ACHIEVEMENT}
    assert _kinds(meeting, relative) == {ConflictKind.RELATIVE}
    assert Conflict.objects.get(meeting=meeting, expert=declared).source == Conflict.Source.DECLARED
    assert not _kinds(meeting, cw.experts[5])
    # Checked again: nothing is stored twice.
    assert services.meeting_check_conflicts(meeting=meeting, actor=world.clerk) == 0
    # The draw leaves every conflicted expert out, with the reason recorded.
    services.meeting_file(meeting=meeting, actor=world.officer)
    services.meeting_draw_experts(meeting=meeting, actor=world.clerk)
    record = DrawRecord.objects.get(meeting=meeting)
    filing = meeting.draw_filing
    name = {pk: p for p, pk in filing.members.items()}
    excluded = {x["expert"]: x for x in record.exclusions}
    for expert in (same, recent, coauthor, relative, declared):
        assert excluded[name[expert.pk]]["kind"] == "conflict"
        assert application.archive.name in filing.notes[name[expert.pk]]
    assert not DrawEntry.objects.filter(
        draw=record, expert__in=[same, recent, coauthor, relative, declared]
    ).exists()


def test_an_employment_that_ended_over_three_years_ago_is_no_conflict(cw, world):
    application = cw.awaiting_meeting(1)[0]
    expert = cw.experts[0]
    expert.employer_name = "很久以前的单位"
    expert.save()
    WorkPeriod.objects.create(
        archive=application.archive,
        employer_name="很久以前的单位",
        start=dt.date(2005, 7, 1),
        end=dt.date(2011, 6, 30),
    )
    meeting = cw.meeting([application])
    services.meeting_check_conflicts(meeting=meeting, actor=world.clerk)
    assert not _kinds(meeting, expert)


def test_a_derived_conflict_is_dismissed_only_with_a_reason(cw, world):
    application = cw.awaiting_meeting(1)[0]
    expert = cw.experts[0]
    expert.employer = world.employer
    expert.save()
    meeting = cw.meeting([application])
    services.meeting_check_conflicts(meeting=meeting, actor=world.clerk)
    conflict = Conflict.objects.get(meeting=meeting, expert=expert)
    client = world.client_for(world.clerk)
    response = client.post(
        reverse("committees:conflict_dismiss", args=[conflict.pk]), {"reason": ""}, follow=True
    )
    assert "须填写理由" in response.content.decode()
    conflict.refresh_from_db()
    assert conflict.dismissed_at is None
    client.post(
        reverse("committees:conflict_dismiss", args=[conflict.pk]),
        {"reason": "同一集团不同法人，不在同一部门"},
    )
    conflict.refresh_from_db()
    assert (
        conflict.dismissed_reason == "同一集团不同法人，不在同一部门" and conflict.dismissed_by == world.clerk
    )
    assert (
        world.client_for(world.other_clerk)
        .post(reverse("committees:conflict_dismiss", args=[conflict.pk]), {"reason": "x"})
        .status_code
        == 404
    )
    # A dismissed conflict no longer excludes the expert from the draw.
    services.meeting_file(meeting=meeting, actor=world.officer)
    services.meeting_draw_experts(meeting=meeting, actor=world.clerk)
    pseudonym = next(p for p, pk in meeting.draw_filing.members.items() if pk == expert.pk)
    assert all(x["expert"] != pseudonym for x in DrawRecord.objects.get(meeting=meeting).exclusions)
    # And the database refuses a dismissal without a reason.
    with pytest.raises(IntegrityError), transaction.atomic():
        Conflict.objects.filter(pk=conflict.pk).update(dismissed_reason="")


def test_a_declared_conflict_cannot_be_dismissed(cw, world):
    application = cw.awaiting_meeting(1)[0]
    expert = cw.experts[0]
    services.expert_declare_conflict(
        expert=expert,
        actor=expert.user,
        kind=ConflictKind.OTHER,
        reason="曾有经济往来",
        application=application,
    )
    meeting = cw.meeting([application])
    services.meeting_check_conflicts(meeting=meeting, actor=world.clerk)
    conflict = Conflict.objects.get(meeting=meeting, expert=expert)
    with pytest.raises(InvalidTransition, match="不能排除"):
        services.conflict_dismiss(conflict=conflict, actor=world.clerk, reason="无影响")


def test_an_employer_change_after_the_draw_recuses_the_expert(cw, world):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.drawn([application])
    expert = cw.panel(meeting)[0]
    former = expert.employer_name
    recusals = services.expert_change_employer(expert=expert, actor=world.clerk, employer=world.employer)
    assert [r.application for r in recusals] == [application]
    assert Recusal.objects.get(meeting=meeting, expert=expert).conflict.kind == ConflictKind.SAME_EMPLOYER
    assert expert.past_employments.get().employer_name == former
    # The recused expert does not vote on it and does not count in its denominator.
    cw.clock.set(dt.datetime.combine(meeting.held_on, dt.time(1, 0), tzinfo=dt.UTC))
    services.meeting_start(meeting=meeting, actor=world.clerk)
    panel = cw.panel(meeting)
    services.meeting_record_attendance(
        meeting=meeting, actor=world.clerk, present={e.pk: "on_site" for e in panel}
    )
    services.meeting_open_voting(meeting=meeting, actor=world.clerk)
    for e in panel:
        if e != expert:
            services.ballot_cast(meeting=meeting, application=application, user=e.user, choice="agree")
    result = services.meeting_close(meeting=meeting, actor=world.clerk)[0]
    assert (result.present, result.recused, result.entitled, result.agree) == (7, 1, 6, 6)


def test_an_expert_may_not_change_anothers_employer(cw, world):
    with pytest.raises(services.conflicts.PermissionDenied):
        services.expert_change_employer(
            expert=cw.experts[0], actor=cw.experts[1].user, employer_name="某单位"
        )
    with pytest.raises(CommitteeError):
        services.expert_change_employer(expert=cw.experts[0], actor=world.clerk, employer_name="")


def test_an_expert_declares_a_relative_from_their_page(cw, world):
    expert = cw.experts[0]
    client = world.client_for(expert.user)
    response = client.post(
        reverse("committees:declare"),
        {"kind": "relative", "reason": "配偶", "relative_name": "王某", "relative_id_number": ""},
        follow=True,
    )
    assert "证件号码" in response.content.decode()
    client.post(
        reverse("committees:declare"),
        {
            "kind": "relative",
            "reason": "配偶",
            "relative_name": "王某",
            "relative_id_number": factories.resident_id(serial=777),
        },
    )
    assert expert.declarations.count() == 1
    assert world.client_for(world.applicant).post(reverse("committees:declare"), {}).status_code == 403


def test_a_declared_relative_is_kept_by_the_keyed_hash_of_their_number_only(cw, world):
    expert = cw.experts[0]
    number = factories.resident_id(serial=778)
    services.expert_declare_conflict(
        expert=expert, actor=expert.user, kind=ConflictKind.RELATIVE, reason="配偶", relative_id_number=number
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM committees_conflictdeclaration")
        row = " ".join(str(value) for value in cursor.fetchone())
    assert number not in row and id_digest(number) in row
