"""The admin writes nothing a service owns: status fields are read-only, moves are actions that call the
services in the administrator's name, history is view-only and records others depend on are never
deleted. Every registered model's pages answer a superuser."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from applications.checkpoints import take_checkpoint
from applications.models import (
    ApplicationEvent,
    AuthorisationLetter,
    Entrustment,
    Objection,
)
from certificates.models import Certificate, SigningKey, StatusChange
from certificates.services.status import certificate_suspend
from committees import services as committee_services
from committees.models import (
    Conflict,
    ConflictDeclaration,
    Expert,
    ExpertEmployment,
    ExpertUnavailability,
    Meeting,
    PilotApplication,
    ResultFiling,
)
from portal import clock
from portal.models import (
    Notification,
    Organisation,
    RecordEvent,
    ReviewPlan,
    Role,
    SecurityEvent,
    SweepRun,
    TitleLevel,
)
from rules.models import (
    CalendarDay,
    CalendarYear,
    EnterpriseHonour,
    ExceptionalBReservation,
    HonourCategory,
    IntegrityRecord,
)
from rules.services.integrity import integrity_record_create
from rules.services.rulesets import ruleset_install_defaults
from tests import factories
from tests.certificates import conftest as certificate_fixtures
from tests.committees import conftest as committee_fixtures

pytestmark = pytest.mark.django_db

# The committee's and the certificates' personas, shared with their own tests.
cw = committee_fixtures.cw
issuer = certificate_fixtures.issuer
issued = certificate_fixtures.issued


@pytest.fixture
def root(world):
    return factories.UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def admin_client(world, root):
    return world.client_for(root)


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


class _FormFields(HTMLParser):
    """What a browser would post from the admin's change form: its inputs, selects and text areas."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.in_form = False
        self.select: tuple[str, list[tuple[str, bool]]] | None = None
        self.textarea: str | None = None
        self.text = ""

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.in_form = (a.get("id") or "").endswith("_form")
        if not self.in_form or "name" not in a and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(a["name"], a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select":
            self.select = (a["name"], [])
        elif tag == "option" and self.select is not None:
            self.select[1].append((a.get("value") or "", "selected" in a))
        elif tag == "textarea":
            self.textarea, self.text = a["name"], ""

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self.select is not None:
            name, options = self.select
            chosen = [value for value, selected in options if selected]
            for value in chosen or [v for v, _ in options[:1]]:
                self._add(name, value)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self._add(self.textarea, self.text.removeprefix("\n"))
            self.textarea = None


def _change_form(client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    parser = _FormFields()
    parser.feed(response.content.decode())
    return parser.data


def _act(client, model, action: str, objects, reason: str = "") -> list[tuple[int, str]]:
    """Run an admin action on the changelist; the messages it leaves, as (level, text)."""
    response = client.post(
        _url(model, "changelist"),
        {"action": action, "_selected_action": [str(o.pk) for o in objects], "reason": reason},
        follow=True,
    )
    assert response.status_code == 200
    return [(m.level, str(m)) for m in response.context["messages"]]


def _errors(found: list[tuple[int, str]]) -> list[str]:
    return [text for level, text in found if level == messages.ERROR]


def _draft_plan(world, **kwargs) -> ReviewPlan:
    params = dict(status=ReviewPlan.Status.DRAFT, document_no="衢人社〔2026〕30号", committee=world.committee)
    params.update(kwargs)
    return factories.PlanFactory(**params)


# ---------------------------------------------------------------- read-only status fields


def test_a_status_posted_with_a_plan_edit_is_ignored(admin_client, world):
    plan = _draft_plan(world)
    url = _url(ReviewPlan, "change", plan.pk)
    data = _change_form(admin_client, url)
    assert "status" not in data
    data["title"] = ["2026年度工程师评审计划（修订）"]
    data["status"] = [ReviewPlan.Status.PUBLISHED]
    assert admin_client.post(url, data).status_code == 302
    plan.refresh_from_db()
    assert plan.title == "2026年度工程师评审计划（修订）"
    assert plan.status == ReviewPlan.Status.DRAFT
    assert not RecordEvent.objects.exists()


def test_a_published_plan_is_view_only_in_the_admin(admin_client, world):
    url = _url(ReviewPlan, "change", world.plan.pk)
    assert admin_client.get(url).status_code == 200
    deadline = world.plan.declaration_deadline
    response = admin_client.post(url, {"title": "改", "declaration_deadline_0": "2030-01-01"})
    assert response.status_code == 403
    world.plan.refresh_from_db()
    assert world.plan.declaration_deadline == deadline


def test_the_authorisation_time_of_an_organisation_is_not_edited_in_the_admin(admin_client, world):
    world.employer.authorisation_confirmed_at = None
    world.employer.save()
    url = _url(Organisation, "change", world.employer.pk)
    data = _change_form(admin_client, url)
    data["authorisation_confirmed_at_0"] = ["2026-06-01"]
    data["authorisation_confirmed_at_1"] = ["10:00:00"]
    data["contact_phone"] = ["0570-1234567"]
    assert admin_client.post(url, data).status_code == 302
    world.employer.refresh_from_db()
    assert world.employer.contact_phone == "0570-1234567"
    assert world.employer.authorisation_confirmed_at is None


def test_an_integrity_record_keeps_its_derived_ban_years_when_edited(admin_client, world):
    record = integrity_record_create(
        id_type="resident",
        id_number=factories.resident_id(serial=555),
        name="张三",
        review_year=2025,
        level=TitleLevel.INTERMEDIATE,
        finding="伪造业绩证明",
        decision_date=dt.date(2026, 1, 10),
    )
    url = _url(IntegrityRecord, "change", record.pk)
    data = _change_form(admin_client, url)
    data.update(finding=["伪造项目验收报告"], review_year=["2020"], ban_last_year=["2099"])
    assert admin_client.post(url, data).status_code == 302
    record.refresh_from_db()
    assert record.finding == "伪造项目验收报告"
    assert (record.review_year, record.ban_first_year, record.ban_last_year) == (2025, 2026, 2028)


# ---------------------------------------------------------------- actions call the services


def test_publishing_a_plan_from_the_admin_records_the_administrator(admin_client, world, root):
    factories.MembershipFactory(user=root, organisation=world.committee, role=Role.CLERK)
    plan = _draft_plan(world)
    assert not _errors(_act(admin_client, ReviewPlan, "publish", [plan]))
    plan.refresh_from_db()
    assert plan.status == ReviewPlan.Status.PUBLISHED
    event = RecordEvent.objects.get(object_id=str(plan.pk))
    assert (event.action, event.actor, event.actor_role) == ("publish", root, Role.CLERK)

    assert not _errors(_act(admin_client, ReviewPlan, "close", [plan], reason="年度评审结束"))
    plan.refresh_from_db()
    assert plan.status == ReviewPlan.Status.CLOSED
    assert RecordEvent.objects.filter(object_id=str(plan.pk), action="close", actor=root).exists()


def test_a_refused_plan_move_is_reported_as_a_message(admin_client, world, root):
    plan = _draft_plan(world, document_no="")
    # Not a clerk of the plan's committee: the service refuses the administrator too.
    assert _errors(_act(admin_client, ReviewPlan, "publish", [plan])) == [f"{plan}：您无权执行此操作。"]
    factories.MembershipFactory(user=root, organisation=world.committee, role=Role.CLERK)
    errors = _errors(_act(admin_client, ReviewPlan, "publish", [plan]))
    assert errors == [f"{plan}：请先填写人力社保部门审核发文的文号，再发布评审计划。"]
    plan.refresh_from_db()
    assert plan.status == ReviewPlan.Status.DRAFT
    assert not RecordEvent.objects.exists()


def _letter(world) -> AuthorisationLetter:
    world.employer.authorisation_confirmed_at = None
    world.employer.save()
    return AuthorisationLetter.objects.create(
        organisation=world.employer,
        file="authorisations/2026/letter.pdf",
        content_type="application/pdf",
        uploaded_by=world.hr,
    )


def test_an_authorisation_letter_is_confirmed_through_the_service(admin_client, world, root):
    letter = _letter(world)
    errors = _errors(_act(admin_client, AuthorisationLetter, "confirm", [letter]))
    assert errors == [f"{letter}：只有单位所在地的人力社保部门可以确认授权委托书。"]
    factories.MembershipFactory(user=root, organisation=world.bureau, role=Role.OFFICER)
    assert not _errors(_act(admin_client, AuthorisationLetter, "confirm", [letter]))
    letter.refresh_from_db()
    world.employer.refresh_from_db()
    assert letter.confirmed_by == root
    assert world.employer.authorisation_confirmed_at == letter.confirmed_at


def test_a_certificate_is_suspended_and_reinstated_through_the_service(admin_client, world, root, issued):
    assert _errors(_act(admin_client, Certificate, "suspend", [issued], reason="核查材料"))
    factories.MembershipFactory(user=root, organisation=world.bureau, role=Role.OFFICER)
    assert _errors(_act(admin_client, Certificate, "suspend", [issued])) == [f"{issued}：请填写原因。"]
    assert not _errors(_act(admin_client, Certificate, "suspend", [issued], reason="核查材料"))
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.SUSPENDED
    change = StatusChange.objects.filter(certificate=issued).latest("at", "id")
    assert (change.to_status, change.actor, change.reason) == ("suspended", root, "核查材料")

    assert not _errors(_act(admin_client, Certificate, "reinstate", [issued], reason="核查无误"))
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.VALID
    # A second reinstatement is refused by the move's table, as a message.
    errors = _errors(_act(admin_client, Certificate, "reinstate", [issued], reason="再次"))
    assert errors == [f"{issued}：证书当前为“有效”，不能执行该操作。"]


def test_a_signing_key_is_retired_and_revoked_through_the_service(admin_client, root, issuer):
    key = SigningKey.objects.get(issuer=issuer)
    assert _errors(_act(admin_client, SigningKey, "revoke", [key])) == [f"{key}：请填写吊销原因。"]
    assert not _errors(_act(admin_client, SigningKey, "retire", [key]))
    key.refresh_from_db()
    assert key.status == SigningKey.Status.RETIRED
    event = RecordEvent.objects.get(object_id=str(key.pk))
    assert (event.action, event.actor) == ("retire", root)
    assert not _errors(_act(admin_client, SigningKey, "revoke", [key], reason="私钥疑似泄露"))
    key.refresh_from_db()
    assert (key.status, key.revoked_reason) == (SigningKey.Status.REVOKED, "私钥疑似泄露")


def test_an_integrity_record_is_withdrawn_through_the_service(admin_client, world):
    record = integrity_record_create(
        id_type="resident",
        id_number=factories.resident_id(serial=556),
        name="李四",
        review_year=2025,
        level=TitleLevel.INTERMEDIATE,
        finding="伪造论文",
        decision_date=dt.date(2026, 1, 10),
    )
    assert not _errors(_act(admin_client, IntegrityRecord, "withdraw", [record], reason="复议撤销"))
    record.refresh_from_db()
    assert record.withdrawn_reason == "复议撤销"
    assert record.withdrawn_at == clock.now()


# ---------------------------------------------------------------- no delete


def _assert_not_deleted(client, obj) -> None:
    model = type(obj)
    assert client.get(_url(model, "delete", obj.pk)).status_code == 403
    assert client.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert "delete_selected" not in client.get(_url(model, "changelist")).content.decode()
    client.post(_url(model, "changelist"), {"action": "delete_selected", "_selected_action": [str(obj.pk)]})
    assert model.objects.filter(pk=obj.pk).exists()


def test_publicity_notices_and_applications_are_never_deleted(admin_client, world):
    application = world.submitted()
    notice = world.publicised([application])
    _assert_not_deleted(admin_client, notice)
    _assert_not_deleted(admin_client, application)
    assert notice.entries.count() == 1


def test_meetings_are_never_deleted(admin_client, cw):
    meeting = cw.meeting()
    _assert_not_deleted(admin_client, meeting)


@pytest.mark.parametrize("model", [RecordEvent, ApplicationEvent, StatusChange])
def test_history_admins_are_view_only(model, root):
    request = RequestFactory().get("/")
    request.user = root
    model_admin = admin.site._registry[model]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_a_history_row_cannot_be_changed_through_the_admin(admin_client, world):
    application = world.submitted()
    event = ApplicationEvent.objects.filter(application=application).first()
    url = _url(ApplicationEvent, "change", event.pk)
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"note": "改写"}).status_code == 403
    assert admin_client.get(_url(ApplicationEvent, "add")).status_code == 403
    event.refresh_from_db()
    assert event.note != "改写"


# ---------------------------------------------------------------- the expert pool


def test_an_expert_is_not_changed_in_the_admin(admin_client, cw):
    expert = cw.experts[0]
    url = _url(Expert, "change", expert.pk)
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"name": "改名"}).status_code == 403
    assert admin_client.get(_url(Expert, "add")).status_code == 403
    expert.refresh_from_db()
    assert expert.name == "专家00"


def test_an_unavailability_over_a_filed_meeting_not_yet_drawn_is_refused(admin_client, cw):
    meeting = cw.filed()
    expert = cw.experts[0]
    add = _url(ExpertUnavailability, "add")
    data = {"expert": expert.pk, "reason": "出差"}
    response = admin_client.post(add, {**data, "start": meeting.held_on, "end": meeting.held_on})
    assert response.status_code == 200
    assert "已备案、尚未抽取专家的评审会议" in response.content.decode()
    assert not ExpertUnavailability.objects.exists()

    later = meeting.held_on + dt.timedelta(days=1)
    response = admin_client.post(add, {**data, "start": later, "end": later + dt.timedelta(days=3)})
    assert response.status_code == 302
    away = ExpertUnavailability.objects.get()
    assert away.start == later
    assert admin_client.post(_url(ExpertUnavailability, "change", away.pk), data).status_code == 403
    assert admin_client.get(_url(ExpertUnavailability, "delete", away.pk)).status_code == 403


# ---------------------------------------------------------------- every registered model


@pytest.fixture
def every_record(cw, world, issued, frozen_clock):
    """At least one row of every model registered in the admin."""
    now = clock.now()
    Group.objects.create(name="评委会办公室")
    SweepRun.objects.create(name="applications.tasks.sweep_publicities", last_started_at=now)
    Token.objects.create(user=world.clerk)
    entry = world.publicised([world.submitted(world.other_applicant, serial=777)]).entries.get()
    Objection.objects.create(
        entry=entry, name="王某", contact="13800000000", reason="请核实", evidence="objections/2026/06/a.pdf"
    )
    apps = cw.awaiting_meeting(2)
    meeting = cw.voting(apps)
    present = cw.present_experts(meeting)
    committee_services.recusal_add(
        meeting=meeting, expert=present[0], application=apps[0], actor=world.clerk, reason="同事"
    )
    for expert in present[1:]:
        committee_services.ballot_cast(meeting=meeting, application=apps[0], user=expert.user, choice="agree")
    committee_services.meeting_close(
        meeting=meeting, actor=world.clerk, allow_missing=True, note="第二项未表决"
    )
    Conflict.objects.create(
        meeting=meeting,
        expert=cw.experts[-1],
        application=apps[1],
        kind="other",
        source="declared",
        detail="亲属",
        found_at=now,
    )
    ResultFiling.objects.create(
        committee=world.committee, title="备案表", created_by=world.clerk, created_at=now
    )
    expert = cw.experts[0]
    ExpertEmployment.objects.create(expert=expert, employer_name="旧单位", ended_on=dt.date(2025, 1, 1))
    ExpertUnavailability.objects.create(
        expert=expert, start=dt.date(2027, 1, 1), end=dt.date(2027, 1, 2), reason="出差"
    )
    ConflictDeclaration.objects.create(
        expert=expert,
        kind="relative",
        reason="亲属",
        application=apps[1],
        declared_by=expert.user,
        declared_at=now,
    )
    PilotApplication.objects.create(
        unit=world.employer,
        industry="机械",
        address="示例路1号",
        legal_rep_name="张某",
        contact_name="李某",
        contact_mobile="13800000000",
        introduction="简介",
        district_bureau=world.bureau,
        submitted_by=world.hr,
        submitted_at=now,
    )
    _letter(world)
    Entrustment.objects.create(
        application=apps[1],
        issuer=world.bureau,
        from_plan=world.plan,
        to_plan=world.other_plan,
        letter_no="衢人社函〔2026〕1号",
        letter_date=dt.date(2026, 5, 1),
        created_by=world.officer,
    )
    certificate_suspend(certificate=issued, actor=world.officer, reason="核查")
    Notification.objects.create(user=world.applicant, message="通知")
    take_checkpoint()
    year = CalendarYear.objects.create(year=2031)
    CalendarDay.objects.create(date=dt.date(year.year, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    plan = factories.PlanFactory(year=2023)
    ruleset_install_defaults(
        plan=plan, template="zj_engineer_mid_2023", qualification=plan.qualifications.get(level=3)
    )
    category = HonourCategory.objects.create(code="model-worker", name="劳动模范", position=1)
    honour = EnterpriseHonour.objects.create(
        organisation=world.employer,
        category=category,
        level="national",
        title="荣誉",
        issued_on=dt.date(2025, 1, 1),
    )
    ExceptionalBReservation.objects.create(
        plan=world.plan, enterprise=world.employer, slot=1, application_id=apps[0].pk, honour=honour, quota=3
    )
    integrity_record_create(
        id_type="resident",
        id_number=factories.resident_id(serial=557),
        name="赵五",
        review_year=2025,
        level=TitleLevel.INTERMEDIATE,
        finding="伪造",
        decision_date=dt.date(2026, 1, 10),
    )
    # Identity: the lock-out records (django-axes) and the second-factor devices (django-otp).
    attempt = {"user_agent": "pytest", "ip_address": "198.51.100.7", "username": "hr", "path_info": "/login/"}
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**attempt)
    AccessLog.objects.create(**attempt)
    TOTPDevice.objects.create(user=world.hr, name="身份验证器")
    StaticDevice.objects.create(user=world.hr, name="恢复码")
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.LOGIN, user=world.hr, username="hr", succeeded=True)


def test_every_registered_model_answers_its_pages(admin_client, root, every_record):
    request = RequestFactory().get("/")
    request.user = root
    missing = []
    for model, model_admin in admin.site._registry.items():
        name = f"{model._meta.app_label}.{model.__name__}"
        assert admin_client.get(_url(model, "changelist")).status_code == 200, name
        if model_admin.has_add_permission(request):
            assert admin_client.get(_url(model, "add")).status_code == 200, name
        obj = model_admin.get_queryset(request).first()
        if obj is None:
            missing.append(name)
            continue
        assert admin_client.get(_url(model, "change", obj.pk)).status_code == 200, name
    assert not missing


def test_a_record_links_to_its_history(admin_client, cw):
    meeting = cw.filed()
    page = admin_client.get(_url(Meeting, "change", meeting.pk)).content.decode()
    content_type = ContentType.objects.get_for_model(Meeting)
    query = f"content_type__id__exact={content_type.pk}&amp;object_id={meeting.pk}"
    link = f"{_url(RecordEvent, 'changelist')}?{query}"
    assert link in page
    listing = admin_client.get(link.replace("&amp;", "&")).content.decode()
    assert 'field-action">file<' in listing
    assert 'field-action">publish<' not in listing
