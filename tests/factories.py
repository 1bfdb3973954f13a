from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.contrib.auth.models import User
from django.utils import timezone

from applications.models import Archive
from portal import clock
from portal.models import (
    Membership,
    Organisation,
    OrgKind,
    PlanMaterial,
    Qualification,
    Region,
    ReviewPlan,
    Series,
    Specialty,
    SubSpecialty,
    TitleLevel,
)
from portal.validators import resident_id_check_char, uscc_check_char

_seq = itertools.count(1)


def credit_code(n: int | None = None) -> str:
    n = next(_seq) if n is None else n
    first17 = f"91330800MA{n:07d}"[:17]
    return first17 + uscc_check_char(first17)


def resident_id(birth: dt.date = dt.date(1990, 5, 17), serial: int = 123) -> str:
    first17 = f"330802{birth:%Y%m%d}{serial:03d}"
    return first17 + resident_id_check_char(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.django.Password("pass12345")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "330800"
    name = "衢州市"
    level = Region.Level.CITY


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"示例机构{n}")
    kind = OrgKind.ENTERPRISE
    region = factory.SubFactory(RegionFactory)
    credit_code = factory.LazyFunction(credit_code)
    authorisation_confirmed_at = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "hr"


def engineering_catalogue():
    series, _ = Series.objects.get_or_create(code="engineering", defaults={"name": "工程"})
    names = {
        TitleLevel.YUAN: "技术员",
        TitleLevel.ASSISTANT: "助理工程师",
        TitleLevel.INTERMEDIATE: "工程师",
        TitleLevel.DEPUTY_SENIOR: "高级工程师",
        TitleLevel.SENIOR: "正高级工程师",
    }
    quals = {
        level: Qualification.objects.get_or_create(series=series, name=name, defaults={"level": level})[0]
        for level, name in names.items()
    }
    specialty, _ = Specialty.objects.get_or_create(
        series=series, code="jidian", defaults={"name": "机电制造"}
    )
    for sub in ["技术开发", "设计开发", "生产制造", "系统集成", "技术服务"]:
        SubSpecialty.objects.get_or_create(specialty=specialty, name=sub)
    return series, quals, specialty


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewPlan
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"plan{n}")
    title = factory.Sequence(lambda n: f"2026年度工程师评审计划{n}")
    committee = factory.SubFactory(
        OrganisationFactory,
        kind=OrgKind.COMMITTEE,
        credit_code=None,
        name=factory.Sequence(lambda n: f"工程技术评审委员会{n}"),
    )
    year = 2026
    status = ReviewPlan.Status.PUBLISHED
    opens_at = factory.LazyFunction(lambda: clock.now() - dt.timedelta(days=10))
    declaration_deadline = factory.LazyFunction(lambda: clock.now() + dt.timedelta(days=20))
    employer_deadline = factory.LazyFunction(lambda: clock.now() + dt.timedelta(days=35))
    material_deadline = factory.LazyFunction(lambda: clock.now() + dt.timedelta(days=40))

    @factory.post_generation
    def catalogue(self, create, extracted, **kwargs):
        if not create:
            return
        _, quals, specialty = engineering_catalogue()
        self.qualifications.add(quals[TitleLevel.INTERMEDIATE], quals[TitleLevel.ASSISTANT])
        self.recommend_qualifications.add(quals[TitleLevel.DEPUTY_SENIOR])
        self.specialties.add(specialty)
        PlanMaterial.objects.get_or_create(
            plan=self, code="degree", defaults={"name": "学历学位证书", "position": 1}
        )
        PlanMaterial.objects.get_or_create(
            plan=self,
            code="exceptional_form",
            defaults={
                "name": "破格推荐中级专业技术职务任职资格审批表",
                "applies_to": PlanMaterial.AppliesTo.EXCEPTIONAL,
                "position": 2,
            },
        )
        PlanMaterial.objects.get_or_create(
            plan=self, code="other", defaults={"name": "其他材料", "required": False, "position": 3}
        )


class ArchiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Archive
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(lambda a: a.user.first_name)
    id_number = factory.Sequence(lambda n: resident_id(serial=n % 1000))
    birth_date = dt.date(1990, 5, 17)
