"""Every URL pattern and API endpoint against every role, with the expected outcome.

A URL without a row in MATRIX fails `test_every_url_has_a_row`. Each row names the object the URL
is exercised on, the method, and the status each persona gets; unlisted personas get the row's
default. Personas: anon, app (the applicant), app2 (another applicant), hr, hr2 (HR of another
employer), off (the bureau officer), off2 (an officer of another bureau), clk, clk2 (clerk of another
committee), exd (an expert drawn for the meeting), exn (an expert not drawn), aud (the auditor of the
city), aud2 (an auditor of another city), adm.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.models import CommitteeAuthority, TitleLevel
from tests.conftest import PDF_BYTES

PERSONAS = [
    *("anon", "app", "app2", "hr", "hr2", "off", "off2", "clk", "clk2", "exd", "exn"),
    *("aud", "aud2", "adm"),
]
LOGIN = 302  # anonymous users of a page are sent to the login page
API_ANON = 403  # DRF answers an unauthenticated session with 403


@dataclass
class Row:
    method: str = "get"
    target: str = ""  # key of the object in the scene whose pk/code goes into the URL
    default: int = 404
    expect: dict[str, int] = field(default_factory=dict)
    data: dict | None = None
    kwargs: dict | None = None

    def status_for(self, persona: str) -> int:
        return self.expect.get(persona, self.default)


def row(method="get", target="", default=404, data=None, kwargs=None, **expect) -> Row:
    return Row(method, target, default, expect, data, kwargs)


def everyone(status=200, method="get", target="", **kw) -> Row:
    return row(method, target, default=status, **kw)


def signed_in(status=200, method="get", target="", **kw) -> Row:
    kw.setdefault("anon", LOGIN)
    return row(method, target, default=status, **kw)


def api_signed_in(status=200, method="get", target="", **kw) -> Row:
    kw.setdefault("anon", API_ANON)
    return row(method, target, default=status, **kw)


REVIEWERS_403 = {
    "app": 403,
    "app2": 403,
    "clk": 403,
    "clk2": 403,
    "exd": 403,
    "exn": 403,
    "aud": 403,
    "adm": 403,
}

# TEST DATA, not an official notice: enough days for a complete year.
CALENDAR_2027 = {
    "holidays_text": "元旦 01-01~01-03\n春节 02-06~02-13\n清明节 04-03~04-05",
    "workdays_text": "春节 02-20",
}

MATRIX: dict[str, Row] = {
    # ---------------------------------------------------------------- public and account pages
    "home": everyone(
        200,
        app=302,
        app2=302,
        hr=302,
        hr2=302,
        off=302,
        off2=302,
        clk=302,
        clk2=302,
        exd=302,
        exn=302,
        aud=302,
        aud2=302,
        adm=302,
    ),
    "health": everyone(200),
    "plans": everyone(200),
    "plan": everyone(200, target="plan_code"),
    "signup": everyone(302, anon=200),
    "login": everyone(200),
    "logout": everyone(302, method="post"),
    "notifications": signed_in(200),
    # One's own account security (tests/portal/test_account_security.py, test_second_factor.py). No
    # persona has bound an authenticator: the code page sends to the binding page, renewing recovery
    # codes to the code page.
    "account_security": signed_in(200),
    "security_log": signed_in(403, adm=200),
    "security_log_export": signed_in(403, adm=200),
    "account_password": signed_in(200),
    "account_otp_setup": signed_in(200),
    "account_otp_verify": signed_in(302),
    "account_recovery_codes": signed_in(302, method="post"),
    "account_token_revoke": signed_in(302, method="post"),
    "account_logout_all": signed_in(302, method="post"),
    "office_plans": signed_in(403, clk=200, clk2=200),
    "office_plan_new": signed_in(403, clk=200, clk2=200),
    "office_plan_edit": signed_in(403, target="plan_code", clk=302, clk2=404),
    "office_plan_publish": signed_in(403, method="post", target="plan_code", clk=302, clk2=404),
    "notifications_read": signed_in(302, method="post"),
    "api-schema": everyone(200),
    "api-docs": everyone(200),
    "api-token": everyone(400, method="post", data={"username": "nobody", "password": "x"}),
    "api-plans": everyone(200),
    "api-plan": everyone(200, target="plan_code"),
    # ---------------------------------------------------------------- the applicant's own pages
    "applications:dashboard": signed_in(200),
    "applications:archive": signed_in(200),
    "applications:archive_identity": signed_in(400, method="post", data={"id_number": "bad"}),
    "applications:entry_add": signed_in(200, kwargs={"kind": "work_periods"}),
    "applications:entry_edit": signed_in(404, target="work_period", kwargs={"kind": "work_periods"}, app=200),
    "applications:entry_delete": signed_in(
        404, method="post", target="work_period", kwargs={"kind": "work_periods"}, app=302
    ),
    "applications:dossier": signed_in(404, target="submitted", app=403, hr=200, aud=403, adm=403),
    "applications:objection_file": signed_in(404, target="objection", aud=403, adm=403),
    "applications:entry_evidence": signed_in(
        404, method="post", target="work_period", kwargs={"kind": "work_periods"}, app=302
    ),
    "applications:new": signed_in(200),
    "applications:self_check": signed_in(200),
    "applications:new_check": signed_in(200, method="post"),
    "applications:detail": signed_in(404, target="submitted", app=200, hr=200, aud=200, adm=200),
    "applications:edit": signed_in(404, method="post", target="draft", app=400, adm=403),
    "applications:evidence_upload": signed_in(404, method="post", target="draft", app=302, adm=403),
    "applications:evidence_attach": signed_in(404, method="post", target="draft", app=302, adm=403),
    "applications:pledge": signed_in(404, method="post", target="draft", app=302, adm=403),
    "applications:submit": signed_in(404, method="post", target="draft", app=302, adm=403),
    "applications:resubmit": signed_in(
        404, method="post", target="submitted", app=302, hr=403, aud=403, adm=403
    ),
    "applications:withdraw": signed_in(
        404, method="post", target="submitted", app=302, hr=403, aud=403, adm=403
    ),
    "applications:evidence": signed_in(404, target="evidence", app=200, hr=200, aud=200, adm=200),
    "applications:evidence_delete": signed_in(404, method="post", target="evidence", app=302),
    # ---------------------------------------------------------------- employer and bureau
    "applications:audit_queue": signed_in(403, hr=200, hr2=200, off=200, off2=200),
    "applications:audit_export": signed_in(403, hr=200, hr2=200, off=200, off2=200),
    "applications:audit_publicise": signed_in(403, method="post", target="", hr=302, hr2=302),
    "applications:audit_recommend": signed_in(403, method="post", hr=302, hr2=302),
    "applications:audit_bureau_recommend": signed_in(403, method="post", off=302, off2=302),
    "applications:audit_return": signed_in(
        404, method="post", target="submitted", hr=302, app=403, aud=403, adm=403
    ),
    "applications:audit_reject": signed_in(
        404, method="post", target="submitted", hr=302, app=403, aud=403, adm=403
    ),
    "applications:audit_bureau_return": signed_in(
        404, method="post", target="at_bureau", off=302, hr=403, aud=403, adm=403
    ),
    "applications:audit_entrust": signed_in(
        404, method="post", target="at_bureau", off=302, hr=403, aud=403, adm=403
    ),
    "applications:audit_notice": signed_in(404, target="notice", hr=200, aud=200),
    "applications:audit_notice_export": signed_in(404, target="notice", hr=200, aud=200),
    "applications:audit_objection_resolve": signed_in(
        404, method="post", target="objection", hr=302, aud=403
    ),
    "applications:authorisation": signed_in(403, hr=200, hr2=200, off=200, off2=200),
    "applications:authorisation_confirm": signed_in(404, method="post", target="letter", off=302),
    "applications:public_notices": everyone(200),
    # ---------------------------------------------------------------- the auditor's (read-only) pages
    "applications:oversight": signed_in(403, aud=200, aud2=200),
    "applications:oversight_notices": signed_in(403, aud=200, aud2=200),
    "applications:oversight_stats": signed_in(403, aud=200, aud2=200),
    # The signed audit checkpoints: any auditor and the administrator (the scene has none to download).
    "applications:audit_checkpoints": signed_in(403, aud=200, aud2=200, adm=200),
    "applications:audit_checkpoint_download": signed_in(403, kwargs={"seq": 1}, aud=404, aud2=404, adm=404),
    "applications:public_notice": everyone(200, target="notice"),
    # ---------------------------------------------------------------- API: applicant
    "api-archive": api_signed_in(200),
    "api-archive-json": api_signed_in(200),
    "api-applications": api_signed_in(200),
    "api-application": api_signed_in(404, target="submitted", app=200, hr=200, aud=200, adm=200),
    "api-application-evidence": api_signed_in(404, target="submitted", app=200, hr=200, aud=200, adm=200),
    "api-application-pledge": api_signed_in(404, method="post", target="draft", app=200, adm=403),
    "api-application-submit": api_signed_in(404, method="post", target="draft", app=200, adm=403),
    "api-application-resubmit": api_signed_in(
        404, method="post", target="submitted", app=409, hr=403, aud=403, adm=403
    ),
    "api-application-withdraw": api_signed_in(
        404, method="post", target="submitted", app=200, hr=403, aud=403, adm=403
    ),
    "api-employer-return": api_signed_in(
        404,
        method="post",
        target="submitted",
        hr=200,
        app=403,
        aud=403,
        adm=403,
        data={"items": {"degree": "不清晰"}},
    ),
    "api-employer-reject": api_signed_in(
        404, method="post", target="submitted", hr=200, app=403, aud=403, adm=403, data={"reason": "不符合"}
    ),
    "api-employer-recommend": api_signed_in(
        404, method="post", target="submitted", hr=409, app=403, aud=403, adm=403
    ),
    "api-bureau-return": api_signed_in(
        404, method="post", target="at_bureau", off=200, hr=403, aud=403, adm=403, data={"reason": "缺材料"}
    ),
    "api-bureau-recommend": api_signed_in(
        404, method="post", target="at_bureau", off=200, hr=403, aud=403, adm=403
    ),
    "api-publicity": everyone(200),
    "api-publicity-detail": everyone(200, target="notice"),
    "api-objection-create": everyone(201, method="post", target="notice", data="objection"),
    "api-objection-resolve": api_signed_in(
        404, method="post", target="objection", hr=200, data={"upheld": False, "reason": "异议不成立"}
    ),
    # ---------------------------------------------------------------- certificates
    "certificates:verify": everyone(200),
    "certificates:keys": everyone(200),
    "certificates:status": everyone(200),
    "api-certificate-verify": everyone(400),
    "certificates:mine": signed_in(200),
    "certificates:detail": signed_in(404, target="certificate", app=200, off=200, aud=200, adm=200),
    "certificates:download": signed_in(404, target="certificate", app=200, off=200, aud=403, adm=403),
    "certificates:revoke": signed_in(
        404, method="post", target="certificate", off=302, app=403, aud=403, adm=403
    ),
    "certificates:suspend": signed_in(
        404, method="post", target="certificate", off=302, app=403, aud=403, adm=403
    ),
    "certificates:reinstate": signed_in(
        404, method="post", target="certificate", off=302, app=403, aud=403, adm=403
    ),
    "certificates:issue": signed_in(403, off=200, off2=200),
    "certificates:issue_create": signed_in(403, method="post", off=302, off2=302),
    "certificates:batches": signed_in(403, off=200, off2=200, aud=200, aud2=200, adm=200),
    "certificates:batch": signed_in(403, target="batch", off=200, off2=404, aud=200, aud2=404, adm=200),
    "certificates:batch_progress": signed_in(
        403, target="batch", off=200, off2=404, aud=200, aud2=404, adm=200
    ),
    "certificates:batch_rerun": signed_in(
        403, method="post", target="batch", off=302, off2=404, aud=403, aud2=404, adm=403
    ),
    "certificates:review_form": signed_in(404, target="submitted", app=200, hr=200, aud=200, adm=200),
    "certificates:exceptional_form": signed_in(404, target="submitted"),
    # ---------------------------------------------------------------- working-day calendar
    "rules:calendar": signed_in(403, off=200, off2=200, adm=200),
    "rules:calendar_year": signed_in(403, kwargs={"year": 2027}, off=200, off2=200, adm=200),
    "rules:calendar_preview": signed_in(
        403, method="post", kwargs={"year": 2027}, data=CALENDAR_2027, off=200, off2=200, adm=200
    ),
    "rules:calendar_save": signed_in(
        403, method="post", kwargs={"year": 2027}, data=CALENDAR_2027, off=302, off2=302, adm=302
    ),
}
for _kind in [
    "educations",
    "work_periods",
    "titles",
    "skill_certificates",
    "assessments",
    "ce_hours",
    "achievements",
    "social_insurance",
]:
    MATRIX[f"api-{_kind}"] = api_signed_in(200)
    MATRIX[f"api-{_kind}-detail"] = api_signed_in(
        404,
        target="work_period" if _kind == "work_periods" else "missing",
        app=200 if _kind == "work_periods" else 404,
    )


def _url_names(patterns=None, namespace=None):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            if p.app_name == "admin" or (p.namespace or "").startswith("admin"):
                continue
            yield from _url_names(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}:{p.name}" if namespace else p.name


def test_every_url_has_a_row():
    # The committee's pages are exercised against their own personas (a drawn meeting, experts drawn
    # for another meeting, pilot units) in tests/committees/test_http_permissions.py, in the same form.
    from tests.committees.test_http_permissions import TABLE as COMMITTEE_TABLE

    # The committees' API routes (api-…) are included under api/v1/ without the app's namespace.
    covered = set(MATRIX) | {
        name if name.startswith("api-") else f"committees:{name}" for name in COMMITTEE_TABLE
    }
    missing = sorted(set(_url_names()) - covered)
    assert not missing, f"URLs without a row in the permission matrix: {missing}"


class Scene:
    """One of each object the matrix URLs act on, owned by the personas of the `world` fixture."""

    def __init__(self, world, frozen_clock, capture):
        from applications import audit, publicity
        from applications.models import AuthorisationLetter, WorkPeriod
        from committees.models import Expert

        self.world = world
        self.users = {
            "app": world.applicant,
            "app2": world.other_applicant,
            "hr": world.hr,
            "hr2": world.other_hr,
            "off": world.officer,
            "off2": world.other_officer,
            "clk": world.clerk,
            "clk2": world.other_clerk,
            "aud": world.auditor,
            "aud2": world.auditor_of("330600", "绍兴市"),
        }
        for code in ("exd", "exn"):
            user = world.user(f"expert_{code}", "expert", world.committee)
            Expert.objects.create(
                user=user,
                name=user.first_name,
                committee=world.committee,
                specialty=world.specialty,
                title=world.quals[4],
                region=world.city,
                active_from=dt.date(2020, 1, 1),
            )
            self.users[code] = user
        from tests.factories import UserFactory

        self.users["adm"] = UserFactory(username="root", is_superuser=True, is_staff=True)
        # "app" owns both: a submitted one for 助理工程师 in 2026 and a draft for 工程师 in the same
        # committee's 2027 plan (a person declares once per plan year).
        self.submitted = world.submitted(world.applicant, serial=502, qualification=world.quals[2])
        self.draft = world.ready_draft(world.applicant, serial=502, plan=self._plan_of(world, 2027))
        bureau_user = world.user("a_bur", "applicant", world.employer)
        self.at_bureau = world.submitted(bureau_user, serial=503)
        world.through_employer_publicity([self.at_bureau], frozen_clock)
        audit.employer_recommend(application=self.at_bureau, actor=world.hr)
        frozen_clock.set(dt.datetime(2026, 6, 8, 2, 0, tzinfo=dt.UTC))
        notice_user = world.user("a_pub", "applicant", world.employer)
        self.notice = world.publicised([world.submitted(notice_user, serial=504)])
        entry = self.notice.entries.get()
        self.objection = publicity.objection_lodge(
            entry=entry, name="王某", contact="13800000000", reason="所报项目并非本人主持，请核实。"
        )
        self.objection_data = {
            "entry": entry.pk,
            "name": "李某",
            "contact": "13900000000",
            "reason": "所报论文非本人撰写，请核实。",
        }
        self.evidence = self.submitted.evidence.first()
        self.work_period = WorkPeriod.objects.filter(archive__user=world.applicant).first()
        world.employer.parent_bureau = world.bureau
        world.employer.save()
        self.letter = AuthorisationLetter.objects.create(
            organisation=world.employer,
            uploaded_by=world.hr,
            content_type="application/pdf",
            file=SimpleUploadedFile("l.pdf", PDF_BYTES),
        )
        self.plan_code = world.plan.code
        self.objects = {
            "draft": self.draft,
            "submitted": self.submitted,
            "at_bureau": self.at_bureau,
            "notice": self.notice,
            "objection": self.objection,
            "evidence": self.evidence,
            "work_period": self.work_period,
            "letter": self.letter,
            "missing": type("Missing", (), {"pk": 999999})(),
        }
        self._certificate(world, capture)

    @staticmethod
    def _plan_of(world, year: int):
        """An open plan of world's committee for another review year."""
        from tests.factories import PlanFactory

        return PlanFactory(
            committee=world.committee,
            receiving_org=world.bureau,
            year=year,
            title=f"{year}年度工程师评审计划",
        )

    def _certificate(self, world, capture):
        """An issued certificate of the applicant (a title the plan recommends upward, approved here)."""
        from certificates.models import CommitteeCode, IssuerProfile
        from certificates.services.keys import signing_key_create
        from tests.certificates.conftest import ISSUER_CODE, TYPE_CODE, approve, issue

        profile = IssuerProfile.objects.create(
            organisation=world.bureau,
            name=world.bureau.name,
            credit_code=ISSUER_CODE,
            region_code="330800",
            type_code=TYPE_CODE,
        )
        CommitteeCode.objects.create(issuer=profile, committee=world.committee, code="001")
        signing_key_create(issuer=profile)
        # A senior title this committee reviews itself (by default the plan only recommends it upward).
        world.plan.qualifications.add(world.quals[4])
        CommitteeAuthority.objects.filter(committee=world.committee).update(max_level=TitleLevel.SENIOR)
        plan = self._plan_of(world, 2025)
        plan.qualifications.add(world.quals[4])
        application = approve(
            world, world.submitted(world.applicant, serial=502, qualification=world.quals[4], plan=plan)
        )
        batch = issue(world, [application], capture)
        self.objects["batch"] = batch
        self.objects["certificate"] = batch.certificates.get()

    def url(self, name: str, r: Row) -> str:
        kwargs = dict(r.kwargs or {})
        if r.target == "plan_code":
            kwargs["code"] = self.plan_code
        elif r.target:
            kwargs["pk"] = self.objects[r.target].pk
        return reverse(name, kwargs=kwargs)

    def client(self, persona: str) -> Client:
        # Each persona its own address: rate limits count per address and survive the rollback.
        client = Client(REMOTE_ADDR=f"192.0.2.{PERSONAS.index(persona) + 1}")
        if persona != "anon":
            client.force_login(self.users[persona])
        return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(world, frozen_clock, django_capture_on_commit_callbacks, name):
    r = MATRIX[name]
    scene = Scene(world, frozen_clock, django_capture_on_commit_callbacks)
    data = scene.objection_data if r.data == "objection" else (r.data or {})
    is_api = name.startswith("api-") or ":api_" in name
    failures = []
    for persona in PERSONAS:
        # Each persona meets the same scene: an allowed POST is rolled back before the next one.
        sid = transaction.savepoint()
        try:
            client = scene.client(persona)
            url = scene.url(name, r)
            if r.method == "post" and is_api:
                response = client.post(url, data, content_type="application/json")
            else:
                response = getattr(client, r.method)(url, data) if r.method == "post" else client.get(url)
        finally:
            transaction.savepoint_rollback(sid)
        expected = r.status_for(persona)
        if response.status_code != expected:
            failures.append(f"{persona}: expected {expected}, got {response.status_code}")
    assert not failures, f"{name}: " + "; ".join(failures)
