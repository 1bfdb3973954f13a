from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from applications.models import Objection
from applications.states import State

pytestmark = pytest.mark.django_db


def _json(client, name, pk, data):
    return client.post(reverse(name, args=[pk]), data, content_type="application/json")


def test_employer_steps_through_the_api(world, frozen_clock):
    application = world.submitted()
    hr = world.client_for(world.hr)
    response = _json(hr, "api-employer-return", application.pk, {"items": {"degree": "不清晰"}})
    assert response.status_code == 200 and response.json()["state"] == State.RETURNED
    world.client_for(world.applicant).post(reverse("api-application-resubmit", args=[application.pk]))
    created = hr.post(
        reverse("api-publicity"),
        {"applications": [str(application.pk)], "title": "公示"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    notice = created.json()
    assert notice["end_date"] == "2026-06-05" and "*" in notice["entries"][0]["id_number"]
    from applications import publicity
    from applications.models import PublicityNotice

    frozen_clock.set(PublicityNotice.objects.get().ends_at)
    publicity.publicity_sweep()
    assert _json(hr, "api-employer-recommend", application.pk, {}).json()["state"] == State.BUREAU_REVIEW
    officer = world.client_for(world.officer)
    assert (
        _json(officer, "api-bureau-recommend", application.pk, {}).json()["state"]
        == State.QUALIFICATION_REVIEW
    )


def test_api_errors_name_the_field_and_refuse_others(world):
    application = world.submitted()
    hr = world.client_for(world.hr)
    response = _json(hr, "api-employer-reject", application.pk, {})
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    assert (
        _json(
            world.client_for(world.other_hr), "api-employer-reject", application.pk, {"reason": "x"}
        ).status_code
        == 404
    )
    assert (
        _json(
            world.client_for(world.applicant), "api-employer-reject", application.pk, {"reason": "x"}
        ).status_code
        == 403
    )
    assert _json(hr, "api-bureau-recommend", application.pk, {}).status_code == 403
    assert Client().post(reverse("api-employer-reject", args=[application.pk])).status_code in (401, 403)
    wrong_state = _json(hr, "api-employer-recommend", application.pk, {})
    assert wrong_state.status_code == 409


def test_public_objection_api(world):
    application = world.submitted()
    notice = world.publicised([application])
    entry = notice.entries.get()
    public = Client()
    assert public.get(reverse("api-publicity")).status_code == 200
    bad = public.post(
        reverse("api-objection-create", args=[notice.pk]),
        {"entry": entry.pk, "name": "王某"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "contact" in bad.json()["errors"]
    ok = public.post(
        reverse("api-objection-create", args=[notice.pk]),
        {
            "entry": entry.pk,
            "name": "王某",
            "contact": "13800000000",
            "reason": "所报项目并非本人主持，请核实。",
        },
        content_type="application/json",
    )
    assert ok.status_code == 201
    objection = Objection.objects.get()
    assert (
        _json(
            world.client_for(world.other_hr),
            "api-objection-resolve",
            objection.pk,
            {"upheld": False, "reason": "x"},
        ).status_code
        == 404
    )
    resolved = _json(
        world.client_for(world.hr),
        "api-objection-resolve",
        objection.pk,
        {"upheld": False, "reason": "经核实异议不成立"},
    )
    assert resolved.json()["status"] == "dismissed"
