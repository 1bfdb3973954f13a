"""The dossier (评审材料) of an application: the archive as frozen at submission with each entry's files
beside it, the work summary, the checklist materials, the eligibility result, the history and the
objections of its publicities. Its queries do not grow with the number of entries or files."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import TitleLevel
from portal.validators import IdType, mask_id_number
from rules.vocab import (
    AchievementKind,
    AchievementLevel,
    AssessmentGrade,
    DegreeOrigin,
    EducationLevel,
    SkillLevel,
    StudyMode,
    TitleMethod,
)

from . import eligibility
from .archive_json import snapshot_id_number
from .models import (
    Achievement,
    AnnualAssessment,
    Application,
    ContinuingEducation,
    Education,
    Evidence,
    Gender,
    Objection,
    ReviewForm,
    SkillCertificate,
    TitleHeld,
    WorkPeriod,
)
from .permissions import Reader

# The snapshot's sections the dossier shows, in order: (key, title, entry model, columns); a column is
# (key, heading, choices whose labels replace the codes, or None).
SECTIONS = [
    (
        "educations",
        _("学历"),
        Education,
        [
            ("level", _("学历层次"), EducationLevel),
            ("school", _("毕业院校"), None),
            ("major", _("所学专业"), None),
            ("graduation_date", _("毕业时间"), None),
            ("degree", _("学位"), None),
            ("study_mode", _("学习形式"), StudyMode),
            ("origin", _("学历来源"), DegreeOrigin),
            ("certification_no", _("认证书编号"), None),
        ],
    ),
    (
        "work_periods",
        _("工作经历"),
        WorkPeriod,
        [
            ("employer_name", _("工作单位"), None),
            ("start", _("开始时间"), None),
            ("end", _("结束时间"), None),
            ("post", _("岗位/职务"), None),
            ("professional", _("从事专业技术工作"), {True: _("是"), False: _("否")}),
        ],
    ),
    (
        "titles",
        _("专业技术资格"),
        TitleHeld,
        [
            ("name", _("资格名称"), None),
            ("level", _("层级"), TitleLevel),
            ("obtained_date", _("取得时间"), None),
            ("appointed_date", _("聘任时间"), None),
            ("method", _("取得方式"), TitleMethod),
        ],
    ),
    (
        "skill_certificates",
        _("职业资格/技能等级"),
        SkillCertificate,
        [
            ("occupation", _("职业（工种）"), None),
            ("level", _("等级"), SkillLevel),
            ("obtained_date", _("取得时间"), None),
        ],
    ),
    (
        "assessments",
        _("年度考核"),
        AnnualAssessment,
        [("year", _("年度"), None), ("grade", _("考核结果"), AssessmentGrade)],
    ),
    (
        "ce_hours",
        _("继续教育学时"),
        ContinuingEducation,
        [
            ("year", _("年度"), None),
            ("public", _("一般公需科目学时"), None),
            ("industry_public", _("行业公需科目学时"), None),
            ("professional", _("专业科目学时"), None),
        ],
    ),
    (
        "achievements",
        _("业绩成果"),
        Achievement,
        [
            ("kind", _("类别"), AchievementKind),
            ("title", _("名称"), None),
            ("date", _("取得/完成时间"), None),
            ("level", _("级别"), AchievementLevel),
            ("rank", _("本人排名"), None),
            ("role", _("本人角色"), None),
            ("issuer", _("授予/发证机构"), None),
        ],
    ),
]


@dataclass(frozen=True)
class Document:
    """A document another app makes for the dossier; `ready` False while it is being generated."""

    title: str
    url: str
    ready: bool


def _documents(application: Application) -> list[Document]:
    """The stored documents of the dossier: the 评审表, made by a worker (certificates) from the
    submission; the link says 生成中 until the PDF of this submission is stored."""
    form = ReviewForm.objects.filter(application=application).only("submitted_at").first()
    return [
        Document(
            title="评审表",
            url=reverse("certificates:review_form", args=[application.pk]),
            ready=form is not None and form.is_current_for(application),
        )
    ]


@dataclass
class Section:
    key: str
    title: str
    headings: list[str]
    rows: list[tuple[list[str], list[Evidence]]] = field(default_factory=list)


def _labels(choices) -> dict:
    if choices is None:
        return {}
    if isinstance(choices, dict):
        return choices
    return dict(choices.choices)


def _cell(value, labels: dict) -> str:
    if value is None or value == "":
        return "—" if value is None else ""
    return str(labels.get(value, value))


def _sections(snapshot: dict, files: list[Evidence]) -> tuple[list[Section], list[Evidence]]:
    """The snapshot's entries with the submitted files attached to each; the files of no entry shown
    (an archive file of no entry, or a snapshot taken before entries carried their ids) come back apart."""
    by_entry: dict[tuple[int, int], list[Evidence]] = {}
    for f in files:
        by_entry.setdefault((f.entry_type_id, f.entry_id), []).append(f)
    placed: set = set()
    sections = []
    for key, title, model, columns in SECTIONS:
        type_id = ContentType.objects.get_for_model(model).pk  # cached by Django after the first read
        section = Section(key, title, [str(h) for _k, h, _c in columns])
        for entry in snapshot.get(key) or []:
            attached = by_entry.get((type_id, entry.get("id")), []) if entry.get("id") else []
            placed.update(f.pk for f in attached)
            section.rows.append(([_cell(entry.get(k), _labels(c)) for k, _h, c in columns], attached))
        sections.append(section)
    return sections, [f for f in files if f.pk not in placed]


def _identity(application: Application, reader: str) -> dict:
    """The identity as submitted. The ID number in full for the parties who check the person's identity
    (employer HR, bureau officers, the committee office); masked for experts (docs/privacy.md)."""
    identity = dict((application.snapshot or {}).get("identity") or {})
    full = snapshot_id_number(application) if reader != Reader.EXPERT else ""
    identity["id_number"] = full or mask_id_number(identity.get("id_number", ""))
    for key in ("id_number_sealed", "id_number_digest"):
        identity.pop(key, None)
    identity["gender_name"] = _labels(Gender).get(identity.get("gender"), "")
    identity["id_type_name"] = dict(IdType.CHOICES).get(identity.get("id_type"), "")
    return identity


def _objections(application: Application) -> list[Objection]:
    return list(
        Objection.objects.filter(entry__application=application)
        .select_related("entry__notice")
        .order_by("created_at")
    )


def _flag_shared(application: Application, files: list[Evidence]) -> None:
    """Mark each file that another applicant submitted too (the same content, by its SHA-256): both
    dossiers show it, without saying whose, for the reviewer to check. One query."""
    shared = set(
        Evidence.objects.filter(sha256__in={f.sha256 for f in files}, submitted_in__isnull=False)
        .exclude(archive_id=application.archive_id)
        .values_list("sha256", flat=True)
        .distinct()
    )
    for f in files:
        f.shared_elsewhere = f.sha256 in shared


def dossier_context(application: Application, *, reader: str) -> dict:
    """Everything the dossier page shows, as the reader may see it."""
    snapshot = application.snapshot or {}
    files = list(application.submitted_evidence.order_by("uploaded_at"))
    _flag_shared(application, files)
    materials_files = [f for f in files if f.application_id == application.pk and f.material_code]
    archive_files = [f for f in files if f not in materials_files]
    sections, loose = _sections(snapshot, archive_files)
    names = application.material_names
    materials: dict[str, tuple[str, list[Evidence]]] = {}
    for f in materials_files:
        materials.setdefault(f.material_code, (names.get(f.material_code, f.material_code), []))[1].append(f)
    check = eligibility.check_application(application, live=False) if application.snapshot else None
    return {
        "application": application,
        "reader": reader,
        "identity": _identity(application, reader),
        "sections": sections,
        "loose_files": loose,
        "materials": list(materials.values()),
        "elig": check.result.as_dict() if check and check.result else None,
        "elig_message": check.message if check else "",
        "live": False,
        "events": application.events.select_related("actor"),
        "objections": _objections(application),
        "documents": _documents(application),
    }
