"""The expert pool through Excel: export, import (all rows or none), and row errors in Chinese."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from committees.excel import EXPERT_HEADER
from committees.models import Expert

pytestmark = pytest.mark.django_db


def _xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("experts.xlsx", buffer.getvalue())


def test_export_then_import_round_trips_and_updates(cw, world):
    client = world.client_for(world.clerk)
    response = client.get(reverse("committees:experts_export"))
    rows = [list(r) for r in load_workbook(io.BytesIO(response.content)).active.values]
    assert rows[0] == EXPERT_HEADER and len(rows) == 17
    rows[1][6] = "0570-8888888"
    rows.append(
        ["新专家", "机电制造", "正高级工程师", "衢州学院", "", "330800", "", "否", "2026-01-01", "", ""]
    )
    client.post(reverse("committees:experts_import"), {"file": _xlsx(rows)})
    assert Expert.objects.filter(committee=world.committee).count() == 17
    assert Expert.objects.get(committee=world.committee, name=rows[1][0]).phone == "0570-8888888"
    assert Expert.objects.get(name="新专家").title.name == "正高级工程师"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            ["王某", "不存在的专业", "高级工程师", "", "", "330800", "", "否", "2026-01-01", "", ""],
            "第2行：专业“不存在的专业”不存在",
        ),
        (
            ["王某", "机电制造", "高级工程师", "", "", "330800", "", "否", "明年", "", ""],
            "第2行：入库时间“明年”不是有效日期",
        ),
        (["王某", "机电制造", "高级工程师", "", "", "330800", "", "否", "", "", ""], "第2行：请填写入库时间"),
        (
            ["王某", "机电制造", "高级工程师", "", "", "330800", "", "否", "2026-01-01", "", "nobody"],
            "登录账号“nobody”不存在",
        ),
    ],
)
def test_a_bad_row_imports_nothing_and_names_the_row(cw, world, row, message):
    good = ["李某", "机电制造", "高级工程师", "", "", "330800", "", "是", "2026-01-01", "", ""]
    response = world.client_for(world.clerk).post(
        reverse("committees:experts_import"), {"file": _xlsx([EXPERT_HEADER, row, good])}, follow=True
    )
    assert message in response.content.decode()
    assert not Expert.objects.filter(name__in=["王某", "李某"]).exists()


def test_a_file_that_is_not_a_workbook_is_a_form_error(cw, world):
    client = world.client_for(world.clerk)
    response = client.post(
        reverse("committees:experts_import"),
        {"file": SimpleUploadedFile("x.xlsx", b"not a zip")},
        follow=True,
    )
    assert "请上传由本平台导出的Excel文件" in response.content.decode()
    response = client.post(reverse("committees:experts_import"), {"file": _xlsx([["姓名"]])}, follow=True)
    assert "表头应为" in response.content.decode()
    response = client.post(reverse("committees:experts_import"), {}, follow=True)
    assert "请选择要导入的文件" in response.content.decode()


def test_the_pool_belongs_to_its_committee(cw, world):
    assert (
        world.client_for(world.other_clerk)
        .get(reverse("committees:experts") + f"?committee={world.committee.pk}")
        .status_code
        == 404
    )
    assert world.client_for(world.hr).get(reverse("committees:experts")).status_code == 403
    text = world.client_for(world.other_clerk).get(reverse("committees:experts")).content.decode()
    assert "专家00" not in text and "他会专家" in text


def test_an_employer_changed_by_import_is_checked_again_for_drawn_meetings(cw, world):
    application = cw.awaiting_meeting(1)[0]
    meeting = cw.drawn([application])
    expert = cw.panel(meeting)[0]
    client = world.client_for(world.clerk)
    rows = [
        list(r)
        for r in load_workbook(
            io.BytesIO(client.get(reverse("committees:experts_export")).content)
        ).active.values
    ]
    for row in rows[1:]:
        if row[0] == expert.name:
            row[3], row[4] = world.employer.name, world.employer.credit_code
    client.post(reverse("committees:experts_import"), {"file": _xlsx(rows)})
    expert.refresh_from_db()
    assert expert.employer == world.employer and expert.past_employments.count() == 1
    assert meeting.recusals.get().expert == expert
