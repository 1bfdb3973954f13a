"""The objector's reference number (异议受理编号), the public look-up of the outcome by it, and the
history's wording after an objection."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from applications import publicity
from applications.models import Objection
from applications.states import State
from tests.applications.test_publicity import _objection_post

pytestmark = pytest.mark.django_db

FINDING = "经核实项目验收报告，申报人为项目负责人，异议不成立。"


def _lodged(world, frozen_clock):
    application = world.submitted()
    notice = world.publicised([application])
    response = _objection_post(notice, notice.entries.get(), frozen_clock)
    return application, notice, response


def _lookup(notice, ref: str) -> str:
    url = reverse("applications:public_notice", args=[notice.pk])
    return Client().get(url, {"ref": ref}).content.decode()


def test_the_objector_is_given_a_reference_on_the_page(world, frozen_clock):
    _, notice, response = _lodged(world, frozen_clock)
    assert response.status_code == 302
    assert Objection.objects.get().reference.startswith("YY20260601-")
    follow = _objection_post(notice, notice.entries.get(), frozen_clock, name="李某")
    assert follow.status_code == 302
    assert Objection.objects.values("reference").distinct().count() == 2


def test_the_success_message_names_the_reference(world, frozen_clock):
    application = world.submitted()
    notice = world.publicised([application])
    client = Client(REMOTE_ADDR="10.0.0.9")
    page = client.post(
        reverse("applications:public_notice", args=[notice.pk]),
        {
            "entry": notice.entries.get().pk,
            "name": "王某",
            "contact": "13812345678",
            "reason": "该申报人所填项目并非其主持完成，项目验收报告中无其姓名。",
            "issued": signing.dumps(frozen_clock.now().timestamp() - 60, salt="objection"),
            "website": "",
        },
        follow=True,
    ).content.decode()
    assert Objection.objects.get().reference in page


def test_the_api_returns_the_reference(world, frozen_clock):
    application = world.submitted()
    notice = world.publicised([application])
    response = Client(REMOTE_ADDR="10.0.0.8").post(
        reverse("api-objection-create", args=[notice.pk]),
        {
            "entry": notice.entries.get().pk,
            "name": "王某",
            "contact": "13812345678",
            "reason": "所填项目并非其主持完成。",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["reference"] == Objection.objects.get().reference


def test_the_outcome_is_looked_up_by_reference_and_the_history_says_dismissed(world, frozen_clock):
    application, notice, _ = _lodged(world, frozen_clock)
    objection = Objection.objects.get()
    assert "待调查处理" in _lookup(notice, objection.reference.lower())
    frozen_clock.set(notice.ends_at + dt.timedelta(days=1))
    publicity.objection_resolve(objection=objection, actor=world.hr, upheld=False, reason=FINDING)
    page = _lookup(notice, objection.reference)
    assert "异议不成立" in page and FINDING in page
    assert "王某" not in page and "13812345678" not in page
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_PUBLICITY_DONE
    note = application.events.get(action="employer_publicity_end").note
    assert f"异议不成立：{FINDING}" in note and "无异议" not in note


def test_an_upheld_objection_is_recorded_as_such(world, frozen_clock):
    application, notice, _ = _lodged(world, frozen_clock)
    objection = Objection.objects.get()
    publicity.objection_resolve(objection=objection, actor=world.hr, upheld=True, reason="经查项目非其主持")
    assert "异议成立" in _lookup(notice, objection.reference)
    application.refresh_from_db()
    assert application.state == State.REJECTED
    assert application.events.last().note == "公示异议成立：经查项目非其主持"


def test_an_unknown_reference_or_one_of_another_notice_shows_nothing(world, frozen_clock):
    _, notice, _ = _lodged(world, frozen_clock)
    other_app = world.submitted(world.user("x2", "applicant", world.employer), serial=109)
    other = world.publicised([other_app])
    reference = Objection.objects.get().reference
    assert "没有该受理编号" in _lookup(other, reference)
    assert "没有该受理编号" in _lookup(notice, "YY20260601-NOPE")


def test_without_objection_the_history_still_says_no_objection(world, frozen_clock):
    application = world.submitted()
    world.through_employer_publicity([application], frozen_clock)
    assert "期满无异议" in application.events.get(action="employer_publicity_end").note


def test_the_public_page_answers_other_methods_with_405(world):
    application = world.submitted()
    notice = world.publicised([application])
    assert Client().put(reverse("applications:public_notice", args=[notice.pk])).status_code == 405
