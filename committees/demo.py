"""Loads the demo data set of committees/demo_data.py. Idempotent: every row is found by its natural key
(Region.code, Organisation.credit_code or (name, kind), ReviewPlan.code, User.username, Expert (committee,
name), …) and updated in place, so a second run adds nothing. A plan already loaded keeps its dates and
status, so a demo in progress is not reset by reloading."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from applications.models import (
    Achievement,
    AnnualAssessment,
    Archive,
    ContinuingEducation,
    Education,
    SkillCertificate,
    SocialInsuranceRecord,
    TitleHeld,
    WorkPeriod,
)
from portal import authority as authority_services
from portal import clock
from portal.models import (
    Membership,
    Organisation,
    OrgKind,
    PlanMaterial,
    Qualification,
    Region,
    ReviewPlan,
    Role,
    Series,
    Specialty,
    SubSpecialty,
    TitleLevel,
)
from portal.validators import IdType, resident_id_check_char, uscc_check_char, validate_id_number

from . import demo_data as data
from .models import Expert

SHANGHAI = ZoneInfo("Asia/Shanghai")
ADMIN_USERNAME = "admin"
ADMIN_ROLE_LABEL = "系统管理员"

# Days from the load date (seed 003 gives 个人申报 then 单位推荐 then 材料报送, in that order).
OPENS_DAYS_BEFORE = 30
DECLARATION_DAYS_AFTER = 30
EMPLOYER_DAYS_AFTER = 45
MATERIAL_DAYS_AFTER = 50
DEADLINE_HOUR = 17

_LEVEL_BAND = {
    TitleLevel.YUAN: "junior",
    TitleLevel.ASSISTANT: "junior",
    TitleLevel.INTERMEDIATE: "intermediate",
    TitleLevel.DEPUTY_SENIOR: "senior",
    TitleLevel.SENIOR: "senior",
}
_BAND_WORDS = {"初级": "junior", "中级": "intermediate", "高级": "senior"}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    organisation: str


# ---------------------------------------------------------------- identifiers

_GB11714_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_GB11714_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def organisation_code(body: str) -> str:
    """The 9-character organisation code (GB 11714): 8 characters and their check character."""
    total = sum(_GB11714_CHARS.index(c) * w for c, w in zip(body, _GB11714_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(prefix: str, region: str, body: str) -> str:
    """A valid unified social credit code (GB 32100) built from its parts."""
    first17 = prefix + region + organisation_code(body)
    return first17 + uscc_check_char(first17)


def resident_id(region: str, birth: dt.date, serial: str) -> str:
    first17 = f"{region}{birth:%Y%m%d}{serial}"
    return first17 + resident_id_check_char(first17)


# ---------------------------------------------------------------- the loader


def load_demo(*, now: dt.datetime | None = None) -> list[DemoAccount]:
    """Create or update the whole demo data set; return the demo accounts (for printing)."""
    with transaction.atomic():
        return _Loader(now or clock.now()).run()


class _Loader:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.today = timezone.localdate(now, SHANGHAI)
        self.regions: dict[str, Region] = {}
        self.orgs: dict[str, Organisation] = {}
        self.series: dict[str, Series] = {}
        self.quals: dict[tuple[str, str], Qualification] = {}
        self.specialties: dict[tuple[str, str], Specialty] = {}
        self.accounts: list[DemoAccount] = []

    def run(self) -> list[DemoAccount]:
        self.load_regions()
        self.load_bureaus()
        self.load_authorities()
        self.load_catalogue()
        self.load_quzhou_committees()
        self.load_channel_orgs()
        self.load_shangyu()
        self.load_experts()
        self.load_accounts()
        self.load_rules()
        self.load_authorities_of_committees()
        return self.accounts

    def load_authorities_of_committees(self) -> None:
        """Each committee's approval and filing (核准备案) by its bureau, covering its plans' titles."""
        from portal.models import CommitteeAuthority

        for committee in Organisation.objects.filter(kind=OrgKind.COMMITTEE).select_related("parent_bureau"):
            bureau = committee.parent_bureau
            if bureau is None or CommitteeAuthority.objects.filter(committee=committee).exists():
                continue
            plans = list(
                ReviewPlan.objects.filter(committee=committee).prefetch_related(
                    "qualifications__series", "recommend_qualifications__series", "specialties"
                )
            )
            quals = [q for p in plans for q in [*p.qualifications.all(), *p.recommend_qualifications.all()]]
            if not quals:
                continue
            start = dt.date(self.today.year - 1, 1, 1)
            authority_services.authority_create(
                committee=committee,
                approved_by=bureau,
                actor=None,
                document_no=f"{bureau.short_name or bureau.name}核〔{start.year}〕{committee.pk}号",
                valid_from=start,
                valid_until=dt.date(start.year + 2, 12, 31),
                series=list({q.series for q in quals}),
                min_level=min(q.level for q in quals),
                max_level=max(q.level for q in quals),
                region=committee.region,
                specialties=list({s for p in plans for s in p.specialties.all()}),
            )

    def load_rules(self) -> None:
        """Eligibility rule sets for the engineering plans, from the templates of rules/ (kept if edited)."""
        from rules.models import RuleSet
        from rules.services.rulesets import ruleset_install_defaults

        wanted = [
            ("sy2026-jd", "工程师", "zj_engineer_mid_2023"),
            ("qz2026-01", "工程师", "zj_engineer_mid_2023"),
            ("qz2026-01", "助理工程师", "sx_engineer_assistant_2020"),
        ]
        for code, qual_name, template in wanted:
            plan = ReviewPlan.objects.get(code=code)
            qualification = plan.qualifications.get(name=qual_name)
            if not RuleSet.objects.filter(plan=plan, qualification=qualification).exists():
                ruleset_install_defaults(plan=plan, template=template, qualification=qualification)

    # ------------------------------------------------------------ registry

    def load_regions(self) -> None:
        for code, name, level, parent in data.REGIONS:
            self.regions[code], _ = Region.objects.update_or_create(
                code=code, defaults={"name": name, "level": level, "parent": self.regions.get(parent)}
            )

    def _org(self, key: str, *, name: str, kind: str, code: str | None = None, **fields) -> Organisation:
        if code:
            org, _ = Organisation.objects.update_or_create(
                credit_code=code, defaults={"name": name, "kind": kind, "is_active": True, **fields}
            )
        else:
            org, _ = Organisation.objects.update_or_create(
                name=name, kind=kind, defaults={"is_active": True, **fields}
            )
        self.orgs[key] = org
        return org

    def load_bureaus(self) -> None:
        for key, name, short, kind, region, parent, phone in data.BUREAUS:
            self._org(
                f"bureau:{key}",
                name=name,
                kind=kind,
                short_name=short,
                region=self.regions[region],
                parent_bureau=self.orgs.get(f"bureau:{parent}"),
                contact_phone=phone,
            )

    def load_authorities(self) -> None:
        phones: dict[str, str] = {}
        for row in data.QUZHOU_COMMITTEES:
            phones.setdefault(row["receiver"], _quzhou_phone(row["phone"]))
        for short, name in data.AUTHORITIES.items():
            self._org(
                f"authority:{short}",
                name=name,
                kind=OrgKind.INDUSTRY_AUTHORITY,
                short_name=short,
                region=self.regions["330800"],
                parent_bureau=self.orgs["bureau:qz"],
                contact_phone=phones.get(short, ""),
            )
        self.orgs[f"authority:{data.CITY_BUREAU_ABBREVIATION}"] = self.orgs["bureau:qz"]

    def load_catalogue(self) -> None:
        for code, name, exam_based in data.SERIES:
            self.series[code], _ = Series.objects.update_or_create(
                code=code, defaults={"name": name, "exam_based": exam_based}
            )
        for series_code, ladder in data.QUALIFICATIONS.items():
            for level, name in ladder:
                self.quals[series_code, name], _ = Qualification.objects.update_or_create(
                    series=self.series[series_code], name=name, defaults={"level": level}
                )
        for series_code, rows in data.SPECIALTIES.items():
            for code, name in rows:
                self.specialties[series_code, name], _ = Specialty.objects.update_or_create(
                    series=self.series[series_code], code=code, defaults={"name": name}
                )
        jidian = self.specialties["engineering", "机电制造"]
        for name in data.JIDIAN_SUBSPECIALTIES:
            SubSpecialty.objects.get_or_create(specialty=jidian, name=name)

    def _qual(self, ref, series: str) -> Qualification:
        series, name = ref if isinstance(ref, tuple) else (series, ref)
        return self.quals[series, name]

    def _specialty(self, ref, series: str) -> Specialty:
        series, name = ref if isinstance(ref, tuple) else (series, ref)
        return self.specialties[series, name]

    # ------------------------------------------------------------ committees and plans

    def _higher_committee(self, key: str | None) -> Organisation | None:
        if key is None:
            return None
        # The provincial committees are formed by the provincial departments; the demo hangs them on the
        # provincial bureau, which files them.
        return self._org(
            f"higher:{key}",
            name=data.HIGHER_COMMITTEES[key],
            kind=OrgKind.COMMITTEE,
            region=self.regions["330000"],
            parent_bureau=self.orgs["bureau:zj"],
            forming_body=self.orgs["bureau:zj"],
        )

    def load_quzhou_committees(self) -> None:
        for row in data.QUZHOU_COMMITTEES:
            receiver = self.orgs[f"authority:{row['receiver']}"]
            phone = _quzhou_phone(row["phone"])
            committee = self._org(
                f"committee:qz{row['row']:02d}",
                name=row["name"],
                kind=OrgKind.COMMITTEE,
                region=self.regions["330800"],
                parent_bureau=self.orgs["bureau:qz"],
                forming_body=receiver,
                contact_phone=phone,
            )
            review = [self._qual(q, row["series"]) for q in row["review"]]
            recommend = [self._qual(q, row["series"]) for q in row["recommend"]]
            scopes = _scopes(row["scope"], [q.level for q in review + recommend])
            plan = self._plan(
                code=f"qz{data.PLAN_YEAR}-{row['row']:02d}",
                title=f"{data.PLAN_YEAR}年度{row['name']}评审计划",
                committee=committee,
                higher_committee=self._higher_committee(row["higher"]),
                specialty_note=row["specialty_note"],
                scope_junior=scopes["junior"],
                scope_intermediate=scopes["intermediate"],
                scope_senior=scopes["senior"],
                expected_review_month=row["review_month"],
                receiving_org=receiver,
                contact_phone=phone,
                notes=(
                    f"依据衢市人社专〔2021〕61号附件第{row['row']}行。所评职务任职资格：{row['qualification_text']}。"
                    f"中评委预计接收材料截止时间：{row['material_month']}。"
                ),
            )
            plan.qualifications.set(review)
            plan.recommend_qualifications.set(recommend)
            plan.specialties.set([self._specialty(s, row["series"]) for s in row["specialties"]])
            self._materials(plan, review + recommend)

    def _plan(self, *, code: str, **fields) -> ReviewPlan:
        today = self.today
        dates = {
            "opens_at": dt.datetime.combine(
                today - dt.timedelta(days=OPENS_DAYS_BEFORE), dt.time(0), SHANGHAI
            ),
            "declaration_deadline": _at_deadline(today + dt.timedelta(days=DECLARATION_DAYS_AFTER)),
            "employer_deadline": _at_deadline(today + dt.timedelta(days=EMPLOYER_DAYS_AFTER)),
            "material_deadline": _at_deadline(today + dt.timedelta(days=MATERIAL_DAYS_AFTER)),
        }
        fields["year"] = data.PLAN_YEAR
        plan, _ = ReviewPlan.objects.update_or_create(
            code=code,
            defaults=fields,
            create_defaults={**fields, **dates, "status": ReviewPlan.Status.PUBLISHED},
        )
        return plan

    def _materials(self, plan: ReviewPlan, quals: list[Qualification]) -> None:
        reviews_intermediate = any(q.level == TitleLevel.INTERMEDIATE for q in plan.qualifications.all())
        engineering = any(q.series_id == self.series["engineering"].pk for q in quals)
        for position, (code, name, description, required, applies_to) in enumerate(data.PLAN_MATERIALS, 1):
            if code == "skill_cert" and not engineering:
                continue  # 评审直通车 for skilled workers is for the engineering field (seed 004 二(五)).
            if code == "exceptional_form" and not reviews_intermediate:
                name = data.EXCEPTIONAL_FORM_GENERIC_NAME
            PlanMaterial.objects.update_or_create(
                plan=plan,
                code=code,
                defaults={
                    "name": name,
                    "description": description,
                    "required": required,
                    "applies_to": applies_to,
                    "position": position,
                },
            )

    def load_channel_orgs(self) -> None:
        for key, name, kind, region, bureau, (
            prefix,
            code_region,
            body,
        ), private, confirmed in data.CHANNEL_ORGS:
            code = credit_code(prefix, code_region, body)
            existing = (
                Organisation.objects.filter(credit_code=code)
                .values_list("authorisation_confirmed_at", flat=True)
                .first()
            )
            self._org(
                f"channel:{key}",
                name=name,
                kind=kind,
                code=code,
                region=self.regions[region],
                parent_bureau=self.orgs[f"bureau:{bureau}"],
                is_private=private,
                short_name=data.ORG_SHORT_NAMES.get(key, ""),
                authorisation_confirmed_at=(existing or self.now) if confirmed else None,
            )

    def load_shangyu(self) -> None:
        spec = data.SHANGYU_PLAN
        bureau = self.orgs["bureau:sy"]
        # Seed 003 does not name the committee's forming body; the district bureau issues its notice.
        committee = self._org(
            "committee:sy",
            name=data.SHANGYU_COMMITTEE,
            kind=OrgKind.COMMITTEE,
            region=self.regions["330604"],
            parent_bureau=bureau,
            forming_body=bureau,
            contact_phone=spec["phone"],
        )
        review = [self._qual(q, spec["series"]) for q in spec["review"]]
        plan = self._plan(
            code=spec["code"],
            title=spec["title"],
            committee=committee,
            higher_committee=None,
            specialty_note=spec["specialty_note"],
            scope_junior="",
            scope_intermediate=spec["scope_intermediate"],
            scope_senior="",
            expected_review_month=spec["expected_review_month"],
            receiving_org=self.orgs["channel:assoc"],
            contact_phone=spec["phone"],
            notes=spec["notes"],
        )
        plan.qualifications.set(review)
        plan.recommend_qualifications.set([])
        plan.specialties.set([self._specialty(s, spec["series"]) for s in spec["specialties"]])
        self._materials(plan, review)

    # ------------------------------------------------------------ experts

    def _employer(self, ref: str) -> tuple[Organisation | None, str]:
        if ref.startswith("channel:"):
            org = self.orgs[ref]
            return org, org.name
        return None, ref

    def _expert(
        self,
        *,
        committee_key: str,
        name: str,
        series: str,
        specialty: str,
        title: str,
        employer_ref: str,
        region: str,
        private: bool | None,
        index: int,
    ) -> Expert:
        employer, employer_name = self._employer(employer_ref)
        if private is None:
            private = employer.is_private if employer else employer_name in data.PRIVATE_SECTOR_EMPLOYERS
        committee = self.orgs[f"committee:{committee_key}"]
        area = "0575" if committee.region.code.startswith("3306") else "0570"
        serial = zlib.crc32(f"{committee_key}:{name}".encode()) % 10000
        expert, _ = Expert.objects.update_or_create(
            committee=committee,
            name=name,
            defaults={
                "specialty": self.specialties[series, specialty],
                "title": self.quals[series, title],
                "employer": employer,
                "employer_name": employer_name,
                "region": employer.region if employer else self.regions[region],
                "phone": f"139{area}{serial:04d}",
                "is_private_sector": private,
                "active_from": dt.date(2020 + index % 5, 1 + (index * 5) % 12, 1),
                "active_until": None,
            },
        )
        return expert

    def load_experts(self) -> None:
        reserved = {row[1] for row in data.EXPERT_ACCOUNTS}
        for (
            username,
            name,
            committee_key,
            series,
            specialty,
            title,
            employer,
            region,
            private,
        ) in data.EXPERT_ACCOUNTS:
            expert = self._expert(
                committee_key=committee_key,
                name=name,
                series=series,
                specialty=specialty,
                title=title,
                employer_ref=employer,
                region=region,
                private=private,
                index=0,
            )
            user = self._user(username, name)
            Expert.objects.filter(user=user).exclude(pk=expert.pk).update(user=None)
            if expert.user_id != user.pk:
                expert.user = user
                expert.save(update_fields=["user"])
            self._member(user, Role.EXPERT, f"committee:{committee_key}")

        per_committee: dict[str, int] = {}
        for committee_key, _series, _specialty, count, *_ in data.EXPERT_POOLS:
            per_committee[committee_key] = per_committee.get(committee_key, 0) + count
        names = {key: _expert_names(key, count, reserved) for key, count in per_committee.items()}
        used: dict[str, int] = {}
        for committee_key, series, specialty, count, titles, employers, regions in data.EXPERT_POOLS:
            for j in range(count):
                index = used.get(committee_key, 0)
                used[committee_key] = index + 1
                self._expert(
                    committee_key=committee_key,
                    name=names[committee_key][index],
                    series=series,
                    specialty=specialty,
                    title=titles[j % len(titles)],
                    employer_ref=employers[index % len(employers)],
                    region=regions[(index * 3) % len(regions)],
                    private=None,
                    index=index,
                )

    # ------------------------------------------------------------ accounts

    def _user(self, username: str, full_name: str, *, superuser: bool = False):
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.first_name = full_name
        user.last_name = ""
        user.email = f"{username}@demo.example.cn"
        user.is_active = True
        user.is_staff = superuser or user.is_staff
        user.is_superuser = superuser or user.is_superuser
        user.set_password(data.DEMO_PASSWORD)
        user.save()
        return user

    def _member(self, user, role: str, org_key: str) -> None:
        org = self.orgs[org_key]
        Membership.objects.update_or_create(
            user=user, organisation=org, defaults={"role": role, "is_active": True}
        )
        self.accounts.append(DemoAccount(user.username, data.DEMO_PASSWORD, str(Role(role).label), org.name))

    def load_accounts(self) -> None:
        expert_accounts = self.accounts
        self.accounts = []
        for spec in data.APPLICANTS:
            user = self._user(spec["username"], spec["name"])
            self._member(user, Role.APPLICANT, spec["org"])
            self._archive(user, spec)
        for username, full_name, role, org_key in data.STAFF_ACCOUNTS:
            self._member(self._user(username, full_name), role, org_key)
        self.accounts.extend(expert_accounts)
        self._user(ADMIN_USERNAME, "系统管理员", superuser=True)
        self.accounts.append(DemoAccount(ADMIN_USERNAME, data.DEMO_PASSWORD, ADMIN_ROLE_LABEL, "—"))

    # ------------------------------------------------------------ archives

    def _archive(self, user, spec: dict) -> Archive:
        birth = dt.date.fromisoformat(spec["birth"])
        id_number = resident_id(spec["id_prefix"], birth, spec["id_serial"])
        validate_id_number(IdType.RESIDENT, id_number, today=self.today)
        employer = self.orgs[spec["org"]]
        archive, _ = Archive.objects.update_or_create(
            user=user,
            defaults={
                "name": spec["name"],
                "gender": spec["gender"],
                "id_type": IdType.RESIDENT,
                "id_number": id_number,
                "birth_date": birth,
                "nationality": "中国",
                "phone": spec["phone"],
                "email": user.email,
                "current_employer": employer,
                "current_employer_name": employer.name,
            },
        )
        for row in spec["educations"]:
            Education.objects.update_or_create(
                archive=archive,
                level=row["level"],
                school=row["school"],
                defaults={
                    "major": row["major"],
                    "start_date": _date(row["start_date"]),
                    "graduation_date": _date(row["graduation_date"]),
                    "degree": row["degree"],
                },
            )
        periods = []
        for row in spec["work"]:
            org, name = self._employer(row["employer"]) if "employer" in row else (None, row["employer_name"])
            period, _ = WorkPeriod.objects.update_or_create(
                archive=archive,
                start=_date(row["start"]),
                defaults={
                    "employer": org,
                    "employer_name": name,
                    "end": _date(row["end"]),
                    "post": row["post"],
                    "professional": row.get("professional", True),
                    "skilled": row.get("skilled", False),
                },
            )
            periods.append(period)
        for row in spec["titles"]:
            qual = self.quals[row["series"], row["qualification"]]
            TitleHeld.objects.update_or_create(
                archive=archive,
                qualification=qual,
                defaults={
                    "series": qual.series,
                    "level": qual.level,
                    "obtained_date": _date(row["obtained_date"]),
                    "appointed_date": _date(row["appointed_date"]),
                    "method": row["method"],
                    "issuer": row["issuer"],
                    "certificate_no": row["certificate_no"],
                },
            )
        for row in spec["skills"]:
            SkillCertificate.objects.update_or_create(
                archive=archive,
                level=row["level"],
                occupation=row["occupation"],
                defaults={
                    "obtained_date": _date(row["obtained_date"]),
                    "certificate_no": row["certificate_no"],
                },
            )
        year = self.today.year
        for offset, grade in zip((3, 2, 1), spec["assessments"], strict=True):
            AnnualAssessment.objects.update_or_create(
                archive=archive,
                year=year - offset,
                defaults={"grade": grade, "employer_name": _employer_in(periods, year - offset)},
            )
        for offset, (public, industry, professional) in zip((2, 1, 0), spec["ce"], strict=True):
            ContinuingEducation.objects.update_or_create(
                archive=archive,
                year=year - offset,
                defaults={
                    "public_hours": public,
                    "industry_public_hours": industry,
                    "professional_hours": professional,
                },
            )
        for row in spec["achievements"]:
            fields = {k: v for k, v in row.items() if k not in ("kind", "title")}
            fields["date"] = _date(fields["date"])
            Achievement.objects.update_or_create(
                archive=archive, kind=row["kind"], title=row["title"], defaults=fields
            )
        # Three full years of pension contributions, and the current year's months so far.
        insured = [(year - offset, 12) for offset in (3, 2, 1)]
        if self.today.month > 1:
            insured.append((year, self.today.month - 1))
        for insured_year, months in insured:
            SocialInsuranceRecord.objects.update_or_create(
                archive=archive,
                year=insured_year,
                employer_name=_employer_in(periods, insured_year),
                defaults={"months": months, "province": "浙江省"},
            )
        return archive


# ---------------------------------------------------------------- helpers


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _at_deadline(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(DEADLINE_HOUR), SHANGHAI)


def _quzhou_phone(number: str) -> str:
    return f"{data.QUZHOU_AREA_CODE}-{number}" if number else ""


def _scopes(text: str, levels: list[int]) -> dict[str, str]:
    """Seed 004's 申报对象范围 per band: "初级：市本级 中级：全市 高级：全市", or one scope for every level
    the plan covers ("全市")."""
    scopes = {"junior": "", "intermediate": "", "senior": ""}
    parts = re.findall(r"(初级|中级|高级)：(\S+)", text)
    if parts:
        for band, word in parts:
            scopes[_BAND_WORDS[band]] = data.SCOPE_WORDS[word]
    else:
        for level in levels:
            scopes[_LEVEL_BAND[level]] = data.SCOPE_WORDS[text]
    return scopes


def _employer_in(periods: list[WorkPeriod], year: int) -> str:
    """The employer on 1 July of `year` (the one paying social insurance, or making the assessment)."""
    day = dt.date(year, 7, 1)
    for period in periods:
        if period.start <= day and (period.end is None or day <= period.end):
            return period.employer_name
    return periods[-1].employer_name


def _expert_names(committee_key: str, count: int, reserved: set[str]) -> list[str]:
    """`count` distinct names, the same on every run (CRC-32, not hash(), which is salted per process)."""
    offset = zlib.crc32(committee_key.encode())
    names: list[str] = []
    i = 0
    while len(names) < count:
        name = (
            data.SURNAMES[(offset + i) % len(data.SURNAMES)]
            + data.GIVEN_NAMES[(offset * 7 + i * 11) % len(data.GIVEN_NAMES)]
        )
        if name not in reserved and name not in names:
            names.append(name)
        i += 1
    return names


# ---------------------------------------------------------------- the demo's clock

# The demo's plans, their deadlines and the publicities and meetings after them take about this long.
DEMO_SPAN_DAYS = 120
# Where the demo starts when the real date's next months lie in a year without a holiday schedule:
# early September of the plan year, so declarations, the National Day break and the results fit in it.
DEFAULT_DEMO_START = dt.datetime(data.PLAN_YEAR, 9, 1, 9, 0, tzinfo=SHANGHAI)


def parse_demo_start(text: str) -> dt.datetime:
    """ "2026-09-01" (09:00 that day) or "2026-09-01T14:30", Beijing time."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"演示起始时刻格式错误：“{text}”，应为 2026-09-01 或 2026-09-01T09:00。") from None
    if len(text.strip()) <= len("2026-09-01"):
        value = value.replace(hour=DEFAULT_DEMO_START.hour)
    return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)


def demo_clock_prepare(*, start: dt.datetime | None = None, real_time: bool = False) -> str:
    """Choose the demo's clock before the data is loaded; returns what to tell the user.

    --now sets it; --real-time removes it; otherwise a running demo keeps its clock, and a new one runs
    on the real date unless the next DEMO_SPAN_DAYS reach a year whose holidays nobody has entered:
    then it starts at DEFAULT_DEMO_START, so the demo never depends on the real date being covered.
    """
    from rules import workdays

    if real_time:
        removed = clock.demo_clock_clear()
        return "已删除演示时钟，按实际时间运行。" if removed else "按实际时间运行。"
    if start is not None:
        clock.demo_clock_set(start)
        return f"演示时钟已设为 {start:%Y-%m-%d %H:%M}（北京时间），此后照常流逝。"
    if clock.demo_clock() is not None:
        return (
            f"演示时钟继续有效：门户现在的时间是 {timezone.localtime(clock.now(), SHANGHAI):%Y-%m-%d %H:%M}。"
        )
    today = clock.today()
    last = today + dt.timedelta(days=DEMO_SPAN_DAYS)
    missing = [year for year in range(today.year, last.year + 1) if not workdays.is_year_known(year)]
    if not missing:
        return ""
    if getattr(settings, "DEMO_CLOCK_FILE", None) is None:
        return f"注意：{missing[0]}年的放假安排尚未录入，跨入该年的公示将无法发布。"
    clock.demo_clock_set(DEFAULT_DEMO_START)
    return (
        f"今天起{DEMO_SPAN_DAYS}天内将跨入尚未录入放假安排的{missing[0]}年，演示时钟已自动设为 "
        f"{DEFAULT_DEMO_START:%Y-%m-%d %H:%M}（北京时间），此后照常流逝。"
        "可用 --now 选择其他起始时刻，或用 --real-time 按实际时间运行。"
    )
