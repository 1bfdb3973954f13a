"""Secret ballots: once per expert and application, through the expert's own account, no page links a
ballot to its voter, and the tally equals the receipts. (What a reader of the database can learn is
attacked in test_ballot_secrecy.py.)"""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from committees import services
from committees.exceptions import AlreadyVoted, InvalidTransition, PermissionDenied
from committees.models import BallotBox, BallotReceipt, Expert, MeetingResult
from committees.services.ballots import box_tally
from committees.tally import Tally

pytestmark = pytest.mark.django_db


def _vote(cw, meeting, application, expert, choice="agree"):
    services.ballot_cast(meeting=meeting, application=application, user=expert.user, choice=choice)


def _tally(meeting, application=None) -> Tally:
    """The counts sealed in the box (opened with the server's secret, as the close does)."""
    boxes = BallotBox.objects.filter(meeting=meeting)
    if application is not None:
        boxes = boxes.filter(application=application)
    return box_tally(boxes.get())


def test_a_second_ballot_of_the_same_expert_changes_nothing(cw):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.voting([application])
    expert = cw.present_experts(meeting)[0]
    _vote(cw, meeting, application, expert, "agree")
    with pytest.raises(AlreadyVoted):
        _vote(cw, meeting, application, expert, "disagree")
    assert _tally(meeting) == Tally(agree=1)
    assert BallotReceipt.objects.count() == 1


def test_the_web_form_and_the_api_count_a_double_submission_once(cw):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.voting([application])
    expert = cw.present_experts(meeting)[0]
    client = cw.w.client_for(expert.user)
    url = reverse("committees:meeting_ballot", args=[meeting.pk])
    assert client.post(url, {"application": application.pk, "choice": "agree"}).status_code == 302
    assert client.post(url, {"application": application.pk, "choice": "agree"}).status_code == 302
    api = reverse("api-ballot", args=[meeting.pk])
    response = client.post(
        api, {"application": str(application.pk), "choice": "agree"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert BallotReceipt.objects.count() == _tally(meeting).ballots == 1


def test_remote_experts_vote_through_the_api(cw):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.voting([application], remote=3)
    remote = cw.present_experts(meeting)[0]
    response = cw.w.client_for(remote.user).post(
        reverse("api-ballot", args=[meeting.pk]),
        {"application": str(application.pk), "choice": "abstain"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert _tally(meeting) == Tally(abstain=1)


def test_bad_ballot_input_names_the_field(cw):
    application, other = cw.awaiting_meeting(2)
    meeting = cw.voting([application])
    client = cw.w.client_for(cw.present_experts(meeting)[0].user)
    api = reverse("api-ballot", args=[meeting.pk])
    response = client.post(
        api, {"application": str(application.pk), "choice": "yes"}, content_type="application/json"
    )
    assert response.status_code == 400 and "choice" in response.json()["errors"]
    response = client.post(
        api, {"application": "not-a-uuid", "choice": "agree"}, content_type="application/json"
    )
    assert response.status_code == 400 and "application" in response.json()["errors"]
    response = client.post(
        api, {"application": str(other.pk), "choice": "agree"}, content_type="application/json"
    )
    assert response.status_code == 400 and "application" in response.json()["errors"]
    page = client.post(
        reverse("committees:meeting_ballot", args=[meeting.pk]),
        {"application": "x", "choice": "agree"},
        follow=True,
    )
    assert "申报编号无效" in page.content.decode()
    assert client.get(api).status_code == 405
    assert _tally(meeting).ballots == BallotReceipt.objects.count() == 0


def test_who_may_not_vote(cw, world):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.voting([application], present=6)
    panel = cw.panel(meeting)
    present = cw.present_experts(meeting)
    absent = next(e for e in panel if e not in present)
    with pytest.raises(PermissionDenied, match="未登记出席"):
        _vote(cw, meeting, application, absent)
    recused = present[0]
    services.recusal_add(
        meeting=meeting, expert=recused, application=application, actor=world.clerk, reason="同事"
    )
    with pytest.raises(PermissionDenied, match="回避"):
        _vote(cw, meeting, application, recused)
    not_drawn = next(e for e in cw.experts if not meeting.draw.entries.filter(expert=e).exists())
    with pytest.raises(PermissionDenied):
        _vote(cw, meeting, application, not_drawn)
    api = reverse("api-ballot", args=[meeting.pk])
    data = {"application": str(application.pk), "choice": "agree"}
    # An expert not drawn, one drawn elsewhere, the applicant and another committee's clerk do not see it;
    # the clerk of this committee sees the meeting but has no ballot.
    for user, expected in [
        (not_drawn.user, 404),
        (cw.outsider_expert_user, 404),
        (world.applicant, 404),
        (world.other_clerk, 404),
        (world.clerk, 403),
        (world.officer, 403),
    ]:
        assert world.client_for(user).post(api, data, content_type="application/json").status_code == expected
        assert (
            world.client_for(user)
            .post(reverse("committees:meeting_ballot", args=[meeting.pk]), data)
            .status_code
            == expected
        )
    assert Client().post(api, data, content_type="application/json").status_code in (401, 403)
    assert _tally(meeting).ballots == BallotReceipt.objects.count() == 0


def test_an_expert_drawn_for_another_meeting_cannot_vote_here(cw, world):
    for i in range(16, 24):
        cw.experts.append(cw.expert(i))
    first, second_app = cw.awaiting_meeting(2)
    meeting = cw.voting([first])
    other = cw.voting([second_app], title="第二次评审会议", days=8)
    elsewhere = next(e for e in cw.present_experts(other) if e not in cw.panel(meeting))
    with pytest.raises(PermissionDenied):
        _vote(cw, meeting, first, elsewhere)
    response = world.client_for(elsewhere.user).get(reverse("committees:meeting", args=[meeting.pk]))
    assert response.status_code == 404


def test_no_ballot_after_the_vote_closes(cw):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.voting([application], present=5)
    experts = cw.present_experts(meeting)
    for e in experts:
        _vote(cw, meeting, application, e)
    services.meeting_close(meeting=meeting, actor=cw.w.clerk)
    with pytest.raises((InvalidTransition, PermissionDenied)):
        _vote(cw, meeting, application, experts[0], "disagree")
    result = MeetingResult.objects.get()
    assert (result.agree, result.disagree, result.ballots, result.receipts) == (5, 0, 5, 5)
    assert BallotReceipt.objects.count() == 5


def test_closing_with_missing_votes_needs_a_reason(cw):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.voting([application])
    for e in cw.present_experts(meeting)[:5]:
        _vote(cw, meeting, application, e)
    with pytest.raises(services.meetings.CommitteeError, match="尚有专家未投票"):
        services.meeting_close(meeting=meeting, actor=cw.w.clerk)
    with pytest.raises(services.meetings.CommitteeError, match="写明原因"):
        services.meeting_close(meeting=meeting, actor=cw.w.clerk, allow_missing=True)
    services.meeting_close(meeting=meeting, actor=cw.w.clerk, allow_missing=True, note="两位专家中途离会")
    result = MeetingResult.objects.get()
    assert (result.agree, result.not_voted, result.entitled, result.passed) == (5, 2, 7, True)


# ---------------------------------------------------------------- secrecy


def test_no_page_export_api_or_admin_view_links_a_ballot_to_its_voter(cw, world):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.voting([application])
    experts = cw.present_experts(meeting)
    dissenter = experts[0]
    _vote(cw, meeting, application, dissenter, "disagree")
    for e in experts[1:]:
        _vote(cw, meeting, application, e, "agree")
    services.meeting_close(meeting=meeting, actor=world.clerk)
    superuser = world.user("root", "auditor", world.bureau)
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    texts = []
    for user in (world.clerk, world.officer, dissenter.user, superuser):
        client = world.client_for(user)
        texts.append(client.get(reverse("committees:meeting", args=[meeting.pk])).content.decode())
        texts.append(client.get(reverse("api-results", args=[meeting.pk])).content.decode())
    results_xlsx = (
        world.client_for(world.clerk).get(reverse("committees:meeting_results", args=[meeting.pk])).content
    )
    texts.append(
        " ".join(str(c) for row in load_workbook(io.BytesIO(results_xlsx)).active.values for c in row)
    )
    admin_client = world.client_for(superuser)
    for model in admin.site._registry:
        if model._meta.app_label == "committees":
            url = reverse(f"admin:committees_{model._meta.model_name}_changelist")
            texts.append(admin_client.get(url).content.decode())
    assert BallotBox not in admin.site._registry
    for receipt in BallotReceipt.objects.all():
        texts.append(
            admin_client.get(
                reverse("admin:committees_ballotreceipt_change", args=[receipt.pk])
            ).content.decode()
        )
    for text in texts:
        # A voter's name never sits next to a choice: choices appear only as counts.
        for line in text.splitlines():
            if dissenter.name in line:
                assert "不同意" not in line.replace("不同意</th>", "")


def test_the_tally_is_checked_against_the_receipts(cw):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.voting([application])
    experts = cw.present_experts(meeting)
    for e in experts[:6]:
        _vote(cw, meeting, application, e)
    check = services.ballot_boxes_check(meeting)[0]
    # While voting, the check gives numbers of receipts and ballots, never how the vote stands.
    assert check.consistent and check.receipts == check.ballots == 6 and check.agree is None
    # A receipt forged into the database for the last expert, who never voted, is caught before any
    # result is stored.
    BallotReceipt.objects.create(box=BallotBox.objects.get(), expert=experts[6], created_at=cw.clock.now())
    assert not services.ballot_boxes_check(meeting)[0].consistent
    with pytest.raises(services.meetings.CommitteeError, match="不一致"):
        services.meeting_close(meeting=meeting, actor=cw.w.clerk)
    assert not MeetingResult.objects.exists()


# ---------------------------------------------------------------- concurrency (PostgreSQL)


def _pg():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")


def _threads(targets):
    barrier = threading.Barrier(len(targets))

    def wrap(fn):
        def run():
            try:
                barrier.wait()
                fn()
            finally:
                connection.close()

        return run

    threads = [threading.Thread(target=wrap(fn)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


@pytest.mark.django_db(transaction=True)
def test_two_ballots_of_one_expert_at_the_same_instant_count_once(cw):
    _pg()
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.voting([application])
    expert = cw.present_experts(meeting)[0]
    outcomes = []

    def cast(choice):
        def run():
            try:
                services.ballot_cast(
                    meeting=meeting,
                    application=application.pk,
                    user=Expert.objects.get(pk=expert.pk).user,
                    choice=choice,
                )
                outcomes.append("ok")
            except AlreadyVoted:
                outcomes.append("refused")

        return run

    _threads([cast("agree"), cast("disagree"), cast("agree"), cast("abstain")])
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert BallotReceipt.objects.count() == _tally(meeting).ballots == 1


@pytest.mark.django_db(transaction=True)
def test_the_tally_under_concurrent_voting_equals_the_ballots_stored(cw):
    _pg()
    for i in range(16, 24):
        cw.experts.append(cw.expert(i))
    apps = cw.awaiting_meeting(2)
    meeting = cw.voting(apps, panel_size=11)
    experts = cw.present_experts(meeting)
    choices = ["agree", "disagree", "abstain"]
    errors = []

    def cast(expert, application, choice):
        def run():
            try:
                services.ballot_cast(
                    meeting=meeting, application=application.pk, user=expert.user, choice=choice
                )
            except Exception as exc:  # noqa: BLE001  (recorded and asserted below)
                errors.append(exc)

        return run

    targets = [cast(e, a, choices[(i + j) % 3]) for i, e in enumerate(experts) for j, a in enumerate(apps)]
    targets += [cast(experts[0], apps[0], "agree")] * 3  # repeats (of the same choice) that must count once
    _threads(targets)
    assert all(isinstance(e, AlreadyVoted) for e in errors) and len(errors) == 3
    for check in services.ballot_boxes_check(meeting):
        assert check.consistent and check.receipts == check.ballots == 11
    expected = {
        a.pk: Tally(*(sum(choices[(i + j) % 3] == c for i in range(11)) for c in choices))
        for j, a in enumerate(apps)
    }
    results = services.meeting_close(meeting=meeting, actor=cw.w.clerk)
    for result in results:
        assert result.ballots == result.receipts == 11
        assert Tally(result.agree, result.disagree, result.abstain) == expected[result.application_id]


def test_meeting_dates_are_reached_before_voting(cw):
    meeting = cw.drawn()
    with pytest.raises(services.meetings.CommitteeError, match="不能提前开始"):
        services.meeting_start(meeting=meeting, actor=cw.w.clerk)
    cw.clock.set(dt.datetime.combine(meeting.held_on, dt.time(1, 0), tzinfo=dt.UTC))
    services.meeting_start(meeting=meeting, actor=cw.w.clerk)
