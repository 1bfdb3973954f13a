"""Spreadsheet cells that a spreadsheet program must never take for a formula. A name typed by an
applicant such as `=HYPERLINK("http://…","点此")` would otherwise become a live formula in the file an
officer opens (CSV injection, OWASP). Excel, WPS and LibreOffice start a formula with = + - @, and a
leading tab or carriage return can hide one."""

from __future__ import annotations

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def text_cell(sheet, value):
    """A value for `sheet.append`: a string that could be read as a formula becomes a cell typed as text
    (the file keeps the characters exactly; the program shows them and never evaluates them)."""
    if not looks_like_formula(value):
        return value
    cell = WriteOnlyCell(sheet, value) if isinstance(sheet, WriteOnlyWorksheet) else Cell(sheet, value=value)
    cell.data_type = "s"
    return cell


def text_row(sheet, row) -> list:
    return [text_cell(sheet, value) for value in row]


def csv_text(value):
    """For CSV, which has no cell types: a leading apostrophe, the convention spreadsheet programs read
    as "text" and do not show."""
    return "'" + value if looks_like_formula(value) else value
