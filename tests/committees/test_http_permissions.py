"""Every committees URL against every persona: who may (200/201/302), the outsider (404), the wrong role
(403), the wrong method (405); and list pages whose query count does not grow with the page."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, get_resolver, reverse

from committees import services
from committees import urls as committees_urls
from committees.models import Conflict, DrawEntry, ResultFiling
from portal.models import OrgKind
from tests import factories

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anon",
    "clerk",
    "other_clerk",
    "officer",
    "other_officer",
    "hr",
    "applicant",
    "other_applicant",
    "exd",
    "exn",
    "exo",
    "pilot_hr",
    "district",
    "auditor",
    "other_auditor",
]
FORMS = {"meeting_new", "pilot_apply"}
ROLE_PAGE = 403  # a signed-in user without the role a page needs
LOGIN = 302


def ok(*personas, status=302):
    return dict.fromkeys(personas, status)


# name: (target, method, default for other personas, {persona: status}, data)
CLERK_ONLY = ok("clerk", "other_clerk", status=200)
MEETING_CLERK = {**ok("clerk"), "officer": 403, "exd": 403}
TABLE = {
    "queue": (None, "get", ROLE_PAGE, CLERK_ONLY, None),
    "experts": (None, "get", ROLE_PAGE, CLERK_ONLY, None),
    "experts_export": (None, "get", ROLE_PAGE, CLERK_ONLY, None),
    "experts_import": (None, "post", ROLE_PAGE, ok("clerk", "other_clerk"), {}),
    # A pool expert without an account, invited by the office; the link's pages answer anyone with it.
    "expert_invite": ("pool_expert", "post", ROLE_PAGE, {"clerk": 302, "other_clerk": 404}, {}),
    "expert_join": ("token", "get", 200, {"anon": 200}, None),
    "expert_join_accept": ("token", "post", 302, {}, {}),
    "expert_join_signup": ("token", "post", 200, {"anon": 400}, {}),
    "meeting_new": (None, "get", ROLE_PAGE, CLERK_ONLY, None),
    "meetings": (None, "get", 200, {}, None),
    "my_meetings": (None, "get", ROLE_PAGE, ok("exd", "exn", "exo", status=200), None),
    "declare": (None, "post", ROLE_PAGE, ok("exd", "exn", "exo"), {}),
    "initial_queue": (None, "get", ROLE_PAGE, ok("officer", "other_officer", "district", status=200), None),
    "filings": (
        None,
        "get",
        ROLE_PAGE,
        ok("clerk", "other_clerk", "officer", "other_officer", "district", status=200),
        None,
    ),
    "pilots": (
        None,
        "get",
        ROLE_PAGE,
        ok("officer", "other_officer", "hr", "pilot_hr", "district", status=200),
        None,
    ),
    "pilot_apply": (None, "get", ROLE_PAGE, ok("hr", "pilot_hr", status=200), None),
    "authorities": (
        None,
        "get",
        ROLE_PAGE,
        ok("clerk", "other_clerk", "officer", "other_officer", "district", status=200),
        None,
    ),
    # Batch actions name applications: another committee's clerk gets 404 for them.
    "pre_review_publicise": (None, "post", ROLE_PAGE, {"clerk": 302, "other_clerk": 404}, "apps"),
    "results_publicise": (None, "post", ROLE_PAGE, {"clerk": 302, "other_clerk": 404}, "apps"),
    "filing_new": (None, "post", ROLE_PAGE, {"clerk": 302, "other_clerk": 404}, "apps"),
    # One application in the qualification check: those who see it elsewhere get 403.
    "qualification": ("app_q", "get", 404, {"clerk": 200, "officer": 403, "hr": 403, "applicant": 403}, None),
    "pass": ("app_q", "post", 404, {"clerk": 302, "officer": 403, "hr": 403, "applicant": 403}, {}),
    "return": ("app_q", "post", 404, {"clerk": 302, "officer": 403, "hr": 403, "applicant": 403}, {}),
    "reject": ("app_q", "post", 404, {"clerk": 302, "officer": 403, "hr": 403, "applicant": 403}, {}),
    "recognise": ("app_q", "post", 404, {"clerk": 302, "officer": 403, "hr": 403, "applicant": 403}, {}),
    "receive": ("app_q", "post", 404, {"clerk": 403, "officer": 403, "hr": 403, "applicant": 403}, {}),
    "initial_determine": ("app_i", "post", 404, {"officer": 302, "clerk": 403, "hr": 403}, {}),
    # A meeting in its vote.
    "meeting": ("meeting", "get", 404, ok("clerk", "officer", "exd", status=200), None),
    "meeting_assign": ("meeting", "post", 404, MEETING_CLERK, {}),
    "meeting_unassign": ("meeting", "post", 404, MEETING_CLERK, {}),
    "meeting_conflicts": ("meeting", "post", 404, MEETING_CLERK, {}),
    "meeting_draw": ("meeting", "post", 404, MEETING_CLERK, {}),
    "meeting_start": ("meeting", "post", 404, MEETING_CLERK, {}),
    "meeting_cancel": ("meeting", "post", 404, MEETING_CLERK, {}),
    "meeting_attendance": ("meeting", "post", 404, MEETING_CLERK, {}),
    "meeting_open_voting": ("meeting", "post", 404, MEETING_CLERK, {}),
    "meeting_close": ("meeting", "post", 404, MEETING_CLERK, {}),
    "meeting_publicise": ("meeting", "post", 404, MEETING_CLERK, {}),
    "meeting_filing": ("meeting", "post", 404, MEETING_CLERK, {}),
    "meeting_file": ("meeting", "post", 404, {"officer": 302, "clerk": 403, "exd": 403}, {}),
    "meeting_recusal": ("meeting", "post", 404, {"clerk": 302, "exd": 302, "officer": 403}, {}),
    "meeting_ballot": ("meeting", "post", 404, {"exd": 302, "clerk": 403, "officer": 403}, "ballot"),
    "meeting_results": ("meeting", "get", 404, {"clerk": 200, "officer": 200, "exd": 403}, None),
    "meeting_stats": ("meeting", "get", 404, {"clerk": 200, "officer": 200, "exd": 403}, None),
    "meeting_stats_export": ("meeting", "get", 404, {"clerk": 200, "officer": 200, "exd": 403}, None),
    "meeting_evidence": ("evidence", "get", 404, {"clerk": 200, "exd": 200, "officer": 403}, None),
    "api-ballot": ("meeting", "post", 404, {"exd": 201, "clerk": 403, "officer": 403, "anon": 403}, "ballot"),
    "api-results": ("meeting", "get", 404, {"clerk": 200, "officer": 200, "exd": 200, "anon": 403}, None),
    "conflict_dismiss": ("conflict", "post", 404, {"clerk": 302, "officer": 403, "exd": 403}, {}),
    "decline": ("invitation", "post", 404, {"exd": 302}, {}),
    "accept": ("invitation", "post", 404, {"exd": 302}, {}),
    "filing": ("filing", "get", 404, ok("clerk", "officer", status=200), None),
    "filing_pdf": ("filing", "get", 404, ok("clerk", "officer", status=200), None),
    "filing_approve": ("filing", "post", 404, {"officer": 302, "clerk": 403}, {}),
    "pilot": ("pilot", "get", 404, ok("pilot_hr", "district", "officer", status=200), None),
    "pilot_district_audit": ("pilot", "post", 404, {"district": 302, "officer": 403, "pilot_hr": 403}, {}),
    "pilot_file": ("pilot", "post", 404, {"officer": 302, "district": 403, "pilot_hr": 403}, {}),
    "authority_status": ("authority", "post", 404, {"officer": 302, "clerk": 403}, {}),
    # Published results are public; a filing not yet approved is not.
    "public_results": (None, "get", 200, {"anon": 200}, None),
    "public_result": ("published", "get", 200, {"anon": 200}, None),
}

# The auditor (监督审计) of the committees' city reads their meetings, results and filings and is refused
# every action on them, and on the applications it sees (403); an auditor of another city meets 404 and
# finds neither city's filings on the (open) list.
AUDITOR_READS = (
    "filings",
    "meeting",
    "meeting_results",
    "meeting_stats",
    "meeting_stats_export",
    "api-results",
    "filing",
    "filing_pdf",
)
AUDITOR_REFUSED = (
    "qualification",
    "pass",
    "return",
    "reject",
    "recognise",
    "receive",
    "initial_determine",
    "meeting_assign",
    "meeting_unassign",
    "meeting_conflicts",
    "meeting_draw",
    "meeting_start",
    "meeting_cancel",
    "meeting_attendance",
    "meeting_open_voting",
    "meeting_close",
    "meeting_publicise",
    "meeting_filing",
    "meeting_file",
    "meeting_recusal",
    "meeting_ballot",
    "meeting_evidence",
    "api-ballot",
    "conflict_dismiss",
    "filing_approve",
)
for _name, _status in [*((n, 200) for n in AUDITOR_READS), *((n, 403) for n in AUDITOR_REFUSED)]:
    _target, _method, _default, _expect, _data = TABLE[_name]
    _expect = {**_expect, "auditor": _status}
    if _name == "filings":
        _expect["other_auditor"] = 200
    TABLE[_name] = (_target, _method, _default, _expect, _data)


class Scene:
    def __init__(self, cw, world):
        for i in range(16, 30):
            cw.experts.append(cw.expert(i))
        self.app_q = cw.at_committee(1)[0]
        self.app_i = cw.qualified(1, declaration_type="initial")[0]
        app_m, app_m2 = cw.awaiting_meeting(2)
        self.meeting = cw.voting([app_m])
        other = cw.started([app_m2], title="第二场评审会议", days=8)
        panel = set(cw.panel(self.meeting))
        exd = next(iter(cw.present_experts(self.meeting)))
        exo = next(e for e in cw.panel(other) if e not in panel)
        exn = next(e for e in cw.experts if not DrawEntry.objects.filter(expert=e).exists())
        district = factories.OrganisationFactory(
            name="柯城区人力社保局",
            kind=OrgKind.DISTRICT_BUREAU,
            credit_code=None,
            parent_bureau=world.bureau,
        )
        unit = factories.OrganisationFactory(name="试点企业", parent_bureau=district)
        pilot_hr = world.user("pilot_hr", "hr", unit)
        self.pilot = services.pilot_apply(
            unit=unit,
            actor=pilot_hr,
            specialties=[cw.specialty],
            industry="机械",
            address="地址",
            legal_rep_name="张",
            contact_name="李",
            contact_mobile="13800000000",
            introduction="简介",
        )
        self.users = {
            "clerk": world.clerk,
            "other_clerk": world.other_clerk,
            "officer": world.officer,
            "other_officer": world.other_officer,
            "hr": world.hr,
            "applicant": self.app_q.applicant,
            "other_applicant": world.other_applicant,
            "exd": exd.user,
            "exn": exn.user,
            "exo": exo.user,
            "pilot_hr": pilot_hr,
            "district": world.user("district_off", "officer", district),
            "auditor": world.auditor,
            "other_auditor": world.auditor_of("330600", "绍兴市"),
        }
        self.objects = {
            "app_q": self.app_q,
            "app_i": self.app_i,
            "meeting": self.meeting,
            "pilot": self.pilot,
            "authority": cw.authority,
            "conflict": Conflict.objects.create(
                meeting=self.meeting,
                expert=exn,
                application=app_m,
                kind="same_employer",
                source="derived",
                detail="同一单位",
                found_at=cw.clock.now(),
            ),
            "invitation": DrawEntry.objects.get(draw__meeting=self.meeting, expert=exd),
            "filing": ResultFiling.objects.create(
                committee=world.committee, title="备案表", created_by=world.clerk, created_at=cw.clock.now()
            ),
            "published": ResultFiling.objects.create(
                committee=world.committee,
                title="已核准",
                created_by=world.clerk,
                created_at=cw.clock.now(),
                status="approved",
                approved_by=world.officer,
                approved_at=cw.clock.now(),
                approval_document_no="衢人社〔2026〕9号",
            ),
        }
        pool_expert = cw.expert(99, user=None)
        self.token = services.expert_invite(
            expert=pool_expert, actor=world.clerk, email="e@example.com"
        ).token
        self.objects["pool_expert"] = pool_expert
        self.evidence = app_m.evidence.first()
        self.data = {
            "apps": {"applications": [str(self.app_q.pk)]},
            "ballot": {"application": str(app_m.pk), "choice": "agree"},
        }

    def url(self, name, target):
        # The API routes are included under api/v1/ without the app's namespace.
        name = name if name.startswith("api-") else f"committees:{name}"
        if target is None:
            return reverse(name)
        if target == "token":
            return reverse(name, args=[self.token])
        if target == "evidence":
            return reverse(name, args=[self.meeting.pk, self.evidence.pk])
        return reverse(name, args=[self.objects[target].pk])

    def client(self, persona):
        client = Client()
        if persona != "anon":
            client.force_login(self.users[persona])
        return client


def test_every_committees_url_is_in_the_table():
    resolver = get_resolver("committees.urls")
    patterns = [*resolver.url_patterns, *committees_urls.api_urlpatterns]
    names = {p.name for p in patterns if isinstance(p, URLPattern)}
    assert names == set(TABLE)


def test_who_may_and_who_may_not(cw, world):
    scene = Scene(cw, world)
    failures = []
    for name, (target, method, default, expect, data) in TABLE.items():
        url = scene.url(name, target)
        is_api = name.startswith("api-")
        for persona in PERSONAS:
            expected = expect.get(persona, default)
            if persona == "anon" and persona not in expect:
                expected = LOGIN
            sid = transaction.savepoint()
            try:
                client = scene.client(persona)
                payload = scene.data.get(data, data) if isinstance(data, str) else (data or {})
                if method == "post" and is_api:
                    response = client.post(url, payload, content_type="application/json")
                elif method == "post":
                    response = client.post(url, payload)
                else:
                    response = client.get(url)
            finally:
                transaction.savepoint_rollback(sid)
            if response.status_code != expected:
                failures.append(f"{name} {persona}: expected {expected}, got {response.status_code}")
        # The wrong method, by the persona who may use it.
        allowed = next((p for p, s in expect.items() if s < 400), "clerk")
        client = scene.client(allowed)
        wrong = [client.put(url)]
        if name not in FORMS:  # pages that are a form answer both GET and POST
            wrong.append(client.post(url) if method == "get" else client.get(url))
        for response in wrong:
            if response.status_code != 405:
                failures.append(
                    f"{name}: wrong method {response.request['REQUEST_METHOD']} gave {response.status_code}"
                )
    assert not failures, "\n".join(failures)


_more = itertools.count(100)


def _pilot(cw, i):
    unit = factories.OrganisationFactory(name=f"试点单位{next(_more)}", parent_bureau=cw.w.bureau)
    hr = cw.w.user(f"pilot_hr_{unit.pk}", "hr", unit)
    return services.pilot_apply(
        unit=unit,
        actor=hr,
        specialties=[cw.specialty],
        industry="机械",
        address="地址",
        legal_rep_name="张",
        contact_name="李",
        contact_mobile="13800000000",
        introduction="简介",
    )


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("experts", lambda cw, n: [cw.expert(next(_more)) for _ in range(n)]),
        ("meetings", lambda cw, n: [cw.meeting(title=f"会议{i}") for i in range(n)]),
        (
            "filings",
            lambda cw, n: [
                ResultFiling.objects.create(
                    committee=cw.committee, title=f"备案{i}", created_by=cw.w.clerk, created_at=cw.clock.now()
                )
                for i in range(n)
            ],
        ),
        ("pilots", lambda cw, n: [_pilot(cw, i) for i in range(n)]),
        ("initial_queue", lambda cw, n: cw.qualified(n, declaration_type="initial")),
        (
            "public_results",
            lambda cw, n: [
                ResultFiling.objects.create(
                    committee=cw.committee,
                    title=f"公布{i}",
                    created_by=cw.w.clerk,
                    created_at=cw.clock.now(),
                    status="approved",
                    approved_by=cw.w.officer,
                    approved_at=cw.clock.now(),
                    approval_document_no=f"文号{i}",
                )
                for i in range(n)
            ],
        ),
        (
            "authorities",
            lambda cw, n: [
                cw.authorise(
                    factories.OrganisationFactory(
                        kind="committee", credit_code=None, parent_bureau=cw.w.bureau
                    ),
                    cw.w.bureau,
                )
                for i in range(n)
            ],
        ),
    ],
)
def test_list_pages_do_not_grow_their_queries_with_the_page(cw, world, name, make):
    officer_pages = ("authorities", "pilots", "initial_queue")
    client = world.client_for(world.officer if name in officer_pages else world.clerk)
    url = reverse(f"committees:{name}")
    make(cw, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    make(cw, 15)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_an_invitation_list_does_not_grow_its_queries(cw, world):
    for i in range(16, 40):
        cw.experts.append(cw.expert(i))
    apps = cw.awaiting_meeting(3)
    meetings = [cw.filed([a], title=f"会议{i}", days=8 + i) for i, a in enumerate(apps)]
    services.meeting_draw_experts(meeting=meetings[0], actor=world.clerk)
    # Someone on the first panel: their page lists one invitation, then (re-drawn) more.
    expert = cw.panel(meetings[0])[0]
    client = world.client_for(expert.user)
    url = reverse("committees:my_meetings")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for m in meetings[1:]:
        services.meeting_draw_experts(meeting=m, actor=world.clerk)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
