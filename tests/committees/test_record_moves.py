"""The committees' records move through their tables (committees.workflow) and leave a history naming
the actor: review authority, pilot applications, meetings and result filings."""

from __future__ import annotations

import pytest

from committees import services
from committees.exceptions import InvalidTransition, PermissionDenied
from committees.models import Meeting, PilotApplication, ResultFiling
from committees.workflow import MEETING
from portal import authority as authority_services
from portal import clock
from portal.authority import AUTHORITY
from portal.models import CommitteeAuthority
from portal.workflow import history
from tests.committees.test_authority import PILOT_FORM, _pilot_world

pytestmark = pytest.mark.django_db


def _moves(record) -> list[tuple]:
    return [(e.action, e.from_status, e.to_status, e.actor) for e in history(record)]


# ---------------------------------------------------------------- authority


def test_suspend_then_reinstate_leaves_two_rows_with_their_actors(cw, world):
    second_officer = world.user("officer3", "officer", world.bureau)
    authority_services.authority_set_status(
        authority=cw.authority, actor=world.officer, status="suspended", reason="评审程序不规范，限期整改"
    )
    authority_services.authority_set_status(
        authority=cw.authority, actor=second_officer, status="active", reason="整改完成"
    )
    assert _moves(cw.authority) == [
        ("suspend", "active", "suspended", world.officer),
        ("reinstate", "suspended", "active", second_officer),
    ]
    assert [e.note for e in history(cw.authority)] == ["评审程序不规范，限期整改", "整改完成"]


def test_an_authority_move_from_the_wrong_state_or_by_the_wrong_actor_changes_nothing(cw, world):
    with pytest.raises(InvalidTransition, match="评审权当前为“有效”，不能恢复评审权"):
        authority_services.authority_set_status(
            authority=cw.authority, actor=world.officer, status="active", reason=""
        )
    with pytest.raises(PermissionDenied):
        authority_services.authority_set_status(
            authority=cw.authority, actor=world.other_officer, status="suspended", reason="x"
        )
    with pytest.raises(PermissionDenied):  # the table checks the actor too, whoever calls it
        AUTHORITY.take(cw.authority, "suspend", actor=world.clerk)
    cw.authority.refresh_from_db()
    assert cw.authority.status == CommitteeAuthority.Status.ACTIVE and not _moves(cw.authority)
    authority_services.authority_set_status(
        authority=cw.authority, actor=world.officer, status="withdrawn", reason="违规"
    )
    with pytest.raises(InvalidTransition, match="需重新核准备案"):
        authority_services.authority_set_status(
            authority=cw.authority, actor=world.officer, status="withdrawn", reason="x"
        )
    assert len(_moves(cw.authority)) == 1


# ---------------------------------------------------------------- pilot applications


def test_a_pilot_district_audit_and_filing_are_recorded_with_their_actors(cw, world):
    unit, hr, district_officer = _pilot_world(world)
    pilot = services.pilot_apply(unit=unit, actor=hr, specialties=[cw.specialty], **PILOT_FORM)
    with pytest.raises(PermissionDenied):
        services.pilot_district_audit(pilot=pilot, actor=world.officer, approve=True, opinion="同意")
    services.pilot_district_audit(pilot=pilot, actor=district_officer, approve=True, opinion="同意试点")
    with pytest.raises(InvalidTransition, match="该申请已审核"):
        services.pilot_district_audit(pilot=pilot, actor=district_officer, approve=False, opinion="不同意")
    services.pilot_file(pilot=pilot, actor=world.officer, document_no="绍人社发〔2026〕9号")
    pilot.refresh_from_db()
    assert pilot.status == PilotApplication.Status.FILED
    assert _moves(pilot) == [
        ("district_approve", "submitted", "district_approved", district_officer),
        ("file", "district_approved", "filed", world.officer),
    ]


# ---------------------------------------------------------------- meetings


def _close_with_votes(cw, meeting, apps):
    for expert in cw.present_experts(meeting):
        for application in apps:
            services.ballot_cast(meeting=meeting, application=application, user=expert.user, choice="agree")
    return services.meeting_close(meeting=meeting, actor=cw.w.clerk)


def test_every_move_of_a_meeting_names_its_actor(cw, world):
    apps = cw.awaiting_meeting(1)
    meeting = cw.voting(apps)
    _close_with_votes(cw, meeting, apps)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
    assert _moves(meeting) == [
        ("file", "created", "filed", world.officer),
        ("draw", "filed", "drawn", world.clerk),
        ("start", "drawn", "started", world.clerk),
        ("open_voting", "started", "voting", world.clerk),
        ("close", "voting", "closed", world.clerk),
    ]
    assert [e.actor_role for e in history(meeting)] == ["officer", "clerk", "clerk", "clerk", "clerk"]


def test_a_meeting_move_from_the_wrong_state_or_by_the_wrong_actor_changes_nothing(cw, world):
    meeting = cw.filed()
    with pytest.raises(InvalidTransition, match="会议已备案（会议当前状态：已备案，待抽取专家）"):
        services.meeting_file(meeting=meeting, actor=world.officer)
    with pytest.raises(InvalidTransition, match="会议须已备案并抽取专家"):
        services.meeting_start(meeting=meeting, actor=world.clerk)
    with pytest.raises(PermissionDenied):
        services.meeting_draw_experts(meeting=meeting, actor=world.other_clerk)
    with pytest.raises(PermissionDenied):
        MEETING.take(meeting, "draw", actor=world.officer)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.FILED
    assert _moves(meeting) == [("file", "created", "filed", world.officer)]
    assert [m.action for m in MEETING.available(meeting, world.clerk)] == ["draw", "cancel"]
    assert MEETING.available(meeting, world.officer) == []


# ---------------------------------------------------------------- result filings


def _filing(world) -> ResultFiling:
    return ResultFiling.objects.create(
        committee=world.committee,
        title="2026年度评审结果备案表",
        created_by=world.clerk,
        created_at=clock.now(),
    )


def test_a_filing_approval_is_recorded_once_with_the_officer(world):
    filing = _filing(world)
    with pytest.raises(PermissionDenied):
        services.filing_approve(filing=filing, actor=world.other_officer, document_no="绍人社〔2026〕2号")
    filing.refresh_from_db()
    assert filing.status == ResultFiling.Status.SUBMITTED and not _moves(filing)
    services.filing_approve(filing=filing, actor=world.officer, document_no="衢人社职〔2026〕8号")
    with pytest.raises(InvalidTransition, match="该备案已核准"):
        services.filing_approve(filing=filing, actor=world.officer, document_no="另一文号")
    filing.refresh_from_db()
    assert filing.approval_document_no == "衢人社职〔2026〕8号"
    assert _moves(filing) == [("approve", "submitted", "approved", world.officer)]
    assert history(filing).get().data == {"document_no": "衢人社职〔2026〕8号"}
