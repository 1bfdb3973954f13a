"""Meetings from creation to approved results, through the pages (seed 004 一(三)–(五))."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from applications import publicity
from applications.states import State
from committees import services
from committees.exceptions import CommitteeError, PermissionDenied
from committees.models import Attendance, Meeting, MeetingApplication, MeetingResult, ResultFiling
from portal.models import TitleLevel

pytestmark = pytest.mark.django_db


def test_a_meeting_is_created_at_least_seven_days_ahead(cw, world):
    client = world.client_for(world.clerk)
    today = cw.clock.now().date()
    data = {
        "title": "工程师评审会",
        "held_on": (today + dt.timedelta(days=6)).isoformat(),
        "mode": "on_site",
        "level": TitleLevel.INTERMEDIATE,
        "place": "三楼",
    }
    response = client.post(reverse("committees:meeting_new"), data)
    assert response.status_code == 400
    assert "一周前创建" in response.content.decode()
    data["held_on"] = (today + dt.timedelta(days=7)).isoformat()
    assert client.post(reverse("committees:meeting_new"), data).status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.panel_size, meeting.reserve_count) == (7, 7)
    # The database refuses a meeting dated inside the week as well.
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(held_on=today + dt.timedelta(days=6))


def test_bad_meeting_input_is_a_chinese_form_error(cw, world):
    client = world.client_for(world.clerk)
    held_on = (cw.clock.now().date() + dt.timedelta(days=10)).isoformat()
    for data, text in [
        ({"title": "", "held_on": held_on, "mode": "on_site", "level": 3}, "该字段是必填项"),
        ({"title": "x", "held_on": "明天", "mode": "on_site", "level": 3}, "有效的日期"),
        ({"title": "x", "held_on": held_on, "mode": "on_site", "level": 3, "panel_size": 8}, "单数"),
        ({"title": "x", "held_on": held_on, "mode": "on_site", "level": 5}, "授权范围"),
    ]:
        response = client.post(reverse("committees:meeting_new"), data)
        assert response.status_code == 400
        assert text in response.content.decode(), text
    assert not Meeting.objects.exists()


def test_only_the_filing_bureau_files_and_only_complete_lists(cw, world):
    app = cw.awaiting_meeting(1)[0]
    meeting = cw.meeting()
    url = reverse("committees:meeting_file", args=[meeting.pk])
    response = world.client_for(world.officer).post(url, follow=True)
    assert "尚无评审对象" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CREATED  # an empty list cannot be filed
    services.meeting_assign(meeting=meeting, applications=[app], actor=world.clerk)
    assert world.client_for(world.clerk).post(url).status_code == 403
    assert world.client_for(world.other_officer).post(url).status_code == 404
    assert world.client_for(world.officer).get(url).status_code == 405
    world.client_for(world.officer).post(url, {"note": "同意备案"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.FILED and meeting.filed_by == world.officer
    assert "评前公示" in meeting.filing_summary and "同意备案" in meeting.filing_summary
    world.client_for(world.officer).post(url)  # a repeat changes nothing
    meeting.refresh_from_db()
    assert meeting.filed_by == world.officer and meeting.seed_hash


def test_the_list_is_fixed_by_the_filing(cw, world):
    a, b = cw.awaiting_meeting(2)
    meeting = cw.meeting([a, b])
    client = world.client_for(world.clerk)
    client.post(
        reverse("committees:meeting_unassign", args=[meeting.pk]), {"application": b.pk, "reason": "材料补正"}
    )
    b.refresh_from_db()
    assert b.state == State.AWAITING_MEETING
    services.meeting_file(meeting=meeting, actor=world.officer)
    response = client.post(
        reverse("committees:meeting_assign", args=[meeting.pk]), {"applications": [b.pk]}, follow=True
    )
    assert "评审名单不能再变更" in response.content.decode()
    b.refresh_from_db()
    assert b.state == State.AWAITING_MEETING
    assert MeetingApplication.objects.filter(meeting=meeting, removed_at__isnull=True).count() == 1


def test_assigning_twice_or_to_two_meetings_moves_once(cw, world):
    app = cw.awaiting_meeting(1)[0]
    first, second = (
        cw.meeting(),
        cw.meeting(title="第二场"),
    )  # created after the publicity, ahead of their date
    done, failed = services.meeting_assign(meeting=first, applications=[app], actor=world.clerk)
    assert len(done) == 1
    done, failed = services.meeting_assign(meeting=second, applications=[app], actor=world.clerk)
    assert not done and "不能执行" in failed[0][1]
    assert app.events.filter(action="assign_meeting").count() == 1


def test_voting_needs_the_quorum(cw, world):
    meeting = cw.started()
    panel = cw.panel(meeting)
    client = world.client_for(world.clerk)
    data = {f"expert_{e.pk}": ("on_site" if i < 4 else "absent") for i, e in enumerate(panel)}
    client.post(reverse("committees:meeting_attendance", args=[meeting.pk]), data)
    response = client.post(reverse("committees:meeting_open_voting", args=[meeting.pk]), follow=True)
    assert "不足执行委员会7人的三分之二" in response.content.decode()
    data[f"expert_{panel[4].pk}"] = "remote"
    client.post(reverse("committees:meeting_attendance", args=[meeting.pk]), data)
    client.post(reverse("committees:meeting_open_voting", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.VOTING
    assert Attendance.objects.get(meeting=meeting, expert=panel[4]).mode == "remote"
    # Attendance is fixed once voting opens.
    with pytest.raises(services.meetings.InvalidTransition):
        services.meeting_record_attendance(
            meeting=meeting, actor=world.clerk, present={panel[5].pk: "on_site"}
        )


def test_attendance_of_someone_not_on_the_panel_is_refused(cw, world):
    meeting = cw.started()
    outsider = next(e for e in cw.experts if e not in cw.panel(meeting))
    with pytest.raises(CommitteeError):
        services.meeting_record_attendance(
            meeting=meeting, actor=world.clerk, present={outsider.pk: "on_site"}
        )
    response = world.client_for(world.clerk).post(
        reverse("committees:meeting_attendance", args=[meeting.pk]),
        {f"expert_{cw.panel(meeting)[0].pk}": "flying"},
        follow=True,
    )
    assert "选择一个有效的选项" in response.content.decode()


def _close_with(cw, meeting, apps, choice="agree"):
    for expert in cw.present_experts(meeting):
        for a in apps:
            services.ballot_cast(meeting=meeting, application=a, user=expert.user, choice=choice)
    cw.w.client_for(cw.w.clerk).post(reverse("committees:meeting_close", args=[meeting.pk]))


def test_the_whole_stretch_to_approval_and_the_filing_form(cw, world, frozen_clock):
    apps = cw.awaiting_meeting(2)
    meeting = cw.voting(apps)
    _close_with(cw, meeting, apps)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
    assert {a.state for a in apps for a in [a.__class__.objects.get(pk=a.pk)]} == {State.PASSED}
    clerk = world.client_for(world.clerk)
    response = clerk.post(
        reverse("committees:meeting_publicise", args=[meeting.pk]),
        {
            "title": "2026年度工程师评审结果公示",
            "posted_on": frozen_clock.now().date().isoformat(),
            "working_days": 5,
        },
    )
    assert response.status_code == 302
    notice = apps[0].publicity_entries.get(notice__stage="result").notice
    frozen_clock.set(notice.ends_at)
    publicity.publicity_sweep()
    clerk.post(
        reverse("committees:meeting_filing", args=[meeting.pk]), {"title": "2026年度工程师评审结果备案表"}
    )
    filing = ResultFiling.objects.get()
    pdf = clerk.get(reverse("committees:filing_pdf", args=[filing.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert world.committee.name in text and apps[0].archive.name in text
    assert (
        world.client_for(world.clerk)
        .post(reverse("committees:filing_approve", args=[filing.pk]), {"document_no": "x"})
        .status_code
        == 403
    )
    assert (
        world.client_for(world.other_officer)
        .post(reverse("committees:filing_approve", args=[filing.pk]), {"document_no": "x"})
        .status_code
        == 404
    )
    assert Client().get(reverse("committees:public_result", args=[filing.pk])).status_code == 404
    response = world.client_for(world.officer).post(
        reverse("committees:filing_approve", args=[filing.pk]), {"document_no": ""}, follow=True
    )
    assert "请填写核准文号" in response.content.decode()
    world.client_for(world.officer).post(
        reverse("committees:filing_approve", args=[filing.pk]), {"document_no": "衢人社职〔2026〕8号"}
    )
    filing.refresh_from_db()
    assert filing.status == ResultFiling.Status.APPROVED
    for a in apps:
        a.refresh_from_db()
        assert a.state == State.APPROVED
        assert a.events.get(action="approve").actor == world.officer
    published = Client().get(reverse("committees:public_result", args=[filing.pk])).content.decode()
    assert apps[0].archive.name in published and "衢人社职〔2026〕8号" in published
    assert apps[0].archive.id_number not in published
    # A second approval changes nothing twice.
    world.client_for(world.officer).post(
        reverse("committees:filing_approve", args=[filing.pk]), {"document_no": "另一文号"}
    )
    filing.refresh_from_db()
    assert filing.approval_document_no == "衢人社职〔2026〕8号"
    assert apps[0].events.filter(action="approve").count() == 1


def test_the_filing_bureau_approves_even_when_it_is_not_the_receiving_one(cw, world, frozen_clock):
    world.committee.parent_bureau = world.other_bureau
    world.committee.save()
    apps = cw.awaiting_meeting(1)
    meeting = cw.meeting(apps)
    services.meeting_file(meeting=meeting, actor=world.other_officer)
    with pytest.raises(PermissionDenied):
        services.meeting_file(meeting=meeting, actor=world.officer)
    services.meeting_draw_experts(meeting=meeting, actor=world.clerk)
    frozen_clock.set(dt.datetime.combine(meeting.held_on, dt.time(1, 0), tzinfo=dt.UTC))
    services.meeting_start(meeting=meeting, actor=world.clerk)
    panel = cw.panel(meeting)
    services.meeting_record_attendance(
        meeting=meeting, actor=world.clerk, present={e.pk: "on_site" for e in panel}
    )
    services.meeting_open_voting(meeting=meeting, actor=world.clerk)
    _close_with(cw, meeting, apps)
    notice = services.results_publicise(
        committee=world.committee, applications=apps, actor=world.clerk, title="结果公示"
    )
    frozen_clock.set(notice.ends_at)
    publicity.publicity_sweep()
    filing = services.filing_create(
        committee=world.committee, applications=apps, actor=world.clerk, title="备案表"
    )
    with pytest.raises(PermissionDenied):
        services.filing_approve(filing=filing, actor=world.officer, document_no="x")
    services.filing_approve(filing=filing, actor=world.other_officer, document_no="绍人社〔2026〕2号")
    apps[0].refresh_from_db()
    assert apps[0].state == State.APPROVED


def test_results_statistics_and_exports(cw, world):
    apps = cw.awaiting_meeting(3)
    meeting = cw.voting(apps)
    experts = cw.present_experts(meeting)
    for i, e in enumerate(experts):
        services.ballot_cast(meeting=meeting, application=apps[0], user=e.user, choice="agree")
        services.ballot_cast(
            meeting=meeting, application=apps[1], user=e.user, choice="agree" if i < 5 else "abstain"
        )
        services.ballot_cast(meeting=meeting, application=apps[2], user=e.user, choice="disagree")
    services.meeting_close(meeting=meeting, actor=world.clerk)
    client = world.client_for(world.officer)
    page = client.get(reverse("committees:meeting_stats", args=[meeting.pk])).content.decode()
    assert "66.7%" in page and world.employer.name in page and "机电制造" in page
    book = load_workbook(
        io.BytesIO(client.get(reverse("committees:meeting_stats_export", args=[meeting.pk])).content)
    )
    rows = list(book.active.values)
    assert rows[1][:4] == ("合计", None, 3, 2) or rows[1][:4] == ("合计", "", 3, 2)
    results = load_workbook(
        io.BytesIO(client.get(reverse("committees:meeting_results", args=[meeting.pk])).content)
    )
    assert len(list(results.active.values)) == 4
    api = client.get(reverse("api-results", args=[meeting.pk])).json()
    assert sorted(r["agree"] for r in api["results"]) == [0, 5, 7]
    assert (
        world.client_for(world.applicant)
        .get(reverse("committees:meeting_stats", args=[meeting.pk]))
        .status_code
        == 404
    )
    expert = world.client_for(experts[0].user)
    assert expert.get(reverse("committees:meeting_stats", args=[meeting.pk])).status_code == 403
    assert MeetingResult.objects.filter(meeting=meeting, passed=True).count() == 2


def test_the_meeting_page_renders_at_every_step(cw, world):
    apps = cw.awaiting_meeting(1)
    meeting = cw.meeting(apps)
    pages = {}

    def look(step):
        for user in (world.clerk, world.officer):
            response = world.client_for(user).get(reverse("committees:meeting", args=[meeting.pk]))
            assert response.status_code == 200, (step, user)
            pages[(step, user.username)] = response.content.decode()

    look("created")
    assert "备案确认" in pages[("created", "officer")]
    services.meeting_file(meeting=meeting, actor=world.officer)
    look("filed")
    assert "随机抽取专家" in pages[("filed", "clerk")]
    services.meeting_draw_experts(meeting=meeting, actor=world.clerk)
    look("drawn")
    cw.clock.set(dt.datetime.combine(meeting.held_on, dt.time(1, 0), tzinfo=dt.UTC))
    services.meeting_start(meeting=meeting, actor=world.clerk)
    look("started")
    assert "登记出席" in pages[("started", "clerk")]
    panel = cw.panel(meeting)
    services.meeting_record_attendance(
        meeting=meeting, actor=world.clerk, present={e.pk: "on_site" for e in panel}
    )
    services.meeting_open_voting(meeting=meeting, actor=world.clerk)
    look("voting")
    assert "结束表决并计票" in pages[("voting", "clerk")]
    for e in panel:
        services.ballot_cast(meeting=meeting, application=apps[0], user=e.user, choice="agree")
    services.meeting_close(meeting=meeting, actor=world.clerk)
    look("closed")
    assert "发布结果公示" in pages[("closed", "clerk")] and "表决结果" in pages[("closed", "officer")]
