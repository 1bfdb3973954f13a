"""The experts of a meeting read the dossiers of its applications from the start until the close (not a
recused one), with the ID number masked, and download only the files submitted with them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services as application_services
from committees import services
from tests.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def _url(application):
    return reverse("applications:dossier", args=[application.pk])


def _get(cw, expert, application):
    return cw.w.client_for(expert.user).get(_url(application))


def test_a_panel_expert_reads_the_dossier_once_the_meeting_started_with_the_id_masked(cw):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.started([application])
    response = _get(cw, cw.panel(meeting)[0], application)
    number = application.archive.id_number
    page = response.content.decode()
    assert response.status_code == 200
    assert number not in page and number[-4:] in page


def test_an_expert_before_the_start_and_an_expert_not_drawn_get_404(cw):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.drawn([application])
    assert _get(cw, cw.panel(meeting)[0], application).status_code == 404
    cw.clock.set(dt.datetime.combine(meeting.held_on, dt.time(1, 0), tzinfo=dt.UTC))
    services.meeting_start(meeting=meeting, actor=cw.w.clerk)
    drawn = {e.pk for e in cw.panel(meeting)}
    outsider = next(e for e in cw.experts if e.pk not in drawn)
    assert _get(cw, outsider, application).status_code == 404
    assert cw.w.client_for(cw.outsider_expert_user).get(_url(application)).status_code == 404


def test_the_experts_access_ends_when_the_meeting_closes(cw):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.voting([application])
    expert = cw.panel(meeting)[0]
    assert _get(cw, expert, application).status_code == 200
    services.meeting_close(meeting=meeting, actor=cw.w.clerk, allow_missing=True, note="测试：未投票")
    assert _get(cw, expert, application).status_code == 404


def test_a_recused_expert_cannot_read_that_dossier(cw):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.started([application])
    expert = cw.panel(meeting)[0]
    services.recusal_add(
        meeting=meeting, expert=expert, application=application, actor=expert.user, reason="同单位"
    )
    assert _get(cw, expert, application).status_code == 404


def test_the_expert_downloads_submitted_files_but_not_later_ones(cw):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.started([application])
    later = application_services.evidence_upload(
        archive=application.archive,
        entry=application.archive.educations.get(),
        upload=SimpleUploadedFile("later.pdf", PDF_BYTES),
    )
    client = cw.w.client_for(cw.panel(meeting)[0].user)
    submitted = application.evidence.get()
    assert client.get(reverse("applications:evidence", args=[submitted.pk])).status_code == 200
    assert client.get(reverse("applications:evidence", args=[later.pk])).status_code == 404


# ---------------------------------------------------------------- the grants themselves (django-guardian)


def _granted(application) -> set[int]:
    from guardian.shortcuts import get_users_with_perms

    users = get_users_with_perms(application, only_with_perms_in=["review_dossier"], with_superusers=False)
    return {u.pk for u in users}


def test_the_panel_is_granted_at_the_start_and_loses_it_at_the_close(cw):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.drawn([application])
    assert _granted(application) == set()
    cw.clock.set(dt.datetime.combine(meeting.held_on, dt.time(1, 0), tzinfo=dt.UTC))
    services.meeting_start(meeting=meeting, actor=cw.w.clerk)
    panel = {e.user_id for e in cw.panel(meeting)}
    assert _granted(application) == panel and len(panel) == 7


def test_no_grant_outlives_the_close(cw):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.voting([application])
    assert _granted(application)
    services.meeting_close(meeting=meeting, actor=cw.w.clerk, allow_missing=True, note="测试")
    assert _granted(application) == set()


def test_a_recused_expert_loses_that_application_and_its_files_at_once_and_only_that(cw):
    first, second = cw.awaiting_meeting(2)
    meeting = cw.started([first, second])
    expert = cw.panel(meeting)[0]
    services.recusal_add(meeting=meeting, expert=expert, application=first, actor=cw.w.clerk, reason="近亲属")
    assert expert.user_id not in _granted(first) and expert.user_id in _granted(second)
    assert _get(cw, expert, first).status_code == 404 and _get(cw, expert, second).status_code == 200
    evidence = first.evidence.first()
    assert evidence is not None
    url = reverse("committees:meeting_evidence", args=[meeting.pk, evidence.pk])
    assert cw.w.client_for(expert.user).get(url).status_code == 404
    other = cw.panel(meeting)[1]
    assert cw.w.client_for(other.user).get(url).status_code == 200
