"""What a certificate PDF prints, built from the signed payload, and the exact check of a PDF's text.

The template (templates/certificates/pdf/certificate.html) prints `page(payload)` line by line and the
offline check rebuilds the same lines from the signed payload: the PDF's text (pypdf, in content
order) must equal them exactly, whitespace aside (PDF text extraction breaks and spaces lines where
the layout wraps them). Nothing may be missing, changed or added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.validators import IdType

from .encoding import FIELDS

TITLE = "专业技术资格证书"
SUBTITLE = "电子证书"
QR_CAPTION = "扫码核验"
NOTE = (
    "本证书由发证机构以电子签名签发，与纸质证书具有同等效力。"
    "可扫描二维码或在职称申报评审服务平台“证书核验”输入证书编号核验。"
)


@dataclass(frozen=True)
class Line:
    """One printed line: `label` (printed as is, e.g. "姓　　名") and the value after it. `field` names
    the signed field(s) the line shows, for the messages of the check."""

    field: str
    label: str
    value: str


def printed_date(value: str) -> str:
    """How a signed ISO date is printed: 2026年6月1日."""
    day = dt.date.fromisoformat(value)
    return f"{day.year}年{day.month}月{day.day}日"


def id_type_label(code: str) -> str:
    return str(dict(IdType.CHOICES).get(code, code))


def lead(p: dict) -> str:
    return f"{p['nm']}同志经{p['cmt']}评审通过，具备{p['ser']}系列{p['lv']}专业技术资格。"


def field_rows(p: dict) -> list[Line]:
    """The table of fields, in the order printed."""
    return [
        Line("nm", "姓　　名", p["nm"]),
        Line("idn", id_type_label(p["idt"]), p["idn"]),
        Line("wu", "工作单位", p["wu"] or "—"),
        Line("ser", "系　　列", p["ser"]),
        Line("spc", "专　　业", p["spc"]),
        Line("q", "资格名称", p["q"]),
        Line("lv", "资格级别", p["lv"]),
        Line("cmt", "评审委员会", p["cmt"]),
        Line("adn", "批准文号", p["adn"]),
        Line("add", "批准日期", printed_date(p["add"])),
        Line("no", "证书编号", p["no"]),
    ]


def issuer_lines(p: dict) -> list[Line]:
    return [Line("iss", "发证机构：", p["iss"]), Line("isd", "发证日期：", printed_date(p["isd"]))]


def identifier_line(p: dict) -> Line:
    return Line("eid", "电子证照标识：", p["eid"])


def page(p: dict) -> list[Line]:
    """Every line of the page, in the order the PDF's content (and so its extracted text) has them."""
    return [
        Line("", TITLE, ""),
        Line("", SUBTITLE, ""),
        Line("lead", "", lead(p)),
        *field_rows(p),
        Line("", QR_CAPTION, ""),
        *issuer_lines(p),
        identifier_line(p),
        Line("", NOTE, ""),
    ]


def flat(text: str) -> str:
    """The text without any whitespace (ASCII, ideographic and line breaks alike)."""
    return "".join((text or "").split())


def _field_name(line: Line) -> str:
    if line.field == "lead":
        return "证书正文（姓名、评审委员会、系列、资格级别）"
    if line.field:
        return FIELDS[line.field]
    return f"固定文字“{line.label}”"


def compare_printed(payload: dict, text: str) -> list[str]:
    """Empty when the PDF's text is exactly the page the signed payload makes; else what differs."""
    try:
        lines = page(payload)
    except (KeyError, TypeError, ValueError):
        return ["签名内容缺少打印所需的字段，无法核对PDF上的文字。"]
    actual = flat(text)
    if actual == "".join(flat(line.label) + flat(line.value) for line in lines):
        return []
    problems = []
    position = 0
    for index, line in enumerate(lines):
        label, value = flat(line.label), flat(line.value)
        start = actual.find(label, position) if label else position
        if start < 0:
            problems.append(f"PDF上缺少“{_field_name(line)}”。")
            continue
        begin = start + len(label)
        following = flat(lines[index + 1].label) if index + 1 < len(lines) else ""
        if actual.startswith(value, begin) and actual.startswith(following, begin + len(value)):
            position = begin + len(value)
            continue
        end = actual.find(following, begin) if following else len(actual)
        end = len(actual) if end < 0 else end
        printed = actual[begin:end]
        if printed != value:
            problems.append(
                f"PDF上的“{_field_name(line)}”（{printed or '空'}）与签名内容（{line.value}）不一致。"
            )
        position = end
    if not problems:
        problems.append("PDF上的文字与签名内容不一致：有签名内容以外的文字，或文字顺序被改动。")
    return problems
