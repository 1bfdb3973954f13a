"""generate_volume fills PostgreSQL with a year that the portal can work on: every route reaches each of
its states, the histories pass verify_audit, the generated staff's queues open, and the portal's own inserts
still find free keys and numbers afterwards."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client

from applications import services as application_services
from applications.models import Application, ApplicationEvent
from applications.states import State
from certificates.models import Certificate
from demo.volume_paths import ROUTES, path_to
from portal.models import Membership, Role

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="generate_volume loads with COPY: PostgreSQL only"
)
ROUTE_OF = {(declaration_type, cls): key for key, (_share, declaration_type, cls) in ROUTES.items()}


def _staff_with_most(role: str, field: str):
    """The generated member of `role` whose organisation holds the most applications through `field`."""
    busiest = (
        Application.objects.values(field).annotate(n=Count("pk")).order_by("-n").values_list(field, flat=True)
    )
    for org_id in busiest:
        membership = Membership.objects.filter(organisation_id=org_id, role=role, is_active=True).first()
        if membership:
            return membership.user
    raise AssertionError(f"no {role} with applications")


@on_postgresql
def test_a_generated_year_is_one_the_portal_works_on():
    # One run for all the checks: loading the demo underneath takes minutes on this machine.
    call_command("generate_volume", applications=300, seed=7, stdout=StringIO())
    _every_route_reaches_each_of_its_states_with_an_intact_history()
    _the_holder_columns_are_those_the_moves_set()
    _the_generated_staff_open_their_queues()
    _certified_applications_carry_a_verifiable_certificate()
    _the_portal_inserts_after_a_run_without_colliding()


def _every_route_reaches_each_of_its_states_with_an_intact_history():
    generated = Application.objects.filter(applicant__username__startswith="vol")  # not the demo's own
    seen = set(generated.values_list("declaration_type", "exceptional_class", "state").distinct())
    upward = set(generated.filter(events__action="recommend_upward").values_list("state", flat=True))
    for route, (_share, declaration_type, cls) in ROUTES.items():
        for state in State.values:
            if path_to(route, state) is None:
                continue
            path = path_to(route, state)
            if any(move.action == "recommend_upward" for move in path):
                assert state in upward, (route, state)
            else:  # before going up, an upward application is a normal one
                assert (declaration_type, cls, state) in seen, (route, state)
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "审计链完整" in out.getvalue()


def _the_holder_columns_are_those_the_moves_set():
    rows = Application.objects.values_list(
        "receiving_bureau", "employer_bureau", "higher_committee",
        "plan__receiving_org", "recommending_org__parent_bureau", "plan__higher_committee",
    )  # fmt: skip
    assert rows and all(row[:3] == row[3:] for row in rows)


def _the_generated_staff_open_their_queues():
    client = Client()
    for user, url in (
        (_staff_with_most(Role.HR, "recommending_org"), "/audit/?role=hr"),
        (_staff_with_most(Role.OFFICER, "plan__receiving_org"), "/audit/?role=officer"),
        (_staff_with_most(Role.CLERK, "committee"), "/committee/"),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 200, url
        assert client.get(url + ("&" if "?" in url else "?") + "page=2").status_code == 200, url


def _the_portal_inserts_after_a_run_without_colliding():
    withdrawn = Application.objects.filter(state=State.WITHDRAWN).select_related("plan").first()
    events_before = ApplicationEvent.objects.count()
    again = application_services.application_create(
        applicant=withdrawn.applicant,
        plan=withdrawn.plan,
        qualification=withdrawn.qualification,
        specialty=withdrawn.specialty,
        sub_specialty=withdrawn.sub_specialty,
        declaration_type=withdrawn.declaration_type,
        exceptional_class=withdrawn.exceptional_class,
        channel=withdrawn.channel,
        recommending_org=withdrawn.recommending_org,
        workplace=withdrawn.workplace,
    )
    assert ApplicationEvent.objects.count() == events_before + 1
    assert again.number not in set(Application.objects.exclude(pk=again.pk).values_list("number", flat=True))


def _certified_applications_carry_a_verifiable_certificate():
    certificate = Certificate.objects.filter(application__state=State.CERTIFIED).first()
    response = Client().get("/certificates/verify/", {"number": certificate.number})
    assert response.status_code == 200
    assert "有效" in response.content.decode()


def test_it_refuses_sqlite_with_a_clear_message():
    if connection.vendor == "postgresql":
        pytest.skip("the refusal is SQLite's")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("generate_volume", applications=10, stdout=StringIO())
