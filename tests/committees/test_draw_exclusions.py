"""The draw counts every exclusion by reason, on the meeting page and in its record; a filing refused
because the frozen pool could not fill the panel says how many are eligible, why the others are out and
what the office can do, in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from committees import services
from committees.exceptions import CommitteeError
from committees.models import DrawFiling, DrawRecord, Expert, Meeting

pytestmark = pytest.mark.django_db


def _unbind(experts):
    for expert in experts:
        expert.user = None
        expert.save()


def test_a_refusal_counts_the_experts_without_an_account_and_points_to_the_invitation(cw):
    _unbind(cw.experts)
    meeting = cw.meeting(cw.awaiting_meeting(1))
    with pytest.raises(CommitteeError) as refused:
        services.meeting_file(meeting=meeting, actor=cw.w.officer)
    assert refused.value.message == (
        "符合条件的专家仅0人，不足执行委员会人数7人。专家库16人中：16人尚未开通账号，可在专家库页面邀请开通。"
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CREATED and not DrawFiling.objects.exists()


def test_a_refusal_names_each_reason_with_its_count(cw, world):
    _unbind(cw.experts[:5])
    for expert in cw.experts[5:11]:
        expert.active_until = dt.date(2021, 1, 1)
        expert.save()
    meeting = cw.meeting(cw.awaiting_meeting(1))
    response = world.client_for(world.officer).post(
        reverse("committees:meeting_file", args=[meeting.pk]), follow=True
    )
    text = response.content.decode()
    assert "符合条件的专家仅5人，不足执行委员会人数7人" in text
    assert "5人尚未开通账号，可在专家库页面邀请开通" in text and "6人不在入库有效期内" in text


def test_an_empty_pool_says_to_import_experts(cw, world):
    meeting = cw.meeting(cw.awaiting_meeting(1))
    Expert.objects.filter(committee=world.committee).delete()
    with pytest.raises(CommitteeError, match="专家库中没有专家"):
        services.meeting_file(meeting=meeting, actor=world.officer)


def test_the_meeting_page_counts_the_exclusions_of_the_stored_draw(cw, world):
    apps = cw.awaiting_meeting(1)
    _unbind(cw.experts[:1])
    colleague = cw.experts[1]
    colleague.employer = world.employer  # the applicant's employer: a derived conflict
    colleague.save()
    meeting = cw.drawn(apps)
    record = DrawRecord.objects.get(meeting=meeting)
    name = {pk: p for p, pk in meeting.draw_filing.members.items()}
    kinds = {x["expert"]: (x["kind"], x.get("conflict_kind")) for x in record.exclusions}
    assert kinds[name[cw.experts[0].pk]] == ("no_account", None)
    assert kinds[name[colleague.pk]] == ("conflict", "same_employer")
    summary = {r["label"]: r["count"] for r in services.exclusion_summary(record.exclusions)}
    assert summary == {"尚未开通账号": 1, "须回避（与申报人同一工作单位）": 1}
    # Before the start the office and the bureau see the counts, not the names.
    text = (
        world.client_for(world.officer).get(reverse("committees:meeting", args=[meeting.pk])).content.decode()
    )
    assert "排除原因统计" in text and "须回避（与申报人同一工作单位）" in text and colleague.name not in text
