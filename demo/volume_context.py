"""What generate_volume builds on: the demo's plans, committees, bureaus and channel organisations as
loaded by load_demo, the staff who act at each stage (created where the demo has none), and the employers
of the province, created here in every district with their HR."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from portal import clock
from portal.models import Organisation, OrgKind, ReviewPlan, Role
from portal.validators import uscc_check_char

from .people import _demo_password_hash
from .story_meetings import member
from .tables import table
from .volume_copy import Copier, reserve_ids

# Employers per application: a province's 1,000,000 applications come from about 20,000 employers.
APPLICATIONS_PER_EMPLOYER = 50
INDUSTRIES = [
    "机械",
    "电气",
    "建设",
    "信息",
    "化工",
    "纺织",
    "食品",
    "医药",
    "新材料",
    "环境",
    "交通",
    "电子",
]
FORMS = ["有限公司", "股份有限公司", "科技有限公司", "集团有限公司"]


@dataclass
class PlanInfo:
    id: int
    code: str
    year: int
    committee_id: int
    higher_committee_id: int | None
    receiving_org_id: int | None
    qualifications: list  # of Qualification
    recommend_qualifications: list
    specialties: list  # of (Specialty, [SubSpecialty])


@dataclass
class Context:
    run: int
    rng: random.Random
    now: dt.datetime
    plans: list[PlanInfo]
    committees: dict[int, Organisation]
    employers: list[Organisation] = field(default_factory=list)
    agencies: list[Organisation] = field(default_factory=list)
    dispatchers: list[Organisation] = field(default_factory=list)
    points: list[Organisation] = field(default_factory=list)
    hr: dict[int, int] = field(default_factory=dict)  # org id -> user id
    officer: dict[int, int] = field(default_factory=dict)
    clerk: dict[int, int] = field(default_factory=dict)
    tables: set[str] = field(default_factory=set)

    def prefix(self) -> str:
        return f"vol{self.run}"


def next_run() -> int:
    """Each run's accounts are named vol<run>-…: a second run adds a new set beside the first."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM auth_user WHERE username ~ '^vol[0-9]+-hr-0$'")
        return cursor.fetchone()[0] + 1


def load_context(*, rng: random.Random, run: int) -> Context:
    plans = []
    query = ReviewPlan.objects.filter(status=ReviewPlan.Status.PUBLISHED).order_by("pk")
    for plan in query.prefetch_related(
        "qualifications__series", "recommend_qualifications__series", "specialties__subspecialties"
    ):
        specialties = [(s, list(s.subspecialties.all())) for s in plan.specialties.all()]
        quals = list(plan.qualifications.all())
        if not quals or not specialties:
            continue
        plans.append(
            PlanInfo(
                plan.pk,
                plan.code,
                plan.year,
                plan.committee_id,
                plan.higher_committee_id,
                plan.receiving_org_id,
                quals,
                list(plan.recommend_qualifications.all()),
                specialties,
            )
        )
    committee_ids = {p.committee_id for p in plans} | {p.higher_committee_id for p in plans} - {None}
    committees = Organisation.objects.select_related("parent_bureau__region", "region").in_bulk(committee_ids)
    context = Context(run=run, rng=rng, now=clock.now(), plans=plans, committees=committees)
    channel = Organisation.objects.filter(is_active=True)
    context.agencies = list(channel.filter(kind=OrgKind.PERSONNEL_AGENCY))
    context.dispatchers = list(channel.filter(kind=OrgKind.DISPATCH_COMPANY))
    context.points = list(channel.filter(kind=OrgKind.SERVICE_POINT))
    return context


def _user_row(user_id: int, username: str, name: str, joined: dt.datetime) -> list:
    return [user_id, _demo_password_hash(), None, False, username, name, "", f"{username}@volume.example.cn"]


USER_COLUMNS = [
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
]
USER_TAIL = ["is_staff", "is_active", "date_joined"]


class Users:
    """auth_user and portal_membership rows, copied as they are made."""

    def __init__(self, context: Context, count: int):
        self.context = context
        self.next_id = reserve_ids("auth_user", count)
        self.last_id = self.next_id + count - 1
        self.users = Copier("auth_user", USER_COLUMNS + USER_TAIL)
        self.memberships = Copier(
            "portal_membership", ["user_id", "organisation_id", "role", "is_active", "created_at"]
        )
        context.tables |= {"auth_user", "portal_membership"}

    def add(self, username: str, name: str, *, org_id: int | None, role: str | None) -> int:
        if self.next_id > self.last_id:
            raise RuntimeError("生成数据：预留的用户编号不足。")
        user_id = self.next_id
        self.next_id += 1
        now = self.context.now
        self.users.add(_user_row(user_id, username, name, now) + [False, True, now])
        if org_id is not None:
            self.memberships.add([user_id, org_id, role, True, now])
        return user_id

    def close(self) -> None:
        self.users.close()
        self.memberships.close()


def _staff(context: Context, users: Users, org_id: int, role: str, tag: str) -> int:
    found = member(org_id, role)
    if found is not None:
        return found.pk
    return users.add(f"{context.prefix()}-{tag}-{org_id}", f"{tag}{org_id}", org_id=org_id, role=role)


def load_staff(context: Context, users: Users) -> None:
    """The demo's HR, officers and clerks where it has them; a generated one where it has none."""
    for plan in context.plans:
        for committee_id in filter(None, [plan.committee_id, plan.higher_committee_id]):
            if committee_id not in context.clerk:
                context.clerk[committee_id] = _staff(context, users, committee_id, Role.CLERK, "clerk")
            bureau_id = context.committees[committee_id].parent_bureau_id
            if bureau_id and bureau_id not in context.officer:
                context.officer[bureau_id] = _staff(context, users, bureau_id, Role.OFFICER, "officer")
        if plan.receiving_org_id and plan.receiving_org_id not in context.officer:
            context.officer[plan.receiving_org_id] = _staff(
                context, users, plan.receiving_org_id, Role.OFFICER, "officer"
            )
    for org in [*context.agencies, *context.dispatchers, *context.points]:
        context.hr[org.pk] = _staff(context, users, org.pk, Role.HR, "hr-channel")


def create_employers(context: Context, users: Users, count: int) -> None:
    """Employers in every district, each under its district's bureau, authorised, with one HR account."""
    districts = list(
        Organisation.objects.filter(kind=OrgKind.DISTRICT_BUREAU).select_related("region").order_by("pk")
    )
    if not districts:
        districts = list(Organisation.objects.filter(Q(kind=OrgKind.CITY_BUREAU)).select_related("region"))
    surnames = table("experts")["surnames"]
    first = reserve_ids("portal_organisation", count)
    rows = Copier(
        "portal_organisation",
        ["id", "name", "short_name", "kind", "credit_code", "region_id", "parent_bureau_id", "is_private"]
        + ["contact_phone", "address", "authorisation_confirmed_at", "is_active"],
    )
    context.tables.add("portal_organisation")
    kinds = [OrgKind.ENTERPRISE] * 8 + [OrgKind.PUBLIC_INSTITUTION, OrgKind.SOCIAL_ORG]
    for n in range(count):
        org_id = first + n
        bureau = districts[n % len(districts)]
        region = bureau.region
        kind = kinds[n % len(kinds)]
        trade = INDUSTRIES[(n // 7) % len(INDUSTRIES)]
        name = (
            f"{region.name}{surnames[n % len(surnames)]}{trade}{FORMS[n % len(FORMS)]}（{context.run}-{n}）"
        )
        if kind != OrgKind.ENTERPRISE:
            name = f"{region.name}{trade}技术研究所（{context.run}-{n}）"
        body = f"{region.code}{context.run:02d}{n:07d}"[-15:]
        code = "91" + body if kind == OrgKind.ENTERPRISE else "12" + body
        code += uscc_check_char(code)
        rows.add(
            [org_id, name, "", kind, code, region.pk, bureau.pk, kind == OrgKind.ENTERPRISE]
            + [f"0570-{8000000 + n % 1999999}", f"{region.name}工业园区{n % 300 + 1}号", context.now, True]
        )
        hr_id = users.add(f"{context.prefix()}-hr-{n}", f"人事{n}", org_id=org_id, role=Role.HR)
        context.hr[org_id] = hr_id
        context.employers.append(_Employer(org_id, name, code, bureau.pk, region.pk, region.code))
    rows.close()


@dataclass(frozen=True)
class _Employer:
    """The few fields of a generated (or demo) organisation the generator needs, without a model object."""

    pk: int
    name: str
    credit_code: str
    parent_bureau_id: int | None
    region_id: int
    region_code: str


def as_employer(org: Organisation) -> _Employer:
    return _Employer(org.pk, org.name, org.credit_code or "", org.parent_bureau_id, org.region_id, "")


def count_users_needed(applications: int, employers: int, context: Context) -> int:
    staff = 3 * (len(context.committees) + len(context.plans)) + len(context.agencies) + 8
    return applications + employers + staff


def employer_count(applications: int) -> int:
    return max(10, applications // APPLICATIONS_PER_EMPLOYER)
