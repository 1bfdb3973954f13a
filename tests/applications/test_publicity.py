"""Publicity (公示) with objections, the sweep that advances what is due, and exports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from applications import audit, publicity
from applications.exceptions import DomainError, PermissionDenied
from applications.models import Objection, PublicityEntry, PublicityNotice
from applications.objection_limits import OBJECTIONS_PER_HOUR
from applications.states import State
from portal import clock

pytestmark = pytest.mark.django_db


def _objection_post(notice, entry, frozen_clock, **overrides):
    issued = signing.dumps(frozen_clock.now().timestamp() - 60, salt="objection")
    data = {
        "entry": entry.pk,
        "name": "王某",
        "contact": "13812345678",
        "reason": "该申报人所填项目并非其主持完成，项目验收报告中无其姓名。",
        "issued": issued,
        "website": "",
    }
    data.update(overrides)
    return Client(REMOTE_ADDR="10.0.0.9").post(reverse("applications:public_notice", args=[notice.pk]), data)


def test_a_notice_covers_five_working_days_and_records_its_rule(world):
    application = world.submitted()
    # Friday 2026-06-19 is 端午节; the period runs Mon 1, Tue 2, Wed 3, Thu 4, Fri 5 June.
    notice = world.publicised([application])
    assert (notice.first_day, notice.end_date) == (dt.date(2026, 6, 1), dt.date(2026, 6, 5))
    assert notice.ends_at == dt.datetime(2026, 6, 5, 16, 0, tzinfo=dt.UTC)  # 24:00 Beijing time
    assert notice.rule == "start_day_counts" and notice.calendar_version.startswith("chinesecalendar")
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_PUBLICITY


def test_the_public_page_never_shows_the_full_id_number_or_contacts(world):
    application = world.submitted()
    notice = world.publicised([application])
    text = Client().get(reverse("applications:public_notice", args=[notice.pk])).content.decode()
    assert application.archive.name in text
    assert application.archive.id_number not in text
    assert "张" not in application.archive.id_number  # sanity
    entry = notice.entries.get()
    assert entry.public_fields["id_number"].count("*") == 11
    assert Client().get(reverse("applications:public_notices")).status_code == 200


def test_a_publicity_cannot_start_into_an_unknown_year(world, frozen_clock):
    application = world.submitted()
    with pytest.raises(DomainError, match="2027年的法定节假日和调休安排尚未录入"):
        world.publicised([application], posted_on=dt.date(2026, 12, 28))
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_AUDIT
    assert not PublicityNotice.objects.exists()


def test_only_hr_of_the_publisher_may_publicise(world):
    application = world.submitted()
    with pytest.raises(PermissionDenied):
        publicity.publicity_start(
            stage="employer",
            applications=[application],
            actor=world.other_hr,
            publisher=world.employer,
            title="x",
        )
    with pytest.raises(PermissionDenied):
        # HR of another employer naming itself as publisher still cannot move this application.
        publicity.publicity_start(
            stage="employer",
            applications=[application],
            actor=world.other_hr,
            publisher=world.other_employer,
            title="x",
        )
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_AUDIT


def test_the_sweep_advances_when_the_period_ends_and_only_once(world, frozen_clock):
    apps = [world.submitted(), world.submitted(world.user("a2", "applicant", world.employer), serial=102)]
    notice = world.publicised(apps)
    frozen_clock.set(notice.ends_at - dt.timedelta(seconds=1))
    assert publicity.publicity_sweep() == 0
    frozen_clock.set(notice.ends_at)
    assert publicity.publicity_sweep() == 2
    assert publicity.publicity_sweep() == 0
    for application in apps:
        application.refresh_from_db()
        assert application.state == State.EMPLOYER_PUBLICITY_DONE
        assert application.events.filter(action="employer_publicity_end").count() == 1
    notice.refresh_from_db()
    assert notice.status == PublicityNotice.Status.CLOSED
    assert "公示对象2人" in notice.result_summary and "未收到异议" in notice.result_summary


def test_the_publisher_is_told_once_when_its_publicity_ends_and_what_to_do_next(world, frozen_clock):
    apps = [world.submitted(), world.submitted(world.user("a2", "applicant", world.employer), serial=102)]
    notice = world.publicised(apps)
    frozen_clock.set(notice.ends_at - dt.timedelta(seconds=1))
    publicity.publicity_sweep()
    assert not world.hr.notifications.filter(message__contains="已期满").exists()
    frozen_clock.set(notice.ends_at)
    publicity.publicity_sweep()
    publicity.publicity_sweep()
    (told,) = world.hr.notifications.filter(message__contains="已期满")
    assert notice.title in told.message and "公示对象2人" in told.message and "向主管部门推荐" in told.message
    assert told.link == reverse("applications:public_notice", args=[notice.pk]) and told.email_to
    # Another employer's HR and the applicants are not told of this employer's next step.
    assert not world.other_hr.notifications.filter(message__contains="已期满").exists()
    assert not apps[0].applicant.notifications.filter(message__contains="已期满").exists()


def test_an_objection_blocks_until_dismissed(world, frozen_clock):
    application = world.submitted()
    notice = world.publicised([application])
    entry = notice.entries.get()
    response = _objection_post(notice, entry, frozen_clock)
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.status == Objection.Status.OPEN
    frozen_clock.set(notice.ends_at + dt.timedelta(days=1))
    assert publicity.publicity_sweep() == 0
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_PUBLICITY

    client = world.client_for(world.hr)
    client.post(
        reverse("applications:audit_objection_resolve", args=[objection.pk]),
        {"outcome": "dismissed", "reason": "经核实项目验收报告，申报人为项目负责人，异议不成立。"},
    )
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_PUBLICITY_DONE
    notice.refresh_from_db()
    assert "异议不成立" in notice.result_summary


def test_an_upheld_objection_for_false_materials_rejects_and_bans(world, frozen_clock):
    from rules.services.integrity import integrity_ban_for

    application = world.submitted()
    notice = world.publicised([application])
    _objection_post(notice, notice.entries.get(), frozen_clock)
    objection = Objection.objects.get()
    publicity.objection_resolve(
        objection=objection, actor=world.hr, upheld=True, false_materials=True, reason="经查项目证明系伪造。"
    )
    application.refresh_from_db()
    assert application.state == State.REJECTED
    assert PublicityEntry.objects.get().outcome == PublicityEntry.Outcome.REJECTED
    archive = application.archive
    ban = integrity_ban_for(id_type=archive.id_type, id_number=archive.id_number, year=2027, level=4)
    assert ban is not None


def test_objection_guard_rejects_bots_and_floods(world, frozen_clock):
    application = world.submitted()
    notice = world.publicised([application])
    entry = notice.entries.get()
    assert _objection_post(notice, entry, frozen_clock, website="http://spam").status_code == 400
    too_fast = signing.dumps(frozen_clock.now().timestamp(), salt="objection")
    assert _objection_post(notice, entry, frozen_clock, issued=too_fast).status_code == 400
    assert _objection_post(notice, entry, frozen_clock, reason="太短").status_code == 400
    for _ in range(OBJECTIONS_PER_HOUR):
        assert _objection_post(notice, entry, frozen_clock).status_code == 302
    assert _objection_post(notice, entry, frozen_clock).status_code == 429
    assert Objection.objects.count() == OBJECTIONS_PER_HOUR


def test_objections_after_the_period_are_refused(world, frozen_clock):
    application = world.submitted()
    notice = world.publicised([application])
    frozen_clock.set(notice.ends_at)
    response = _objection_post(notice, notice.entries.get(), frozen_clock)
    assert response.status_code == 400 and "该公示已结束，不再受理异议" in response.content.decode()
    assert not Objection.objects.exists()


def test_publicity_list_exports_to_excel(world):
    application = world.submitted()
    notice = world.publicised([application])
    response = world.client_for(world.hr).get(reverse("applications:audit_notice_export", args=[notice.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("申报编号", "姓名")
    assert rows[1][1] == application.archive.name and "*" in rows[1][3]
    assert (
        world.client_for(world.other_hr)
        .get(reverse("applications:audit_notice_export", args=[notice.pk]))
        .status_code
        == 404
    )


def test_recommendation_after_the_employer_deadline_is_refused(world, frozen_clock):
    application = world.submitted()
    world.through_employer_publicity([application], frozen_clock)
    frozen_clock.set(world.plan.employer_deadline)
    with pytest.raises(DomainError, match="单位推荐已于.*截止"):
        audit.employer_recommend(application=application, actor=world.hr)
    application.refresh_from_db()
    assert application.state == State.EMPLOYER_PUBLICITY_DONE


def test_now_is_the_portal_clock(frozen_clock):
    assert clock.now() == frozen_clock.now()


def test_a_notice_posted_for_a_later_day_takes_objections_from_that_day(world, frozen_clock):
    application = world.submitted()
    notice = world.publicised([application], posted_on=dt.date(2026, 6, 3))
    assert notice not in publicity.current_notices()
    with pytest.raises(DomainError, match="尚未受理异议"):
        publicity.objection_lodge(
            entry=notice.entries.get(),
            name="王某",
            contact="13800000000",
            reason="所报项目并非本人主持，请核实。",
        )
    frozen_clock.set(dt.datetime(2026, 6, 3, 1, 0, tzinfo=dt.UTC))
    assert notice in publicity.current_notices()
    publicity.objection_lodge(
        entry=notice.entries.get(),
        name="王某",
        contact="13800000000",
        reason="所报项目并非本人主持，请核实。",
    )
