"""Reading many archives (JSON lines or an Excel sheet) for ``manage.py eligibility --bulk``; the result
table it writes is in ``bulk_output``. No database access here; docs/archive-json.md describes the input
forms."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook

from rules.vocab import AssessmentGrade, DeclarationType, EducationLevel, SkillLevel, TechnicalClass


def _bool(value: Any, default: bool = True) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"是", "对口", "true", "1", "yes", "y"}:
        return True
    if text in {"否", "不对口", "false", "0", "no", "n"}:
        return False
    raise ValueError(f"无法识别的是/否：{value!r}")


TYPE_BY_LABEL = {
    "正常申报": DeclarationType.NORMAL,
    "正常": DeclarationType.NORMAL,
    "破格申报": DeclarationType.EXCEPTIONAL,
    "破格": DeclarationType.EXCEPTIONAL,
    "技能人才申报": DeclarationType.SKILLS,
    "技能人才": DeclarationType.SKILLS,
    "直接认定": DeclarationType.RECOGNITION,
    "认定": DeclarationType.RECOGNITION,
    "初定": DeclarationType.INITIAL,
}


def _declaration_type(value: Any) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    if text in DeclarationType.values:
        return text
    if text in TYPE_BY_LABEL:
        return TYPE_BY_LABEL[text]
    raise ValueError(f"未知的申报类型：{text}")


def read_jsonl(stream: IO[str]) -> Iterator[dict[str, Any]]:
    """Each line: an archive JSON, or {"ref", "archive", "specialty_matches", "declaration_type",
    "exceptional_class"}. Yields normalised input dicts (with "error" for an unreadable line)."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield {"ref": f"第{number}行", "archive": None, "error": f"JSON格式错误：{exc.msg}"}
            continue
        yield _envelope(data, f"第{number}行")


def _envelope(data: Any, fallback_ref: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        return {"ref": fallback_ref, "archive": None, "error": "应为JSON对象"}
    envelope = "archive" in data and "identity" not in data
    archive = data["archive"] if envelope else data
    ref = data.get("ref") if envelope else None
    if not ref and isinstance(archive, dict):
        identity = archive.get("identity") or {}
        ref = identity.get("id_number") or identity.get("name")
    if not envelope:
        data = {}
    try:
        return {
            "ref": str(ref or fallback_ref),
            "archive": archive,
            "specialty_matches": _bool(data.get("specialty_matches"), True),
            "declaration_type": _declaration_type(data.get("declaration_type")),
            "exceptional_class": str(data.get("exceptional_class") or "").strip().upper(),
            "error": "",
        }
    except ValueError as exc:
        return {"ref": str(ref or fallback_ref), "archive": None, "error": str(exc)}


# The flat sheet: one candidate a row, headers in Chinese (docs/archive-json.md "Excel").
FLAT_HEADERS = (
    "编号",
    "姓名",
    "证件类型",
    "证件号码",
    "工作单位",
    "统一社会信用代码",
    "学历",
    "技工院校班级",
    "毕业时间",
    "所学专业",
    "专业工作经历",
    "技能工作经历",
    "职称名称",
    "职称层级",
    "职称系列",
    "职称取得时间",
    "职称聘任时间",
    "技能等级",
    "技能等级取得时间",
    "年度考核",
    "继续教育",
    "专业对口",
    "申报类型",
    "破格类别",
)
JSON_HEADERS = ("档案JSON", "archive")

EDUCATION_BY_LABEL = {
    "博士": EducationLevel.DOCTOR,
    "博士研究生": EducationLevel.DOCTOR,
    "硕士": EducationLevel.MASTER,
    "硕士研究生": EducationLevel.MASTER,
    "研究生": EducationLevel.MASTER,
    "第二学士": EducationLevel.SECOND_BACHELOR,
    "第二学士学位": EducationLevel.SECOND_BACHELOR,
    "本科": EducationLevel.BACHELOR,
    "大学本科": EducationLevel.BACHELOR,
    "大专": EducationLevel.JUNIOR_COLLEGE,
    "大学专科": EducationLevel.JUNIOR_COLLEGE,
    "高职": EducationLevel.JUNIOR_COLLEGE,
    "大专（高职）": EducationLevel.JUNIOR_COLLEGE,
    "中专": EducationLevel.SECONDARY,
    "中职": EducationLevel.SECONDARY,
    "中专（中职）": EducationLevel.SECONDARY,
    "其他": EducationLevel.OTHER,
    "其他学历": EducationLevel.OTHER,
}
CLASS_BY_LABEL = {
    "中级工班": TechnicalClass.INTERMEDIATE_WORKER,
    "高级工班": TechnicalClass.ADVANCED_WORKER,
    "预备技师班": TechnicalClass.PRE_TECHNICIAN,
    "技师班": TechnicalClass.PRE_TECHNICIAN,
    "预备技师（技师）班": TechnicalClass.PRE_TECHNICIAN,
}
SKILL_BY_LABEL = {
    "高级工": SkillLevel.ADVANCED_WORKER,
    "技师": SkillLevel.TECHNICIAN,
    "高级技师": SkillLevel.SENIOR_TECHNICIAN,
}
GRADE_BY_LABEL = {
    "优秀": AssessmentGrade.EXCELLENT,
    "良好": AssessmentGrade.GOOD,
    "称职": AssessmentGrade.GOOD,
    "合格": AssessmentGrade.QUALIFIED,
    "基本合格": AssessmentGrade.BASIC,
    "不合格": AssessmentGrade.UNQUALIFIED,
}
LEVEL_BY_LABEL = {"员级": 1, "初级": 1, "助理级": 2, "中级": 3, "副高级": 4, "正高级": 5}
TITLE_LEVEL_BY_NAME = {"技术员": 1, "助理工程师": 2, "工程师": 3, "高级工程师": 4, "正高级工程师": 5}


def _code(value: Any, labels: dict[str, str], codes: Iterable[str], what: str) -> str:
    text = str(value).strip()
    if text in codes:
        return text
    if text in labels:
        return str(labels[text])
    raise ValueError(f"未知的{what}：{text}")


def _date(value: Any, what: str) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip().replace("/", "-").replace(".", "-")
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", text) or re.fullmatch(
        r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?", text
    )
    if not m:
        raise ValueError(f"{what}日期无法识别：{text}")
    return dt.date(int(m[1]), int(m[2]), int(m[3] or 1)).isoformat()


def _periods(value: Any, *, professional: bool, what: str) -> list[dict[str, Any]]:
    """ "2015-07-01~2018-06-30; 2019-01-01~" (an empty end means 至今)."""
    if value is None or str(value).strip() == "":
        return []
    out = []
    for part in re.split(r"[;；,，\n]+", str(value)):
        part = part.strip()
        if not part:
            continue
        bounds = re.split(r"\s*[~～至]\s*|\s+-\s+", part)
        start = _date(bounds[0], what)
        end = (
            _date(bounds[1], what)
            if len(bounds) > 1 and bounds[1].strip() not in ("", "今", "至今")
            else None
        )
        out.append({"start": start, "end": end, "professional": professional, "skilled": not professional})
    return out


def _year_items(value: Any) -> list[tuple[int, str]]:
    if value is None or str(value).strip() == "":
        return []
    out = []
    for part in re.split(r"[;；,，\n]+", str(value)):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"(\d{4})\s*(?:年)?\s*[:：]?\s*(.+)", part)
        if not m:
            raise ValueError(f"无法识别：{part}（应为“2021:合格”或“2021:18+0+60”）")
        out.append((int(m[1]), m[2].strip()))
    return out


def flat_row_to_input(row: dict[str, Any], fallback_ref: str) -> dict[str, Any]:
    """One row of the flat sheet → an input dict holding an archive in the archive JSON form."""
    ref = str(row.get("编号") or row.get("证件号码") or row.get("姓名") or fallback_ref).strip()
    try:
        archive: dict[str, Any] = {
            "identity": {
                "name": str(row.get("姓名") or "").strip(),
                "id_type": str(row.get("证件类型") or "resident").strip() or "resident",
                "id_number": str(row.get("证件号码") or "").strip(),
                "current_employer": str(row.get("工作单位") or "").strip(),
                "current_employer_credit_code": str(row.get("统一社会信用代码") or "").strip() or None,
            },
            "educations": [],
            "work_periods": [],
            "titles": [],
            "skill_certificates": [],
            "assessments": [],
            "ce_hours": [],
            "achievements": [],
            "social_insurance": [],
        }
        if row.get("学历"):
            archive["educations"].append(
                {
                    "level": _code(row["学历"], EDUCATION_BY_LABEL, EducationLevel.values, "学历"),
                    "technical_class": _code(
                        row["技工院校班级"], CLASS_BY_LABEL, TechnicalClass.values, "技工院校班级"
                    )
                    if row.get("技工院校班级")
                    else "",
                    "graduation_date": _date(row.get("毕业时间"), "毕业时间"),
                    "major": str(row.get("所学专业") or "").strip(),
                }
            )
        archive["work_periods"] += _periods(row.get("专业工作经历"), professional=True, what="专业工作经历")
        archive["work_periods"] += _periods(row.get("技能工作经历"), professional=False, what="技能工作经历")
        if row.get("职称名称") or row.get("职称层级"):
            name = str(row.get("职称名称") or "").strip()
            level_raw = row.get("职称层级")
            if level_raw in (None, ""):
                level = TITLE_LEVEL_BY_NAME.get(name)
            elif str(level_raw).strip().isdigit():
                level = int(str(level_raw).strip())
            else:
                level = LEVEL_BY_LABEL.get(str(level_raw).strip())
            if not level:
                raise ValueError(f"无法确定职称层级：{name or level_raw}")
            archive["titles"].append(
                {
                    "series": str(row.get("职称系列") or "engineering").strip(),
                    "level": level,
                    "name": name,
                    "obtained_date": _date(row.get("职称取得时间"), "职称取得时间"),
                    "appointed_date": _date(row.get("职称聘任时间"), "职称聘任时间"),
                    "method": "review",
                }
            )
        if row.get("技能等级"):
            archive["skill_certificates"].append(
                {
                    "level": _code(row["技能等级"], SKILL_BY_LABEL, SkillLevel.values, "技能等级"),
                    "obtained_date": _date(row.get("技能等级取得时间"), "技能等级取得时间"),
                    "occupation": "",
                }
            )
        for year, text in _year_items(row.get("年度考核")):
            archive["assessments"].append(
                {"year": year, "grade": _code(text, GRADE_BY_LABEL, AssessmentGrade.values, "考核等次")}
            )
        for year, text in _year_items(row.get("继续教育")):
            parts = [p for p in re.split(r"\s*[+＋/]\s*", text) if p]
            if len(parts) != 3 or not all(p.isdigit() for p in parts):
                raise ValueError(f"继续教育应为“年度:一般公需+行业公需+专业”，如 2021:18+0+60，而不是 {text}")
            archive["ce_hours"].append(
                {
                    "year": year,
                    "public": int(parts[0]),
                    "industry_public": int(parts[1]),
                    "professional": int(parts[2]),
                }
            )
        return {
            "ref": ref,
            "archive": archive,
            "error": "",
            "specialty_matches": _bool(row.get("专业对口"), True),
            "declaration_type": _declaration_type(row.get("申报类型")),
            "exceptional_class": str(row.get("破格类别") or "").strip().upper(),
        }
    except (ValueError, TypeError) as exc:
        return {"ref": ref, "archive": None, "error": str(exc)}


def read_xlsx(path: Path | str) -> Iterator[dict[str, Any]]:
    """The first sheet; row 1 holds the headers. A "档案JSON" column (the archive JSON of a row) wins over
    the flat columns."""
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        json_col = next((i for i, h in enumerate(header) if h in JSON_HEADERS), None)
        for number, values in enumerate(rows, start=2):
            if values is None or all(v is None or str(v).strip() == "" for v in values):
                continue
            row = {header[i]: v for i, v in enumerate(values) if i < len(header) and header[i]}
            fallback = f"第{number}行"
            if json_col is not None and values[json_col]:
                try:
                    data = json.loads(values[json_col])
                except (TypeError, json.JSONDecodeError) as exc:
                    yield {
                        "ref": str(row.get("编号") or fallback),
                        "archive": None,
                        "error": f"档案JSON格式错误：{exc}",
                    }
                    continue
                item = _envelope(
                    {
                        "archive": data,
                        "ref": row.get("编号") or row.get("ref"),
                        "specialty_matches": row.get("专业对口", row.get("specialty_matches")),
                        "declaration_type": row.get("申报类型", row.get("declaration_type")),
                        "exceptional_class": row.get("破格类别", row.get("exceptional_class")),
                    },
                    fallback,
                )
                yield item
            else:
                yield flat_row_to_input(row, fallback)
    finally:
        workbook.close()


def read_inputs(path: Path | str) -> Iterator[dict[str, Any]]:
    path = Path(path)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        yield from read_xlsx(path)
    else:
        with path.open(encoding="utf-8-sig") as stream:
            yield from read_jsonl(stream)
