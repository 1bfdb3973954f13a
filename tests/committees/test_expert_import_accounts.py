"""The Excel import records an expert's e-mail for the invitation but never binds an account."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from committees.excel import EXPERT_HEADER
from committees.models import Expert

pytestmark = pytest.mark.django_db

NEW = ["新专家", "机电制造", "正高级工程师", "衢州学院", "", "330800", "", "否", "2026-01-01", "", ""]


def _xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("experts.xlsx", buffer.getvalue())


def _post(world, rows):
    return world.client_for(world.clerk).post(
        reverse("committees:experts_import"), {"file": _xlsx(rows)}, follow=True
    )


def test_an_existing_account_named_in_the_file_is_not_bound(cw, world):
    for username in ("applicant", "clerk"):
        response = _post(world, [EXPERT_HEADER, [*NEW[:10], username]])
        assert f"导入不能绑定登录账号“{username}”" in response.content.decode()
        assert not Expert.objects.filter(name="新专家").exists()


def test_an_unbound_pool_expert_cannot_be_bound_by_import(cw, world):
    expert = cw.experts[0]
    expert.user = None
    expert.save()
    row = [
        expert.name,
        "机电制造",
        expert.title.name,
        "",
        "",
        "330800",
        "",
        "否",
        "2020-01-01",
        "",
        "applicant",
    ]
    response = _post(world, [EXPERT_HEADER, row])
    assert "导入不能绑定登录账号" in response.content.decode()
    expert.refresh_from_db()
    assert expert.user_id is None


def test_the_import_records_the_email_and_keeps_a_bound_account(cw, world):
    expert = cw.experts[0]
    client = world.client_for(world.clerk)
    rows = [
        list(r)
        for r in load_workbook(
            io.BytesIO(client.get(reverse("committees:experts_export")).content)
        ).active.values
    ]
    assert rows[0] == EXPERT_HEADER
    for row in rows[1:]:
        if row[0] == expert.name:
            row[10], row[11] = "", "Expert00@Example.com"  # an empty account cell unbinds nothing
    rows.append([*NEW, "new@example.com"])
    client.post(reverse("committees:experts_import"), {"file": _xlsx(rows)})
    expert.refresh_from_db()
    assert expert.email == "expert00@example.com" and expert.user is not None
    new = Expert.objects.get(name="新专家")
    assert new.email == "new@example.com" and new.user is None


def test_a_file_without_the_email_column_still_imports(cw, world):
    response = _post(world, [EXPERT_HEADER[:11], NEW])
    assert "已导入：新增1人" in response.content.decode()


def test_a_bad_email_names_the_row(cw, world):
    response = _post(world, [EXPERT_HEADER, [*NEW, "not-an-address"]])
    assert "第2行：电子邮箱“not-an-address”格式不正确" in response.content.decode()
