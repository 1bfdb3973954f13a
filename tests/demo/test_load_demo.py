from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from applications.models import Archive
from committees.models import Expert
from portal.models import EMPLOYER_KINDS, Membership, Organisation, OrgKind, ReviewPlan, Role
from portal.validators import validate_credit_code, validate_id_number

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in ("auth", "portal", "applications", "committees")
        for model in apps.get_app_config(app).get_models()
    }


def test_running_it_twice_changes_no_row_count_and_keeps_plan_dates():
    _load()
    counts = _row_counts()
    dates = dict(ReviewPlan.objects.values_list("code", "declaration_deadline"))

    _load()

    assert _row_counts() == counts
    assert dict(ReviewPlan.objects.values_list("code", "declaration_deadline")) == dates


def test_it_loads_the_25_quzhou_committees_with_a_plan_each_and_the_shangyu_plan():
    _load()
    quzhou = Organisation.objects.filter(kind=OrgKind.COMMITTEE, region__code="330800")
    assert quzhou.count() == 25
    plans = ReviewPlan.objects.filter(code__startswith="qz2026-", status=ReviewPlan.Status.PUBLISHED)
    assert plans.count() == 25
    assert set(plans.values_list("committee", flat=True)) == set(quzhou.values_list("pk", flat=True))
    shangyu = ReviewPlan.objects.get(code="sy2026-jd")
    assert shangyu.receiving_org.kind == OrgKind.ASSOCIATION
    jidian = shangyu.specialties.get()
    assert set(jidian.subspecialties.values_list("name", flat=True)) == {
        "技术开发",
        "设计开发",
        "生产制造",
        "系统集成",
        "技术服务",
    }


def test_every_credit_code_and_id_number_validates():
    _load()
    codes = list(Organisation.objects.exclude(credit_code=None).values_list("credit_code", flat=True))
    for code in codes:
        validate_credit_code(code)
    assert not Organisation.objects.filter(kind__in=EMPLOYER_KINDS, credit_code=None).exists()
    archives = list(Archive.objects.all())
    assert len(archives) >= 3
    for archive in archives:
        assert validate_id_number(archive.id_type, archive.id_number) == archive.birth_date


def test_it_fills_the_expert_pool():
    _load()
    assert Expert.objects.count() >= 60
    engineering = Expert.objects.filter(
        committee__name="衢州市工程技术和工业企业信息化领域人员中级职务评审委员会"
    )
    assert engineering.count() >= 25
    assert engineering.values("specialty").distinct().count() == 6


def test_every_role_has_a_demo_user_who_can_log_in():
    output = _load()
    for role in Role.values:
        assert Membership.objects.filter(role=role, is_active=True).exists(), role
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("demo12345")
    assert get_user_model().objects.get(username="clerk1").check_password("demo12345")
    assert "http://127.0.0.1:8000" in output and "用户名" in output
