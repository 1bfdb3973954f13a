"""The demo tells the whole story: after load_demo every route has an application in each state its moves
reach, with an intact history; a publicity ends by itself soon after loading; today's meeting can be
filed and drawn over a pool whose every expert has an account; every filing bureau can issue."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from applications.chain import verify_chain
from applications.models import Application, PublicityNotice
from applications.states import State
from applications.tasks import sweep_publicities
from certificates.models import CommitteeCode, IssuerProfile, SigningKey
from committees import services as committee_services
from committees.models import Expert, Meeting
from demo.story import SHORT_TITLE
from demo.story_meetings import member
from demo.story_people import ROUTE_STATES, story_username
from portal.models import Membership, Organisation, OrgKind, ReviewPlan, Role

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _state_of(route: str, state: str) -> str | None:
    application = Application.objects.filter(applicant__username=story_username(route, state)).first()
    return application.state if application else None


def test_every_route_has_an_application_in_each_state_its_moves_reach_with_an_intact_history():
    _load()

    missing = [
        (route, state)
        for route, states in ROUTE_STATES.items()
        for state in states
        if _state_of(route, state) != state
    ]
    assert missing == []
    broken = [
        verify_chain(a, a.events.order_by("seq"))
        for a in Application.objects.all()
        if verify_chain(a, a.events.order_by("seq")) is not None
    ]
    assert broken == []


def test_the_routes_cover_every_state_of_the_workflow_but_revoked():
    reached = {state for states in ROUTE_STATES.values() for state in states}

    assert reached == set(State.values) - {State.REVOKED}


def test_the_short_employer_publicity_ends_when_the_clock_passes_its_end_and_the_sweep_runs(frozen_clock):
    output = _load()
    notices = PublicityNotice.objects.filter(title=SHORT_TITLE, status=PublicityNotice.Status.OPEN)
    ends_at = max(n.ends_at for n in notices)
    waiting = list(notices.values_list("entries__application", flat=True))
    assert len(waiting) == len(ROUTE_STATES) and "单位公示将于" in output
    assert ends_at - frozen_clock.now() < dt.timedelta(days=1)  # the first midnight after loading

    frozen_clock.set(min(n.ends_at for n in notices) - dt.timedelta(minutes=1))
    sweep_publicities()
    assert set(Application.objects.filter(pk__in=waiting).values_list("state", flat=True)) == {
        State.EMPLOYER_PUBLICITY
    }
    frozen_clock.set(ends_at)
    sweep_publicities()
    assert set(Application.objects.filter(pk__in=waiting).values_list("state", flat=True)) == {
        State.EMPLOYER_PUBLICITY_DONE
    }


def test_todays_meeting_is_filed_drawn_voted_and_closed_from_pages_over_a_pool_whose_experts_all_log_in():
    _load()
    meeting = Meeting.objects.get(committee__name__contains="上虞", closed_at__isnull=True)
    pool = Expert.objects.filter(committee=meeting.committee)
    assert all(
        Membership.objects.filter(user=e.user, organisation=meeting.committee, role=Role.EXPERT).exists()
        for e in pool
    )
    listed = [i.application for i in committee_services.live_items(meeting)]
    clerk = _client(member(meeting.committee, Role.CLERK))

    _post(
        _client(member(meeting.committee.parent_bureau, Role.OFFICER)), "meeting_file", meeting, note="同意"
    )
    _post(clerk, "meeting_draw", meeting)
    _post(clerk, "meeting_start", meeting)
    panel = [e.expert for e in committee_services.panel_entries(meeting)]
    _post(clerk, "meeting_attendance", meeting, **{f"expert_{e.pk}": "on_site" for e in panel})
    _post(clerk, "meeting_open_voting", meeting)
    for expert in panel:
        voter = _client(expert.user)
        for application in listed:
            _post(voter, "meeting_ballot", meeting, application=str(application.pk), choice="agree")
    _post(clerk, "meeting_close", meeting, note="")

    record = meeting.draw
    assert not [x for x in record.exclusions if x["kind"] == "no_account"]
    assert {a.state for a in Application.objects.filter(pk__in=[a.pk for a in listed])} == {State.PASSED}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, name: str, meeting: Meeting, **data) -> None:
    response = client.post(reverse(f"committees:{name}", args=[meeting.pk]), data)
    assert response.status_code == 302, (name, response.status_code)
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level >= messages.ERROR]
    assert errors == [], name


def test_every_bureau_that_approves_results_has_an_issuer_with_an_active_key_and_committee_codes():
    _load()
    committees = Organisation.objects.filter(kind=OrgKind.COMMITTEE, parent_bureau__isnull=False)
    approving = {c.parent_bureau_id for c in committees}

    issuers = IssuerProfile.objects.filter(organisation__in=approving, is_active=True)
    assert set(issuers.values_list("organisation", flat=True)) == approving
    assert all(SigningKey.objects.filter(issuer=i, status=SigningKey.Status.ACTIVE).exists() for i in issuers)
    assert all(
        CommitteeCode.objects.filter(issuer__organisation=c.parent_bureau, committee=c).exists()
        for c in committees
    )


def test_the_rule_sets_of_every_seed_are_on_demo_plans():
    _load()
    templates = {
        (plan, qualification): template
        for plan, qualification, template in ReviewPlan.objects.filter(rule_sets__isnull=False).values_list(
            "code", "rule_sets__qualification__name", "rule_sets__template"
        )
    }

    assert set(templates.values()) == {
        "zj_engineer_mid_2023",
        "sx_engineer_mid_2020",
        "sx_engineer_assistant_2020",
        "wh_engineer_green_channel_2020",
        "zj_initial_2021",
    }
    assert templates["sy2026-jd", "工程师"] == "zj_engineer_mid_2023"


def test_a_second_load_adds_no_row_in_any_app():
    _load()
    counts = {
        model._meta.label: model.objects.count()
        for config in apps.get_app_configs()
        for model in config.get_models()
    }

    _load()

    assert {
        model._meta.label: model.objects.count()
        for config in apps.get_app_configs()
        for model in config.get_models()
    } == counts


def test_every_channel_has_applications_in_its_queue():
    _load()
    for key, channel in (("agency", "agency"), ("dispatch", "dispatch"), ("point", "service_point")):
        applications = Application.objects.filter(channel=channel).exclude(state="draft")
        assert applications.exists(), key
        hr = Membership.objects.filter(organisation=applications[0].recommending_org, role=Role.HR).first()
        page = Client()
        page.force_login(hr.user)
        text = page.get(reverse("applications:audit_queue")).content.decode()
        assert any(a.number in text for a in applications), key
    dispatched = Application.objects.filter(channel="dispatch").first()
    assert dispatched.workplace is not None
