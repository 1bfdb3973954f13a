"""The expert draw: committed secret, frozen pool and exclusions, replay, reserves, confidentiality."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from committees import draw, services
from committees.exceptions import CommitteeError, InvalidTransition
from committees.models import DrawEntry, DrawFiling, DrawRecord, ExpertUnavailability, Meeting

pytestmark = pytest.mark.django_db


def _replay(meeting) -> str:
    out = StringIO()
    call_command("replay_draw", str(meeting.pk), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_secret_is_committed_at_filing_and_revealed_by_the_draw(cw):
    meeting = cw.filed()
    filing = DrawFiling.objects.get(meeting=meeting)
    assert len(meeting.seed_hash) == 64 and filing.commitment == meeting.seed_hash
    assert meeting.seed_revealed_at is None
    record = services.meeting_draw_experts(meeting=meeting, actor=cw.w.clerk)
    assert hashlib.sha256(bytes.fromhex(record.secret)).hexdigest() == meeting.seed_hash
    assert len(bytes.fromhex(record.draw_random)) == 32
    cw.clock.set(dt.datetime.combine(meeting.held_on, dt.time(1, 0), tzinfo=dt.UTC))
    services.meeting_start(meeting=meeting, actor=cw.w.clerk)
    meeting.refresh_from_db()
    assert meeting.seed_revealed_at is not None


def test_the_panel_is_odd_with_as_many_reserves_and_the_record_replays(cw):
    meeting = cw.started()
    entries = list(meeting.draw.entries.order_by("position"))
    assert [e.drawn_as for e in entries] == ["panel"] * 7 + ["reserve"] * 7
    assert "一致" in _replay(meeting)


def test_the_draw_is_a_function_of_the_frozen_filing_the_secret_and_the_draw_random(cw):
    meeting = cw.started()
    record, filing = meeting.draw, meeting.draw_filing
    secret, draw_random = bytes.fromhex(record.secret), bytes.fromhex(record.draw_random)
    seed = draw.draw_seed(secret, draw_random, filing.digest)
    first = draw.compute(filing.frozen, seed=seed)
    assert draw.compute(filing.frozen, seed=seed) == first
    assert (
        draw.compute(filing.frozen, seed=draw.draw_seed(secret, bytes(32), filing.digest)).order
        != first.order
    )
    # The rank depends on the pool: the same secret and random value over another pool's digest differ.
    other = draw.draw_seed(secret, draw_random, "0" * 64)
    assert draw.compute(filing.frozen, seed=other).order != first.order


def test_an_edit_of_the_records_pool_copy_that_keeps_the_panel_is_reported(cw):
    meeting = cw.started()
    record = meeting.draw
    pool = [dict(s, title_level=s["title_level"] + 1) for s in record.pool]
    DrawRecord.objects.filter(pk=record.pk).update(pool=pool)
    with pytest.raises(CommandError, match="不一致"):
        _replay(meeting)


def test_a_secret_that_does_not_match_its_commitment_is_reported(cw):
    meeting = cw.started()
    DrawRecord.objects.filter(meeting=meeting).update(secret="f" * 64)
    with pytest.raises(CommandError, match="承诺值不符"):
        _replay(meeting)


def test_replay_waits_for_the_meeting_to_start(cw):
    meeting = cw.drawn()
    with pytest.raises(CommandError, match="尚未公开") as refused:
        _replay(meeting)
    assert refused.value.returncode == 2
    out = StringIO()
    call_command("replay_draw", str(meeting.pk), "--force", stdout=out)
    assert "一致" in out.getvalue()


def test_exclusions_are_frozen_with_their_reasons(cw):
    apps = cw.awaiting_meeting(1)
    away, no_account, junior = cw.experts[0], cw.experts[1], cw.experts[2]
    no_account.user = None
    no_account.save()
    junior.title = cw.quals[2]  # 助理工程师: below the level under review
    junior.save()
    meeting = cw.meeting(apps)
    ExpertUnavailability.objects.create(
        expert=away, start=meeting.held_on, end=meeting.held_on, reason="出国"
    )
    services.meeting_file(meeting=meeting, actor=cw.w.officer)
    services.meeting_draw_experts(meeting=meeting, actor=cw.w.clerk)
    record = DrawRecord.objects.get(meeting=meeting)
    filing = DrawFiling.objects.get(meeting=meeting)
    name = {pk: p for p, pk in filing.members.items()}
    kinds = {x["expert"]: x["kind"] for x in record.exclusions}
    assert kinds[name[away.pk]] == "unavailable" and filing.notes[name[away.pk]] == "不能参会：出国"
    assert kinds[name[no_account.pk]] == "no_account"
    assert kinds[name[junior.pk]] == "title_level"
    # The frozen pool is this committee's own: another committee's experts are not in it.
    assert cw.outsider_expert_user.expert.pk not in name
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


def test_a_pool_too_small_for_the_panel_cannot_be_filed(cw):
    meeting = cw.meeting(cw.awaiting_meeting(1))
    for expert in cw.experts[4:]:
        expert.active_until = dt.date(2021, 1, 1)
        expert.save()
    with pytest.raises(CommitteeError, match="不足执行委员会人数7人"):
        services.meeting_file(meeting=meeting, actor=cw.w.officer)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CREATED and not DrawFiling.objects.exists()


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
    assert meeting.draw.secret not in office and meeting.seed_hash in office


def test_after_the_start_participants_see_the_panel_and_the_seed(cw):
    meeting = cw.started()
    panel = cw.panel(meeting)
    page = (
        cw.w.client_for(panel[0].user).get(reverse("committees:meeting", args=[meeting.pk])).content.decode()
    )
    office = (
        cw.w.client_for(cw.w.clerk).get(reverse("committees:meeting", args=[meeting.pk])).content.decode()
    )
    assert meeting.draw.secret in office
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
        assert meeting.draw.secret not in page
        assert not any(f">{name}<" in page for name in names)
    cw.clock.set(dt.datetime.combine(meeting.held_on, dt.time(1, 0), tzinfo=dt.UTC))
    services.meeting_start(meeting=meeting, actor=world.clerk)
    assert names[0] in admin.get(reverse("admin:committees_drawentry_changelist")).content.decode()
