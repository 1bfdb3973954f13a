"""Excel exports of publicity lists and recommendation batches."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from portal import security_log
from portal.spreadsheets import text_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PUBLIC_COLUMNS = [
    ("number", "申报编号"),
    ("name", "姓名"),
    ("gender", "性别"),
    ("id_number", "证件号码"),
    ("employer", "工作单位"),
    ("qualification", "申报资格"),
    ("specialty", "专业"),
    ("sub_specialty", "子专业"),
    ("declaration_type", "申报类型"),
    ("education", "毕业院校及专业"),
    ("current_title", "现任职称"),
]


def workbook_response(title: str, header: list[str], rows, filename: str) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # Every text typed by a user is written as text, never as a formula (portal.spreadsheets).
        sheet.append(text_row(sheet, row))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    security_log.record_export(f"{title}（{filename}）")
    return response


def publicity_rows(notice):
    for entry in notice.entries.all():
        yield [entry.public_fields.get(key, "") for key, _ in PUBLIC_COLUMNS] + [entry.get_outcome_display()]


def submitted_name(application) -> str:
    """The name as the application was submitted (its snapshot), not as the archive reads now: an export
    lists what was declared and audited."""
    identity = (application.snapshot or {}).get("identity") or {}
    return identity.get("name") or application.archive.name


def application_rows(applications):
    for a in applications:
        yield [
            a.number,
            submitted_name(a),
            a.recommending_org.name,
            a.qualification.name,
            a.specialty.name,
            a.get_declaration_type_display(),
            a.get_state_display(),
            a.plan.title,
            timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M") if a.submitted_at else "",
        ]


APPLICATION_HEADER = [
    "申报编号",
    "姓名",
    "推荐单位",
    "申报资格",
    "专业",
    "申报类型",
    "状态",
    "评审计划",
    "提交时间",
]
