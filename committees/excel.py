"""Excel import and export of the expert pool, and the meeting statistics export (openpyxl)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from openpyxl import load_workbook

from applications.exports import submitted_name, workbook_response
from portal import clock
from portal.models import Organisation, Qualification, Region, Specialty

from .exceptions import CommitteeError
from .models import Expert, ExpertEmployment
from .services.conflicts import expert_recheck

EXPERT_HEADER = [
    "姓名",
    "专业",
    "职称",
    "工作单位",
    "统一社会信用代码",
    "所在地区代码",
    "联系电话",
    "民营企业专家",
    "入库时间",
    "有效期至",
    "登录账号",
    "电子邮箱",
]
# Files exported before the e-mail column was added have the first 11 columns only.
REQUIRED_COLUMNS = 11
MAX_ROWS = 5000
# A full export of 5000 experts is well under 1 MB packed and 10 MB unpacked.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
# Start and end tags in one sheet: a full export of 5000 experts has about 400,000.
MAX_SHEET_TAGS = 1_000_000
YES = {"是", "Y", "y", "1", "true", "True"}


def _d(value) -> str:
    return value.isoformat() if value else ""


def expert_rows(experts):
    for e in experts:
        yield [
            e.name,
            e.specialty.name,
            e.title.name,
            e.employer_label,
            e.employer.credit_code if e.employer_id else "",
            e.region.code,
            e.phone,
            "是" if e.is_private_sector else "否",
            _d(e.active_from),
            _d(e.active_until),
            e.user.username if e.user_id else "",
            e.email,
        ]


def experts_export(committee: Organisation):
    experts = (
        Expert.objects.filter(committee=committee)
        .select_related("specialty", "title", "employer", "region", "user")
        .order_by("specialty_id", "name")
    )
    return workbook_response(
        "专家库", EXPERT_HEADER, expert_rows(experts.iterator()), f"experts-{committee.pk}.xlsx"
    )


def _date(value, row: int, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise CommitteeError(
            f"第{row}行：{label}“{value}”不是有效日期（格式如2026-06-01）。", field="file"
        ) from exc


def _too_many_rows() -> CommitteeError:
    return CommitteeError(f"一次最多导入{MAX_ROWS}名专家，请分批导入。", field="file")


ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


def _count_sheet_rows(archive: zipfile.ZipFile) -> None:
    """Count each sheet's rows (and its XML tags) while unpacking it in chunks, before any XML parser
    sees it: openpyxl scans a whole sheet for its dimension on opening, tag by tag."""
    for info in archive.infolist():
        if not info.filename.startswith("xl/worksheets/") or not info.filename.endswith(".xml"):
            continue
        rows = tags = 0
        carried = b""
        with archive.open(info) as sheet:
            while True:
                chunk = sheet.read(1 << 20)
                data = carried + chunk
                # A tag that a chunk's end may cut is left for the next round (the last 64 bytes).
                cut = len(data) - 64 if chunk else len(data)
                rows += sum(1 for match in ROW_TAG.finditer(data) if match.start() < cut)
                tags += chunk.count(b"<")
                carried = data[cut:]
                if rows > MAX_ROWS + 1 or tags > MAX_SHEET_TAGS:
                    raise _too_many_rows()
                if not chunk:
                    break


def _read_rows(upload) -> list[tuple]:
    """The sheet's rows, refused as soon as the file shows it is too large: by its size, by what its
    parts unpack to, by the dimension it declares, and by counting rows while streaming them (a
    declared dimension can be missing or false), so a workbook of millions of rows never holds a worker."""
    if upload.size > MAX_FILE_BYTES:
        raise CommitteeError(f"文件超过{MAX_FILE_BYTES // 1048576}MB，请分批导入。", field="file")
    try:
        with zipfile.ZipFile(upload) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise _too_many_rows()
            _count_sheet_rows(archive)
        upload.seek(0)
        book = load_workbook(upload, read_only=True, data_only=True)
        try:
            return _bounded_rows(book.active)
        finally:
            book.close()
    except CommitteeError:
        raise
    except Exception as exc:  # noqa: BLE001 - a hostile file can make a zip or XML parser raise anything
        raise CommitteeError("请上传由本平台导出的Excel文件（.xlsx）。", field="file") from exc


def _bounded_rows(sheet) -> list[tuple]:
    declared = sheet.max_row if sheet.max_row is not None else 0
    if declared > MAX_ROWS + 1:
        raise _too_many_rows()
    # Read to the last row the sheet really has: a dimension declared too small would cut it short.
    sheet.reset_dimensions()
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(row)
        if len(rows) > MAX_ROWS + 1:
            raise _too_many_rows()
    return rows


def experts_import(*, committee: Organisation, upload) -> tuple[int, int]:
    """Create or update the committee's experts from a workbook in the export's layout; all rows or
    none. An expert is the same person when name and specialty match. Returns (created, updated)."""
    rows = _read_rows(upload)
    header = [str(c or "").strip() for c in rows[0][: len(EXPERT_HEADER)]] if rows else []
    if header[:REQUIRED_COLUMNS] != EXPERT_HEADER[:REQUIRED_COLUMNS] or header[REQUIRED_COLUMNS:] not in (
        [],
        [""],
        EXPERT_HEADER[REQUIRED_COLUMNS:],
    ):
        raise CommitteeError("表头应为：" + "、".join(EXPERT_HEADER), field="file")
    specialties = {s.name: s for s in Specialty.objects.all()}
    titles = {q.name: q for q in Qualification.objects.all()}
    regions = {r.code: r for r in Region.objects.all()}
    users = get_user_model().objects
    parsed = []
    for i, raw in enumerate(rows[1:], start=2):
        cells = [
            ("" if c is None else c) for c in (list(raw) + [None] * len(EXPERT_HEADER))[: len(EXPERT_HEADER)]
        ]
        if not any(str(c).strip() for c in cells):
            continue
        name, specialty, title, employer, code, region, phone, private, since, until, username, email = cells
        name = str(name).strip()
        if not name:
            raise CommitteeError(f"第{i}行：请填写姓名。", field="file")
        if str(specialty).strip() not in specialties:
            raise CommitteeError(f"第{i}行：专业“{specialty}”不存在。", field="file")
        if str(title).strip() not in titles:
            raise CommitteeError(f"第{i}行：职称“{title}”不存在。", field="file")
        if str(region).strip() not in regions:
            raise CommitteeError(f"第{i}行：地区代码“{region}”不存在。", field="file")
        org = (
            Organisation.objects.filter(credit_code=str(code).strip().upper()).first()
            if str(code).strip()
            else None
        )
        if str(code).strip() and org is None:
            raise CommitteeError(f"第{i}行：统一社会信用代码“{code}”未登记。", field="file")
        active_from = _date(since, i, "入库时间")
        if active_from is None:
            raise CommitteeError(f"第{i}行：请填写入库时间。", field="file")
        active_until = _date(until, i, "有效期至")
        if active_until and active_until < active_from:
            raise CommitteeError(f"第{i}行：有效期至不能早于入库时间。", field="file")
        # The import never binds an account (an applicant's or the administrator's included): the column
        # only echoes the export. An expert opens their account by accepting the office's invitation.
        username = str(username).strip()
        if username:
            bound = Expert.objects.filter(committee=committee, name=name, user__username=username).exists()
            if not bound and not users.filter(username=username).exists():
                raise CommitteeError(f"第{i}行：登录账号“{username}”不存在。", field="file")
            if not bound:
                raise CommitteeError(
                    f"第{i}行：导入不能绑定登录账号“{username}”，请清空该列，"
                    "在专家库页面向专家发送开通账号邀请。",
                    field="file",
                )
        email = str(email).strip()
        if email:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise CommitteeError(f"第{i}行：电子邮箱“{email}”格式不正确。", field="file") from exc
        parsed.append(
            dict(
                name=name,
                specialty=specialties[str(specialty).strip()],
                title=titles[str(title).strip()],
                employer=org,
                employer_name=str(employer).strip(),
                region=regions[str(region).strip()],
                phone=str(phone).strip()[:20],
                is_private_sector=private is True or str(private).strip() in YES,
                active_from=active_from,
                active_until=active_until,
            )
            # An empty cell keeps the address already on file (files exported before the column existed).
            | ({"email": email.lower()} if email else {})
        )
    created = updated = 0
    moved = []
    with transaction.atomic():
        for row in parsed:
            keys = {"committee": committee, "name": row.pop("name"), "specialty": row.pop("specialty")}
            before = Expert.objects.select_for_update().filter(**keys).first()
            expert, made = Expert.objects.update_or_create(**keys, defaults=row)
            created += made
            updated += not made
            if before is not None and (before.employer_id, before.employer_label) != (
                expert.employer_id,
                expert.employer_label,
            ):
                # The same record as an employer change through the service, so conflicts are checked again.
                ExpertEmployment.objects.create(
                    expert=expert,
                    employer_id=before.employer_id,
                    employer_name=before.employer_label,
                    ended_on=clock.today(),
                )
                moved.append(expert)
    for expert in moved:
        expert_recheck(expert=expert)
    return created, updated


def stats_export(meeting, stats: dict):
    rows = [["合计", "", stats["overall"].total, stats["overall"].passed, stats["overall"].rate]]
    rows += [["专业", r.label, r.total, r.passed, r.rate] for r in stats["by_specialty"]]
    rows += [["单位", r.label, r.total, r.passed, r.rate] for r in stats["by_employer"]]
    return workbook_response(
        "通过率", ["分组", "名称", "评审人数", "通过人数", "通过率"], rows, f"meeting-{meeting.pk}-stats.xlsx"
    )


def results_export(meeting, results):
    header = [
        "申报编号",
        "姓名",
        "工作单位",
        "申报资格",
        "专业",
        "出席专家",
        "回避",
        "有表决权",
        "同意",
        "不同意",
        "弃权",
        "未投票",
        "通过所需同意票",
        "结果",
    ]
    rows = (
        [
            r.application.number,
            submitted_name(r.application),
            (r.application.workplace or r.application.recommending_org).name,
            r.application.qualification.name,
            r.application.specialty.name,
            r.present,
            r.recused,
            r.entitled,
            r.agree,
            r.disagree,
            r.abstain,
            r.not_voted,
            r.required,
            "通过" if r.passed else "未通过",
        ]
        for r in results
    )
    return workbook_response("评审结果", header, rows, f"meeting-{meeting.pk}-results.xlsx")
