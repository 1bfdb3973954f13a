"""The state table, its one writer and the tamper-evident history."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from applications import services, workflow
from applications.chain import verify_chain
from applications.exceptions import DomainError, InvalidTransition, PermissionDenied
from applications.models import Application, ApplicationEvent
from applications.states import TERMINAL_STATES, State
from portal import clock

pytestmark = pytest.mark.django_db


def test_every_state_is_reachable_and_terminal_states_lead_nowhere():
    reachable = {State.DRAFT}
    frontier = [State.DRAFT]
    while frontier:
        for nxt in workflow.NEXT_STATES[frontier.pop()]:
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    assert reachable == set(State.values)
    for state in TERMINAL_STATES:
        assert workflow.NEXT_STATES[state] == frozenset()
    assert workflow.NEXT_STATES[State.CERTIFIED] == {State.REVOKED}


def test_a_double_submission_changes_nothing_twice(world):
    application = world.ready_draft()
    services.application_submit(application=application, actor=world.applicant)
    with pytest.raises(InvalidTransition, match="不能执行“提交申报”"):
        services.application_submit(application=application, actor=world.applicant)
    assert ApplicationEvent.objects.filter(application=application, action="submit").count() == 1


def test_only_the_applicant_submits(world):
    application = world.ready_draft()
    with pytest.raises(PermissionDenied):
        services.application_submit(application=application, actor=world.hr)
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_submission_lists_what_is_missing(world):
    application = world.draft()
    with pytest.raises(DomainError) as exc:
        services.application_submit(application=application, actor=world.applicant)
    assert "学历学位证书" in exc.value.message and "真实性保证书" in exc.value.message
    assert "工作总结" in exc.value.message


def test_exceptional_material_is_required_only_for_exceptional_applications(world):
    application = world.ready_draft(declaration_type="exceptional", exceptional_class="A")
    assert [m.code for m in services.missing_materials(application)] == ["exceptional_form"]


def test_withdraw_then_a_new_application_is_allowed(world):
    application = world.ready_draft()
    services.application_submit(application=application, actor=world.applicant)
    services.application_withdraw(application=application, actor=world.applicant, reason="材料准备不足")
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    assert application.events.last().note == "材料准备不足"
    again = services.application_create(
        applicant=world.applicant,
        plan=world.plan,
        qualification=world.quals[3],
        specialty=world.specialty,
        sub_specialty=world.specialty.subspecialties.first(),
        declaration_type="normal",
        channel="employer",
        recommending_org=world.employer,
    )
    assert again.state == State.DRAFT


def test_a_second_live_application_for_the_same_plan_is_refused(world):
    world.draft()
    with pytest.raises(DomainError, match="请在原申报上继续"):
        services.application_create(
            applicant=world.applicant,
            plan=world.plan,
            qualification=world.quals[3],
            specialty=world.specialty,
            sub_specialty=world.specialty.subspecialties.first(),
            declaration_type="normal",
            channel="employer",
            recommending_org=world.employer,
        )


def test_returned_application_is_resubmitted(world):
    application = world.ready_draft()
    services.application_submit(application=application, actor=world.applicant)
    # The employer's return is modelled by the workflow table (taken by HR through its own service).
    workflow.transition(
        application_id=application.pk, action="employer_return", actor=world.hr, note="学历证书不清晰"
    )
    services.application_resubmit(application=application, actor=world.applicant)
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_AUDIT
    assert list(application.events.values_list("action", flat=True)) == [
        "create",
        "sign_pledge",
        "submit",
        "employer_return",
        "resubmit",
    ]


def test_channel_must_match_the_organisation_kind(world):
    with pytest.raises(ValidationError) as exc:
        world.draft(channel="agency")
    assert "recommending_org" in exc.value.message_dict


def test_dispatched_workers_name_the_workplace(world):
    from tests.factories import OrganisationFactory

    dispatch = OrganisationFactory(kind="dispatch_company")
    with pytest.raises(ValidationError) as exc:
        world.draft(channel="dispatch", recommending_org=dispatch)
    assert "workplace" in exc.value.message_dict
    application = world.draft(
        channel="dispatch", recommending_org=dispatch, workplace=world.employer, serial=102
    )
    assert application.workplace == world.employer


def test_exam_based_series_have_no_initial_determination(world):
    series = world.quals[3].series
    series.exam_based = True
    series.save()
    with pytest.raises(ValidationError) as exc:
        world.draft(declaration_type="initial")
    assert "不进行职称初定" in exc.value.message_dict["declaration_type"][0]


def test_verify_audit_reports_an_altered_and_a_removed_row(world, capsys):
    application = world.ready_draft()
    services.application_submit(application=application, actor=world.applicant)
    call_command("verify_audit")
    assert "审计链完整" in capsys.readouterr().out

    submit = application.events.get(action="submit")
    ApplicationEvent.objects.filter(pk=submit.pk).update(note="改过的备注")
    with pytest.raises(CommandError, match="第3条：记录内容与其哈希不符"):
        call_command("verify_audit")

    ApplicationEvent.objects.filter(pk=submit.pk).update(note="")
    call_command("verify_audit")
    ApplicationEvent.objects.filter(pk=submit.pk).delete()  # the last row
    with pytest.raises(CommandError, match="记录条数或末条哈希"):
        call_command("verify_audit")


def test_verify_audit_names_a_removed_middle_row(world):
    application = world.ready_draft()
    services.application_submit(application=application, actor=world.applicant)
    application.events.get(action="sign_pledge").delete()
    with pytest.raises(CommandError, match="缺少第2条记录"):
        call_command("verify_audit")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_make_one_transition(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    application = world.ready_draft()
    results = []

    def submit():
        try:
            services.application_submit(
                application=Application.objects.get(pk=application.pk), actor=world.applicant
            )
            results.append("ok")
        except InvalidTransition:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert ApplicationEvent.objects.filter(application=application, action="submit").count() == 1
    call_command("verify_audit")


def test_a_move_stamped_by_a_clock_in_another_zone_still_verifies(world, monkeypatch):
    """The digest covers the time's text: it is taken in UTC, as the database gives it back."""
    beijing = dt.timezone(dt.timedelta(hours=8))
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 6, 1, 10, 0, 5, 123, tzinfo=beijing))
    application = world.submitted()
    application.refresh_from_db()
    events = list(ApplicationEvent.objects.filter(application=application).order_by("seq"))
    assert verify_chain(application, events) is None
