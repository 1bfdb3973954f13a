"""The expert draw: committed seed, frozen pool, recorded exclusions, replay, reserves, confidentiality."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from committees import draw, services
from committees.exceptions import CommitteeError, InvalidTransition
from committees.models import DrawEntry, DrawRecord, ExpertUnavailability, Meeting

pytestmark = pytest.mark.django_db


def _replay(meeting) -> str:
    out = StringIO()
    call_command("replay_draw", str(meeting.pk), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_seed_is_committed_at_filing_and_revealed_at_the_start(cw):
    meeting = cw.filed()
    assert len(meeting.seed_hash) == 64
    assert hashlib.sha256(meeting.seed.encode()).hexdigest() == meeting.seed_hash
    assert meeting.seed_revealed_at is None
    services.meeting_draw_experts(meeting=meeting, actor=cw.w.clerk)
    meeting.refresh_from_db()
    assert meeting.draw.seed_hash == meeting.seed_hash
    cw.clock.set(dt.datetime.combine(meeting.held_on, dt.time(1, 0), tzinfo=dt.UTC))
    services.meeting_start(meeting=meeting, actor=cw.w.clerk)
    meeting.refresh_from_db()
    assert meeting.seed_revealed_at is not None


def test_the_panel_is_odd_with_as_many_reserves_and_the_record_replays(cw):
    meeting = cw.started()
    entries = list(meeting.draw.entries.order_by("position"))
    assert [e.drawn_as for e in entries] == ["panel"] * 7 + ["reserve"] * 7
    assert "一致" in _replay(meeting)


def test_the_draw_is_a_function_of_pool_exclusions_seed_and_version(cw):
    meeting = cw.started()
    record = meeting.draw
    recorded = [x for x in record.exclusions if x["kind"] in draw.RECORDED_KINDS]
    args = dict(
        pool=record.pool,
        filters=record.filters,
        recorded=recorded,
        version=record.algorithm_version,
        panel_size=7,
        reserve_count=7,
    )
    first = draw.compute(seed=meeting.seed, **args)
    assert draw.compute(seed=meeting.seed, **args) == first
    assert draw.compute(seed="0" * 64, **args).order != first.order


def test_a_mutated_pool_makes_replay_report_a_mismatch(cw):
    meeting = cw.started()
    record = meeting.draw
    drawn_first = record.entries.get(position=1).expert_id
    # Remove the first drawn expert from the stored pool: the recomputed panel differs.
    DrawRecord.objects.filter(pk=record.pk).update(pool=[s for s in record.pool if s["id"] != drawn_first])
    with pytest.raises(CommandError, match="不一致：执行委员第1位"):
        _replay(meeting)


def test_an_edit_that_keeps_the_panel_still_breaks_the_record_digest(cw):
    meeting = cw.started()
    record = meeting.draw
    pool = [dict(s, name=s["name"] + "改") for s in record.pool]
    DrawRecord.objects.filter(pk=record.pk).update(pool=pool)
    with pytest.raises(CommandError, match="摘要"):
        _replay(meeting)


def test_a_seed_that_does_not_match_its_commitment_is_reported(cw):
    meeting = cw.started()
    Meeting.objects.filter(pk=meeting.pk).update(seed="f" * 64)
    with pytest.raises(CommandError, match="SHA-256不符"):
        _replay(meeting)


def test_replay_waits_for_the_seed_to_be_revealed(cw):
    meeting = cw.drawn()
    with pytest.raises(CommandError, match="尚未公开"):
        _replay(meeting)
    out = StringIO()
    call_command("replay_draw", str(meeting.pk), "--force", stdout=out)
    assert "一致" in out.getvalue()


def test_exclusions_are_recorded_with_their_reasons(cw):
    apps = cw.awaiting_meeting(1)
    away, no_account, junior = cw.experts[0], cw.experts[1], cw.experts[2]
    no_account.user = None
    no_account.save()
    junior.title = cw.quals[2]  # 助理工程师: below the level under review
    junior.save()
    meeting = cw.filed(apps)
    ExpertUnavailability.objects.create(
        expert=away, start=meeting.held_on, end=meeting.held_on, reason="出国"
    )
    services.meeting_draw_experts(meeting=meeting, actor=cw.w.clerk)
    record = DrawRecord.objects.get(meeting=meeting)
    reasons = {x["id"]: (x["kind"], x["reason"]) for x in record.exclusions}
    assert reasons[away.pk] == ("unavailable", "不能参会：出国")
    assert reasons[no_account.pk][0] == "no_account"
    assert reasons[junior.pk][0] == "title_level"
    # The frozen pool is this committee's own: another committee's experts are not in it.
    assert cw.outsider_expert_user.expert.pk not in {s["id"] for s in record.pool}
    drawn = set(DrawEntry.objects.filter(draw__meeting=meeting).values_list("expert_id", flat=True))
    assert not drawn & {away.pk, no_account.pk, junior.pk}


def test_the_draw_needs_the_filing_and_happens_once(cw):
    meeting = cw.meeting(cw.awaiting_meeting(1))
    with pytest.raises(InvalidTransition, match="备案"):
        services.meeting_draw_experts(meeting=meeting, actor=cw.w.clerk)
    services.meeting_file(meeting=meeting, actor=cw.w.officer)
    services.meeting_draw_experts(meeting=meeting, actor=cw.w.clerk)
    with pytest.raises(InvalidTransition):
        services.meeting_draw_experts(meeting=meeting, actor=cw.w.clerk)
    assert DrawEntry.objects.filter(draw__meeting=meeting).count() == 14


def test_a_pool_too_small_for_the_panel_draws_nobody(cw):
    meeting = cw.filed(cw.awaiting_meeting(1))
    for expert in cw.experts[4:]:
        expert.active_until = dt.date(2021, 1, 1)
        expert.save()
    with pytest.raises(CommitteeError, match="不足执行委员会人数7人"):
        services.meeting_draw_experts(meeting=meeting, actor=cw.w.clerk)
    assert not DrawRecord.objects.exists()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.FILED


def test_a_decline_brings_in_the_next_reserve_in_drawn_order(cw):
    meeting = cw.drawn()
    first, second = (DrawEntry.objects.get(draw__meeting=meeting, position=p) for p in (1, 2))
    promoted = services.draw_entry_decline(entry=first, actor=first.expert.user, reason="当日出差")
    assert promoted.position == 8 and promoted.replaces_id == first.pk
    promoted_again = services.draw_entry_decline(entry=second, actor=cw.w.clerk, reason="身体原因")
    assert promoted_again.position == 9
    first.refresh_from_db()
    assert (first.on_panel, first.decline_reason) == (False, "当日出差")
    assert DrawEntry.objects.filter(draw__meeting=meeting, on_panel=True).count() == 7
    with pytest.raises(InvalidTransition):
        services.draw_entry_decline(entry=first, actor=first.expert.user, reason="再次")
    cw.clock.set(dt.datetime.combine(meeting.held_on, dt.time(1, 0), tzinfo=dt.UTC))
    services.meeting_start(meeting=meeting, actor=cw.w.clerk)
    assert "一致" in _replay(meeting)


def test_a_promotion_out_of_order_is_reported_by_replay(cw):
    meeting = cw.drawn()
    first = DrawEntry.objects.get(draw__meeting=meeting, position=1)
    promoted = services.draw_entry_decline(entry=first, actor=cw.w.clerk, reason="出差")
    later = DrawEntry.objects.get(draw__meeting=meeting, position=10)
    DrawEntry.objects.filter(pk=promoted.pk).update(replaces=None, on_panel=False, promoted_at=None)
    DrawEntry.objects.filter(pk=later.pk).update(
        replaces=first, on_panel=True, promoted_at=promoted.promoted_at
    )
    cw.clock.set(dt.datetime.combine(meeting.held_on, dt.time(1, 0), tzinfo=dt.UTC))
    services.meeting_start(meeting=meeting, actor=cw.w.clerk)
    with pytest.raises(CommandError, match="递补"):
        _replay(meeting)


def test_an_expert_sees_only_their_own_invitation_until_the_meeting_starts(cw):
    meeting = cw.drawn()
    entries = list(
        DrawEntry.objects.filter(draw__meeting=meeting).select_related("expert").order_by("position")
    )
    panel, reserve = entries[0].expert, entries[-1].expert
    client = cw.w.client_for(panel.user)
    page = client.get(reverse("committees:my_meetings")).content.decode()
    assert meeting.title in page
    assert entries[1].expert.name not in page
    assert client.get(reverse("committees:meeting", args=[meeting.pk])).status_code == 404
    # A reserve not (yet) called in learns nothing.
    assert (
        meeting.title
        not in cw.w.client_for(reserve.user).get(reverse("committees:my_meetings")).content.decode()
    )
    # The office sees counts, not names, until the start.
    office = (
        cw.w.client_for(cw.w.clerk).get(reverse("committees:meeting", args=[meeting.pk])).content.decode()
    )
    assert "抽取结果在会议开始前保密" in office
    assert all(e.expert.name not in office for e in entries)
    assert meeting.seed not in office and meeting.seed_hash in office


def test_after_the_start_participants_see_the_panel_and_the_seed(cw):
    meeting = cw.started()
    panel = cw.panel(meeting)
    page = (
        cw.w.client_for(panel[0].user).get(reverse("committees:meeting", args=[meeting.pk])).content.decode()
    )
    office = (
        cw.w.client_for(cw.w.clerk).get(reverse("committees:meeting", args=[meeting.pk])).content.decode()
    )
    assert meeting.seed in office
    assert all(e.name in office for e in panel)
    assert meeting.title in page


def test_the_admin_keeps_the_draw_and_the_seed_confidential_until_the_start(cw, world):
    meeting = cw.drawn()
    root = world.user("root", "auditor", world.bureau)
    root.is_superuser = root.is_staff = True
    root.save()
    admin = world.client_for(root)
    names = [e.expert.name for e in DrawEntry.objects.filter(draw__meeting=meeting).select_related("expert")]
    pages = [
        admin.get(reverse("admin:committees_drawentry_changelist")).content.decode(),
        admin.get(reverse("admin:committees_meeting_change", args=[meeting.pk])).content.decode(),
    ]
    for page in pages:
        assert meeting.seed not in page
        assert not any(f">{name}<" in page for name in names)
    cw.clock.set(dt.datetime.combine(meeting.held_on, dt.time(1, 0), tzinfo=dt.UTC))
    services.meeting_start(meeting=meeting, actor=world.clerk)
    assert names[0] in admin.get(reverse("admin:committees_drawentry_changelist")).content.decode()
