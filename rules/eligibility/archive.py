"""The performance archive (业绩档案) as plain, frozen data: the input of the eligibility engine.

``parse_archive`` reads exactly the JSON form that ``applications.archive_json.archive_to_json``
produces (docs/archive-json.md). Unknown keys are ignored; codes and dates are checked, and a bad
value raises ``ArchiveFormatError`` naming its path (``educations[0].graduation_date``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from portal.personal_data import id_digest, is_masked
from rules.vocab import (
    TECHNICAL_CLASS_EQUIVALENT,
    AchievementKind,
    AchievementLevel,
    AssessmentGrade,
    DegreeOrigin,
    EducationLevel,
    PatentType,
    SkillLevel,
    StudyMode,
    TechnicalClass,
    TitleMethod,
)

from .exceptions import ArchiveFormatError

# Education tiers from lowest to highest (domain.md c.1). A higher tier satisfies a lower requirement.
EDUCATION_ORDER: tuple[str, ...] = (
    EducationLevel.OTHER,
    EducationLevel.SECONDARY,
    EducationLevel.JUNIOR_COLLEGE,
    EducationLevel.BACHELOR,
    EducationLevel.SECOND_BACHELOR,
    EducationLevel.MASTER,
    EducationLevel.DOCTOR,
)
EDUCATION_RANK = {level: i for i, level in enumerate(EDUCATION_ORDER)}
EDUCATION_LABEL = {
    EducationLevel.DOCTOR: "博士研究生",
    EducationLevel.MASTER: "硕士研究生",
    EducationLevel.SECOND_BACHELOR: "第二学士学位",
    EducationLevel.BACHELOR: "大学本科",
    EducationLevel.JUNIOR_COLLEGE: "大专（高职）",
    EducationLevel.SECONDARY: "中专（中职）",
    EducationLevel.OTHER: "其他学历",
}
TECHNICAL_CLASS_LABEL = {
    TechnicalClass.INTERMEDIATE_WORKER: "技工院校中级工班",
    TechnicalClass.ADVANCED_WORKER: "技工院校高级工班",
    TechnicalClass.PRE_TECHNICIAN: "技工院校预备技师（技师）班",
}


@dataclass(frozen=True)
class Identity:
    name: str = ""
    gender: str = ""
    id_type: str = ""
    id_number: str = ""  # in clear (a live archive, a spreadsheet row) or masked (a frozen snapshot)
    birth_date: dt.date | None = None
    nationality: str = ""
    current_employer: str = ""
    current_employer_credit_code: str | None = None
    id_number_digest: str = ""  # the keyed hash of the number (portal/personal_data.py): bans match on it


@dataclass(frozen=True)
class Education:
    level: str
    graduation_date: dt.date | None
    school: str = ""
    major: str = ""
    degree: str = ""
    study_mode: str = StudyMode.FULL_TIME
    technical_class: str = ""
    origin: str = DegreeOrigin.DOMESTIC
    certification_no: str = ""

    @property
    def effective_level(self) -> str:
        """技工院校 classes count as 中专 / 大专 / 本科 (seed 000 三; 晋人社厅发〔2020〕38号)."""
        if self.technical_class:
            equivalent = TECHNICAL_CLASS_EQUIVALENT[TechnicalClass(self.technical_class)]
            if EDUCATION_RANK[equivalent] > EDUCATION_RANK[self.level]:
                return str(equivalent)
        return self.level

    @property
    def rank(self) -> int:
        return EDUCATION_RANK[self.effective_level]

    @property
    def label(self) -> str:
        base = EDUCATION_LABEL[self.effective_level]
        if self.technical_class and self.effective_level != self.level:
            return f"{TECHNICAL_CLASS_LABEL[self.technical_class]}（视同{base}）"
        return base

    @property
    def needs_foreign_certification(self) -> bool:
        # Seed 003 附件3 第3项: foreign or HK/Macao/Taiwan degrees need the 留服中心 certificate.
        return self.origin != DegreeOrigin.DOMESTIC and not self.certification_no


@dataclass(frozen=True)
class WorkPeriod:
    start: dt.date
    end: dt.date | None
    employer_name: str = ""
    post: str = ""
    professional: bool = True
    skilled: bool = False


@dataclass(frozen=True)
class Title:
    level: int
    obtained_date: dt.date
    series: str = ""
    name: str = ""
    appointed_date: dt.date | None = None
    method: str = TitleMethod.REVIEW


@dataclass(frozen=True)
class SkillCertificate:
    level: str
    obtained_date: dt.date
    occupation: str = ""


@dataclass(frozen=True)
class Assessment:
    year: int
    grade: str


@dataclass(frozen=True)
class CeHours:
    year: int
    public: int = 0
    industry_public: int = 0
    professional: int = 0

    @property
    def total(self) -> int:
        return self.public + self.industry_public + self.professional


@dataclass(frozen=True)
class Achievement:
    kind: str
    title: str
    date: dt.date
    end_date: dt.date | None = None
    level: str = ""
    rank: int | None = None
    role: str = ""
    patent_type: str = ""
    issuer: str = ""
    issuer_is_government: bool = False


@dataclass(frozen=True)
class SocialInsurance:
    year: int
    months: int
    employer_name: str = ""
    province: str = ""


@dataclass(frozen=True)
class Archive:
    identity: Identity = field(default_factory=Identity)
    educations: tuple[Education, ...] = ()
    work_periods: tuple[WorkPeriod, ...] = ()
    titles: tuple[Title, ...] = ()
    skill_certificates: tuple[SkillCertificate, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    ce_hours: tuple[CeHours, ...] = ()
    achievements: tuple[Achievement, ...] = ()
    social_insurance: tuple[SocialInsurance, ...] = ()


# ---------------------------------------------------------------- parsing


class _Reader:
    def __init__(self, data: Any, path: str):
        if not isinstance(data, Mapping):
            raise ArchiveFormatError(path or "$", "应为JSON对象")
        self.data = data
        self.path = path

    def _p(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def str(self, key: str, *, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                raise ArchiveFormatError(self._p(key), "必填")
            return ""
        if not isinstance(value, str):
            raise ArchiveFormatError(self._p(key), "应为字符串")
        return value.strip()

    def opt_str(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise ArchiveFormatError(self._p(key), "应为字符串")
        return value.strip()

    def code(self, key: str, choices: type, *, required: bool = True, blank: bool = False) -> str:
        value = self.data.get(key)
        if value is None or value == "":
            if blank or not required:
                return ""
            raise ArchiveFormatError(self._p(key), "必填")
        if value not in choices.values:
            allowed = "、".join(v for v in choices.values if v)
            raise ArchiveFormatError(self._p(key), f"未知代码 {value!r}（可用：{allowed}）")
        return value

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                raise ArchiveFormatError(self._p(key), "必填")
            return None
        if not isinstance(value, str):
            raise ArchiveFormatError(self._p(key), "应为 YYYY-MM-DD 格式的日期")
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            raise ArchiveFormatError(self._p(key), f"日期 {value!r} 无效，应为 YYYY-MM-DD") from None

    def int(self, key: str, *, required: bool = False, default: int | None = None) -> int | None:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                raise ArchiveFormatError(self._p(key), "必填")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise ArchiveFormatError(self._p(key), "应为整数")
        if value < 0:
            raise ArchiveFormatError(self._p(key), "不能为负数")
        return value

    def bool(self, key: str, default: bool) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise ArchiveFormatError(self._p(key), "应为 true 或 false")
        return value

    def items(self, key: str) -> list[_Reader]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise ArchiveFormatError(self._p(key), "应为数组")
        return [_Reader(item, f"{self._p(key)}[{i}]") for i, item in enumerate(value)]


def _level_int(r: _Reader, key: str) -> int:
    value = r.int(key, required=True)
    if not 1 <= value <= 5:
        raise ArchiveFormatError(r._p(key), "职称层级应为1（员级）至5（正高级）")
    return value


def _digest_of_clear(number: str) -> str:
    return "" if is_masked(number) else id_digest(number)


def parse_archive(data: Any) -> Archive:
    """Parse the archive JSON (``archive_to_json``) into frozen dataclasses."""
    root = _Reader(data, "")
    identity_data = data.get("identity") or {}
    ir = _Reader(identity_data, "identity")
    identity = Identity(
        name=ir.str("name"),
        gender=ir.str("gender"),
        id_type=ir.str("id_type"),
        id_number=ir.str("id_number").upper().replace(" ", ""),
        birth_date=ir.date("birth_date"),
        nationality=ir.str("nationality"),
        current_employer=ir.str("current_employer"),
        current_employer_credit_code=(ir.opt_str("current_employer_credit_code") or "").upper() or None,
        id_number_digest=ir.str("id_number_digest") or _digest_of_clear(ir.str("id_number")),
    )
    educations = tuple(
        Education(
            level=r.code("level", EducationLevel),
            graduation_date=r.date("graduation_date"),
            school=r.str("school"),
            major=r.str("major"),
            degree=r.str("degree"),
            study_mode=r.code("study_mode", StudyMode, required=False) or StudyMode.FULL_TIME,
            technical_class=r.code("technical_class", TechnicalClass, blank=True),
            origin=r.code("origin", DegreeOrigin, required=False) or DegreeOrigin.DOMESTIC,
            certification_no=r.str("certification_no"),
        )
        for r in root.items("educations")
    )
    work_periods = []
    for r in root.items("work_periods"):
        start, end = r.date("start", required=True), r.date("end")
        if end is not None and end < start:
            raise ArchiveFormatError(r._p("end"), "结束时间早于开始时间")
        work_periods.append(
            WorkPeriod(
                start=start,
                end=end,
                employer_name=r.str("employer_name"),
                post=r.str("post"),
                professional=r.bool("professional", True),
                skilled=r.bool("skilled", False),
            )
        )
    titles = tuple(
        Title(
            level=_level_int(r, "level"),
            obtained_date=r.date("obtained_date", required=True),
            series=r.str("series"),
            name=r.str("name"),
            appointed_date=r.date("appointed_date"),
            method=r.code("method", TitleMethod, required=False) or TitleMethod.REVIEW,
        )
        for r in root.items("titles")
    )
    skills = tuple(
        SkillCertificate(
            level=r.code("level", SkillLevel),
            obtained_date=r.date("obtained_date", required=True),
            occupation=r.str("occupation"),
        )
        for r in root.items("skill_certificates")
    )
    assessments = tuple(
        Assessment(year=r.int("year", required=True), grade=r.code("grade", AssessmentGrade))
        for r in root.items("assessments")
    )
    ce_hours = tuple(
        CeHours(
            year=r.int("year", required=True),
            public=r.int("public", default=0),
            industry_public=r.int("industry_public", default=0),
            professional=r.int("professional", default=0),
        )
        for r in root.items("ce_hours")
    )
    achievements = tuple(
        Achievement(
            kind=r.code("kind", AchievementKind),
            title=r.str("title"),
            date=r.date("date", required=True),
            end_date=r.date("end_date"),
            level=r.code("level", AchievementLevel, blank=True),
            rank=r.int("rank"),
            role=r.str("role"),
            patent_type=r.code("patent_type", PatentType, blank=True),
            issuer=r.str("issuer"),
            issuer_is_government=r.bool("issuer_is_government", False),
        )
        for r in root.items("achievements")
    )
    social = tuple(
        SocialInsurance(
            year=r.int("year", required=True),
            months=r.int("months", default=0),
            employer_name=r.str("employer_name"),
            province=r.str("province"),
        )
        for r in root.items("social_insurance")
    )
    return Archive(
        identity=identity,
        educations=educations,
        work_periods=tuple(work_periods),
        titles=titles,
        skill_certificates=skills,
        assessments=assessments,
        ce_hours=ce_hours,
        achievements=achievements,
        social_insurance=social,
    )
