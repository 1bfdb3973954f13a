"""The generic machine of record moves (portal.workflow), shown on the review plan's table of moves, and
the helpers for membership checks and notices to an organisation's staff."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.urls import reverse

from portal import workflow
from portal.exceptions import InvalidTransition, PermissionDenied
from portal.models import Membership, Notification, RecordEvent, ReviewPlan, Role
from portal.plans import PLAN, plan_close, plan_publish
from portal.roles import is_member
from portal.services import notify_members
from tests import factories

pytestmark = pytest.mark.django_db


def _draft(world, **kwargs):
    params = dict(
        committee=world.committee,
        status=ReviewPlan.Status.DRAFT,
        document_no="衢人社发〔2026〕12号",
    )
    params.update(kwargs)
    return factories.PlanFactory(**params)


def _events(plan):
    return list(workflow.history(plan))


def test_a_legal_move_writes_one_history_row_naming_the_actor(world, frozen_clock):
    plan = _draft(world)
    plan_publish(plan=plan, actor=world.clerk)
    plan.refresh_from_db()
    assert plan.status == ReviewPlan.Status.PUBLISHED
    (event,) = _events(plan)
    assert (event.action, event.from_status, event.to_status) == ("publish", "draft", "published")
    assert (event.actor, event.actor_role, event.at) == (world.clerk, Role.CLERK, frozen_clock.now())


def test_a_move_from_the_wrong_state_is_refused_and_changes_nothing(world):
    plan = _draft(world)
    with pytest.raises(InvalidTransition, match="当前状态为“草稿”，不能执行“结束评审计划”"):
        plan_close(plan=plan, actor=world.clerk)
    plan.refresh_from_db()
    assert plan.status == ReviewPlan.Status.DRAFT and not _events(plan)


def test_a_wrong_actor_is_refused_and_changes_nothing(world):
    plan = _draft(world)
    for outsider in (world.other_clerk, world.officer, world.hr, None):
        with pytest.raises(PermissionDenied):
            plan_publish(plan=plan, actor=outsider)
    plan.refresh_from_db()
    assert plan.status == ReviewPlan.Status.DRAFT and not _events(plan)


def test_taking_the_same_move_twice_changes_nothing_the_second_time(world):
    plan = _draft(world)
    plan_publish(plan=plan, actor=world.clerk)
    with pytest.raises(InvalidTransition):
        plan_publish(plan=plan, actor=world.clerk)
    plan.refresh_from_db()
    assert plan.status == ReviewPlan.Status.PUBLISHED and len(_events(plan)) == 1


def test_a_guard_refuses_with_its_reason_and_changes_nothing(world):
    plan = _draft(world, document_no="")
    with pytest.raises(InvalidTransition, match="发文的文号"):
        plan_publish(plan=plan, actor=world.clerk)
    plan.refresh_from_db()
    assert plan.status == ReviewPlan.Status.DRAFT and not _events(plan)


def test_available_offers_only_the_moves_this_user_may_take_now(world):
    plan = _draft(world)
    assert [m.action for m in PLAN.available(plan, world.clerk)] == ["publish"]
    assert PLAN.available(plan, world.other_clerk) == []
    assert PLAN.available(_draft(world, document_no=""), world.clerk) == []  # the guard refuses
    plan = plan_publish(plan=plan, actor=world.clerk)
    assert [m.action for m in PLAN.available(plan, world.clerk)] == ["close"]


def test_history_lists_the_moves_oldest_first_with_their_actors(world, frozen_clock):
    plan = _draft(world)
    plan_publish(plan=plan, actor=world.clerk)
    frozen_clock.advance(days=30)
    other_clerk = world.user("clerk3", Role.CLERK, world.committee)
    plan_close(plan=plan, actor=other_clerk, note="本年度评审结束")
    history = [(e.action, e.actor, e.note) for e in _events(plan)]
    assert history == [("publish", world.clerk, ""), ("close", other_clerk, "本年度评审结束")]
    # The history of one record is not another's.
    assert not _events(world.plan)


def test_notify_writes_its_notices_in_the_moves_transaction(world, django_capture_on_commit_callbacks):
    """The notices commit with the move: a crash after commit cannot lose them."""
    plan = _draft(world)
    seen = []
    with django_capture_on_commit_callbacks() as callbacks:
        PLAN.take(plan, "publish", actor=world.clerk, notify=lambda p: seen.append(p.status))
    assert seen == [ReviewPlan.Status.PUBLISHED] and callbacks == []


def test_a_refused_move_runs_no_notify(world):
    plan = _draft(world)
    seen = []
    with pytest.raises(PermissionDenied):
        PLAN.take(plan, "publish", actor=world.hr, notify=lambda p: seen.append(p.status))
    assert seen == []


def test_a_table_naming_an_unknown_state_is_refused():
    with pytest.raises(ImproperlyConfigured, match="archived"):
        workflow.Machine(ReviewPlan, [workflow.move("archive", {"closed"}, "archived", "归档")])


def test_the_office_page_publishes_in_the_clerks_name(world):
    plan = _draft(world)
    world.client_for(world.clerk).post(reverse("office_plan_publish", args=[plan.code]))
    assert [(e.action, e.actor) for e in _events(plan)] == [("publish", world.clerk)]


# ---------------------------------------------------------------- membership helpers


def test_is_member_reads_active_memberships_with_the_role(world):
    assert is_member(world.clerk, world.committee.pk, Role.CLERK)
    assert not is_member(world.clerk, world.other_committee.pk, Role.CLERK)
    assert not is_member(world.clerk, world.committee.pk, Role.OFFICER)
    assert not is_member(world.clerk, None, Role.CLERK)
    assert not is_member(None, world.committee.pk, Role.CLERK)
    gone = world.user("clerk_gone", Role.CLERK, world.committee)
    Membership.objects.filter(user=gone).update(is_active=False)
    assert not is_member(gone, world.committee.pk, Role.CLERK)


def test_notify_members_tells_each_active_member_with_the_role_once(world):
    second = world.user("hr_b", Role.HR, world.employer)
    world.user("hr_gone", Role.HR, world.employer).memberships.update(is_active=False)
    sent = notify_members(
        organisation=world.employer, role=Role.HR, message="请审核。", link="/audit/", dedupe_key="k1"
    )
    assert sent == 2
    assert set(Notification.objects.values_list("user", flat=True)) == {world.hr.pk, second.pk}
    assert (
        notify_members(organisation=world.employer.pk, role=Role.HR, message="请审核。", dedupe_key="k1") == 0
    )
    assert notify_members(organisation=[world.other_employer.pk, None], role=Role.HR, message="x") == 1
    assert notify_members(organisation=None, role=Role.HR, message="x") == 0


# ---------------------------------------------------------------- row lock


@pytest.mark.django_db(transaction=True)
def test_two_clerks_publishing_at_once_make_one_move(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    plan = _draft(world)
    second = world.user("clerk3", Role.CLERK, world.committee)
    barrier = threading.Barrier(2)
    results = []

    def publish(actor):
        try:
            barrier.wait()
            plan_publish(plan=ReviewPlan.objects.get(pk=plan.pk), actor=actor)
            results.append("ok")
        except InvalidTransition:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(actor,)) for actor in (world.clerk, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert RecordEvent.objects.filter(object_id=str(plan.pk), action="publish").count() == 1
