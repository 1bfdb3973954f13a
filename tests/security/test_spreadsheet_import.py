"""The expert import refuses an oversized workbook as soon as it shows its size, before reading it all:
a sheet of two million rows does not hold a worker, whether it declares its dimension, hides it, or
lies about it."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from committees import excel
from committees.exceptions import CommitteeError
from committees.models import Expert

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"


def _workbook(rows: int, *, dimension: str | None, bare: bool = False) -> bytes:
    """A valid workbook whose sheet has the export's header and `rows` expert rows, written as raw XML
    so that millions of rows take seconds; `dimension` is what the sheet declares (None: nothing);
    `bare` rows carry nothing and pack to almost nothing."""
    book = Workbook()
    book.active.append(excel.EXPERT_HEADER)
    template = io.BytesIO()
    book.save(template)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != SHEET:
                target.writestr(item, source.read(item.filename))
        header = "".join(
            f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
            for i, h in enumerate(excel.EXPERT_HEADER)
        )
        with target.open(SHEET, "w") as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?>')
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(f'<sheetData><row r="1">{header}</row>'.encode())
            chunk = []
            for n in range(2, rows + 2):
                chunk.append(
                    "<row/>"
                    if bare
                    else f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>专家{n}</t></is></c></row>'
                )
                if len(chunk) == 10000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write(("".join(chunk) + "</sheetData></worksheet>").encode())
    return out.getvalue()


@pytest.fixture(scope="module", params=["bare", "full"])
def two_million_rows(request) -> bytes:
    return _workbook(2_000_000, dimension=None, bare=request.param == "bare")


def _import(world, content: bytes):
    return excel.experts_import(committee=world.committee, upload=SimpleUploadedFile("experts.xlsx", content))


def test_two_million_rows_are_refused_at_once(world, two_million_rows):
    started = time.monotonic()
    with pytest.raises(CommitteeError, match="请分批导入"):
        _import(world, two_million_rows)
    assert time.monotonic() - started < 3
    assert not Expert.objects.exists()


def test_a_declared_dimension_over_the_limit_is_refused_before_the_rows_are_read(world):
    content = _workbook(10, dimension="A1:L2000001")
    with pytest.raises(CommitteeError, match="一次最多导入5000名专家"):
        _import(world, content)


@pytest.mark.parametrize("dimension", [None, "A1:L2"])
def test_rows_past_the_limit_are_counted_while_streaming_when_the_dimension_is_missing_or_false(
    world, dimension
):
    content = _workbook(excel.MAX_ROWS + 1, dimension=dimension)
    started = time.monotonic()
    with pytest.raises(CommitteeError, match="一次最多导入5000名专家"):
        _import(world, content)
    assert time.monotonic() - started < 3


def test_an_oversized_file_is_refused_by_its_size(world, settings):
    content = b"PK\x03\x04" + b"\x00" * (excel.MAX_FILE_BYTES + 1)
    with pytest.raises(CommitteeError, match="文件超过5MB"):
        _import(world, content)


def test_the_page_shows_the_refusal(world, two_million_rows):
    response = world.client_for(world.clerk).post(
        reverse("committees:experts_import"),
        {"file": SimpleUploadedFile("experts.xlsx", two_million_rows)},
        follow=True,
    )
    assert "请分批导入" in response.content.decode() or "上限" in response.content.decode()
    assert response.status_code in (200, 400) and not Expert.objects.exists()
