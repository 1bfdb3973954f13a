"""The people and objects the generated API requests meet, and who may see each object.

Every role of the portal signs in with a token of its own: an applicant with a ready draft and an archive,
the employer's HR with a submitted application and an objection to resolve, the bureau's officer with an
application at the bureau, the committee's clerk with a meeting in vote, an expert drawn and present at
that meeting, the bureau's auditor, and nobody (no token). Beside them lie other people's objects: another
applicant's application and archive at another employer, an objection to that employer's notice, and an
empty meeting of another committee. `sees` says, for each object, which roles may read it; the contract
test holds every answer to it (a role outside the set gets 401, 403 or 404, never the object).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from rest_framework.authtoken.models import Token

from applications import audit, publicity
from applications.forms import ENTRY_KINDS
from applications.models import Archive
from committees import services as committee_services
from rules.vocab import AchievementKind, AssessmentGrade, SkillLevel, TitleMethod
from tests import factories
from tests.committees.conftest import CommitteeWorld

ROLES = ("applicant", "hr", "officer", "clerk", "expert", "auditor", "anonymous")
STAFF = ("hr", "officer", "clerk", "auditor")

# One entry of each archive section (besides the education and work period every archive starts with).
ENTRY_FIELDS = {
    "titles": dict(level=3, obtained_date=dt.date(2018, 1, 1), method=TitleMethod.REVIEW, name="助理工程师"),
    "skill_certificates": dict(
        level=SkillLevel.TECHNICIAN, occupation="电工", obtained_date=dt.date(2015, 1, 1)
    ),
    "assessments": dict(year=2024, grade=AssessmentGrade.EXCELLENT),
    "ce_hours": dict(year=2024, public_hours=30, professional_hours=60),
    "achievements": dict(kind=AchievementKind.PROJECT, title="节能电机研制", date=dt.date(2020, 5, 1)),
    "social_insurance": dict(year=2024, employer_name="衢州示例机电有限公司", months=12),
}


@dataclass
class Personas:
    now: object  # the portal's time when the objects were made
    users: dict  # role → User (no entry for anonymous)
    tokens: dict  # role → token key
    # Known objects by kind ("application", "notice", "entry", "objection", "meeting", "plan", "<slug>")
    # → {value: frozenset of roles that may read it}
    sees: dict = field(default_factory=dict)
    # Values worth putting into generated bodies, by field name.
    body_values: dict = field(default_factory=dict)

    def headers(self, role: str) -> dict:
        token = self.tokens.get(role)
        return {"Authorization": f"Token {token}"} if token else {}

    def values(self, kind: str) -> list:
        return list(self.sees.get(kind, {}))

    def hidden_from(self, role: str, kind: str, value) -> bool:
        """True when `value` is a known object of `kind` that `role` may not read."""
        known = self.sees.get(kind, {})
        key = _key(value)
        return key in known and role not in known[key]


def _key(value):
    return str(value)


def _entries(archive: Archive) -> dict:
    """One entry per archive section: {slug: pk}."""
    ids = {"educations": archive.educations.get().pk, "work_periods": archive.work_periods.get().pk}
    for slug, values in ENTRY_FIELDS.items():
        ids[slug] = ENTRY_KINDS[slug].model.objects.create(archive=archive, **values).pk
    return ids


def build(world, clock) -> Personas:
    cw = CommitteeWorld(world, clock)
    w = world
    # A meeting in vote at our committee (this moves the clock to the meeting day).
    meeting_apps = cw.awaiting_meeting(2)
    meeting = cw.voting(meeting_apps)
    expert = cw.present_experts(meeting)[0].user
    foreign_meeting = committee_services.meeting_create(
        committee=w.other_committee,
        actor=w.other_clerk,
        title="另一评委会评审会议",
        held_on=clock.now().date() + dt.timedelta(days=20),
        level=meeting.level,
        place="绍兴",
    )
    # A plan open on that day, and applications at the steps each role acts on.
    plan = factories.PlanFactory(code="fuzz", committee=w.committee, receiving_org=w.bureau)
    at_bureau_user, serial = cw.new_applicant()
    at_bureau = w.submitted(at_bureau_user, serial=serial, plan=plan)
    w.through_employer_publicity([at_bureau], clock)
    audit.employer_recommend(application=at_bureau, actor=w.hr)
    submitted_user, serial = cw.new_applicant()
    submitted = w.submitted(submitted_user, serial=serial, plan=plan)
    notice = w.publicised([submitted])
    objection = publicity.objection_lodge(
        entry=notice.entries.get(),
        name="张三",
        contact="13800000000",
        reason="学历证书的毕业时间与学信网记录不一致。",
    )
    draft = w.ready_draft(w.applicant, serial=120, plan=plan)
    # Another employer's applicant, application, notice and objection.
    foreign = w.submitted(w.other_applicant, serial=121, plan=plan, recommending_org=w.other_employer)
    foreign_notice = publicity.publicity_start(
        stage="employer",
        applications=[foreign],
        actor=w.other_hr,
        publisher=w.other_employer,
        title="另一单位职称申报公示",
    )
    foreign_objection = publicity.objection_lodge(
        entry=foreign_notice.entries.get(),
        name="李四",
        contact="13900000000",
        reason="项目业绩并非本人主持完成，请核实。",
    )

    users = {
        "applicant": w.applicant,
        "hr": w.hr,
        "officer": w.officer,
        "clerk": w.clerk,
        "expert": expert,
        "auditor": w.auditor,
    }
    tokens = {role: Token.objects.create(user=user).key for role, user in users.items()}
    people = Personas(now=clock.now(), users=users, tokens=tokens)

    everyone = frozenset(ROLES)
    at_committee = frozenset({"hr", "officer", "clerk", "auditor", "expert"})
    # Who may read each application at any moment of a run: the generated requests move them on
    # (the applicant submits the draft, the officer recommends to the committee).
    people.sees["application"] = {
        _key(draft.pk): frozenset({"applicant", "hr", "auditor"}),
        _key(submitted.pk): frozenset({"hr", "auditor"}),
        _key(at_bureau.pk): frozenset({"hr", "officer", "clerk", "auditor"}),
        **{_key(a.pk): at_committee for a in meeting_apps},
        # Another employer's: its HR and our bureau's auditor (the same city) only.
        _key(foreign.pk): frozenset({"auditor"}),
    }
    people.sees["notice"] = {_key(notice.pk): everyone, _key(foreign_notice.pk): everyone}
    people.sees["objection"] = {
        _key(objection.pk): frozenset({"hr"}),
        _key(foreign_objection.pk): frozenset(),
    }
    people.sees["meeting"] = {
        _key(meeting.pk): frozenset({"officer", "clerk", "expert", "auditor"}),
        # The other committee sits in the same city: our bureau's auditor reads its meetings too.
        _key(foreign_meeting.pk): frozenset({"auditor"}),
    }
    people.sees["plan"] = {_key(p.code): everyone for p in (plan, w.plan, w.other_plan)}
    own = _entries(draft.archive)
    others = _entries(foreign.archive)
    for slug in ENTRY_KINDS:
        people.sees[slug] = {_key(own[slug]): frozenset({"applicant"}), _key(others[slug]): frozenset()}

    people.body_values = {
        "applications": [[str(submitted.pk)], [str(foreign.pk)], [str(submitted.pk), str(foreign.pk)]],
        "application": [str(a.pk) for a in meeting_apps] + [str(foreign.pk), str(uuid.uuid4())],
        "entry": [notice.entries.get().pk, foreign_notice.entries.get().pk],
        "plan": [plan.code, w.plan.code, w.other_plan.code],
        "qualification": [q.pk for q in cw.quals.values()],
        "specialty": [w.specialty.pk],
        "recommending_org": [w.employer.pk, w.other_employer.pk, w.bureau.pk],
    }
    return people
