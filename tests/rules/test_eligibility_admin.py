"""A bureau adjusts a threshold in the admin without a code change, and cannot save a bad value."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from portal.models import TitleLevel
from rules.models import IntegrityRecord
from rules.services.rulesets import ruleset_install_defaults
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("root", "root@example.cn", "pass12345")
    client.force_login(user)
    return client


@pytest.fixture
def ruleset():
    plan = factories.PlanFactory(year=2023)
    return ruleset_install_defaults(
        plan=plan,
        template="zj_engineer_mid_2023",
        qualification=plan.qualifications.get(level=TitleLevel.INTERMEDIATE),
    )


def _form_data(response) -> dict:
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "honour_categories":
            data[name] = [c.pk for c in value] if value else []
        elif value is None:
            continue
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif hasattr(value, "pk"):
            data[name] = value.pk
        else:
            data[name] = value
    return data


def test_the_change_page_shows_every_threshold_with_its_source(admin_client, ruleset):
    url = reverse("admin:rules_ruleset_change", args=[ruleset.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "正常申报（无助工）：本科 毕业后专业工作年限" in body
    assert "依据：附件1 二（二）1" in body


def test_a_threshold_is_changed_and_a_bad_one_refused(admin_client, ruleset):
    url = reverse("admin:rules_ruleset_change", args=[ruleset.pk])
    data = _form_data(admin_client.get(url))
    data["p__n2__bachelor_years"] = 6
    response = admin_client.post(url, data)
    assert response.status_code == 302
    ruleset.refresh_from_db()
    assert ruleset.params["n2.bachelor_years"] == 6

    data["p__b__window_end"] = "13-40"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    ruleset.refresh_from_db()
    assert ruleset.params["b.window_end"] == "06-30"


def test_an_integrity_record_added_in_the_admin_gets_its_ban_years(admin_client):
    url = reverse("admin:rules_integrityrecord_add")
    response = admin_client.post(
        url,
        {
            "id_type": "resident",
            "id_number": "330802199005171234",
            "name": "张三",
            "kind": "false_materials",
            "finding": "伪造项目验收报告",
            "decision_document": "虞人社〔2023〕50号",
            "decision_date": "2023-11-20",
            "review_year": 2023,
            "level": 3,
        },
    )
    assert response.status_code == 302
    record = IntegrityRecord.objects.get()
    assert (record.ban_first_year, record.ban_last_year) == (2024, 2026)
    assert record.credit_record_until == dt.date(2026, 11, 20)


def test_an_integrity_record_is_found_by_its_whole_number_and_shown_masked(admin_client):
    number = "330802199005171234"
    posted = {
        "id_type": "resident",
        "id_number": number,
        "name": "张三",
        "kind": "false_materials",
        "finding": "伪造项目验收报告",
        "decision_date": "2023-11-20",
        "review_year": 2023,
        "level": 3,
    }
    assert admin_client.post(reverse("admin:rules_integrityrecord_add"), posted).status_code == 302
    record = IntegrityRecord.objects.get()
    url = reverse("admin:rules_integrityrecord_changelist")
    # (the search box echoes what the administrator typed; the rows show the masked number)
    found = admin_client.get(url, {"q": f" {number} "}).content.decode()
    assert "330***********1234" in found and "张三" in found
    assert "张三" not in admin_client.get(url, {"q": number[:10]}).content.decode()
    change = reverse("admin:rules_integrityrecord_change", args=[record.pk])
    page = admin_client.get(change).content.decode()
    assert "330***********1234" in page and number not in page
