"""Performance archive (业绩档案), applications, evidence and the application audit trail."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal import clock
from portal.fields import ClockDateTimeField
from portal.models import Organisation, Qualification, ReviewPlan, Role, Series, Specialty, SubSpecialty
from portal.validators import IdType
from rules.vocab import (
    AchievementKind,
    AchievementLevel,
    AssessmentGrade,
    DeclarationType,
    DegreeOrigin,
    EducationLevel,
    PatentType,
    SkillLevel,
    StudyMode,
    TechnicalClass,
    TitleMethod,
)

from .states import State


class PrivateStorage(FileSystemStorage):
    """Evidence storage outside any served directory; the location follows settings at use time."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


_PRIVATE_STORAGE = PrivateStorage()


def private_storage() -> FileSystemStorage:
    return _PRIVATE_STORAGE


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Archive(models.Model):
    """An applicant's performance archive; kept up to date before and between declarations."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="archive")
    name = models.CharField(_("姓名"), max_length=60)
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices, blank=True)
    id_type = models.CharField(_("证件类型"), max_length=16, choices=IdType.CHOICES, default=IdType.RESIDENT)
    id_number = models.CharField(_("证件号码"), max_length=24, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    nationality = models.CharField(_("国籍（地区）"), max_length=40, default="中国")
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    current_employer = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("现工作单位"),
    )
    current_employer_name = models.CharField(_("现工作单位名称"), max_length=120, blank=True)
    updated_at = ClockDateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("业绩档案")
        verbose_name_plural = _("业绩档案")
        constraints = [
            # One person, one archive: the same document cannot back two accounts.
            models.UniqueConstraint(
                fields=["id_type", "id_number"], condition=~Q(id_number=""), name="archive_unique_identity"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ArchiveEntry(models.Model):
    """Base of the archive's entries. Dates in them are facts of the past: none may lie ahead."""

    archive = models.ForeignKey(Archive, on_delete=models.CASCADE, related_name="+")
    past_date_fields: tuple[str, ...] = ()
    past_year_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def clean(self) -> None:
        from portal import clock

        today = clock.today()
        errors = {}
        for name in self.past_date_fields:
            value = getattr(self, name)
            if value and value > today:
                errors[name] = _("日期不能晚于今天（%(today)s）。") % {"today": today.isoformat()}
        for name in self.past_year_fields:
            value = getattr(self, name)
            if value and not 1950 <= value <= today.year:
                errors[name] = _("年度应在1950年至%(year)s年之间。") % {"year": today.year}
        if errors:
            raise ValidationError(errors)


class Education(ArchiveEntry):
    archive = models.ForeignKey(Archive, on_delete=models.CASCADE, related_name="educations")
    level = models.CharField(_("学历层次"), max_length=20, choices=EducationLevel.choices)
    school = models.CharField(_("毕业院校"), max_length=120)
    major = models.CharField(_("所学专业"), max_length=120)
    start_date = models.DateField(_("入学时间"), null=True, blank=True)
    graduation_date = models.DateField(_("毕业时间"))
    degree = models.CharField(_("学位"), max_length=40, blank=True)
    study_mode = models.CharField(
        _("学习形式"), max_length=12, choices=StudyMode.choices, default=StudyMode.FULL_TIME
    )
    technical_class = models.CharField(
        _("技工院校班级"), max_length=24, choices=TechnicalClass.choices, blank=True
    )
    origin = models.CharField(
        _("学历来源"), max_length=10, choices=DegreeOrigin.choices, default=DegreeOrigin.DOMESTIC
    )
    certification_no = models.CharField(_("学历学位认证书编号"), max_length=60, blank=True)
    past_date_fields = ("start_date", "graduation_date")

    class Meta:
        ordering = ["graduation_date"]
        verbose_name = _("学历")
        verbose_name_plural = _("学历")

    def __str__(self) -> str:
        return (
            f"{self.get_level_display()} · {self.school} · {self.major} · {self.graduation_date:%Y-%m-%d}毕业"
        )


class WorkPeriod(ArchiveEntry):
    archive = models.ForeignKey(Archive, on_delete=models.CASCADE, related_name="work_periods")
    employer_name = models.CharField(_("工作单位"), max_length=120)
    employer = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start = models.DateField(_("开始时间"))
    end = models.DateField(_("结束时间"), null=True, blank=True, help_text=_("至今请留空"))
    post = models.CharField(_("岗位/职务"), max_length=80, blank=True)
    professional = models.BooleanField(_("从事专业技术工作"), default=True)
    skilled = models.BooleanField(_("从事技术技能工作"), default=False)
    past_date_fields = ("start", "end")

    class Meta:
        ordering = ["start"]
        verbose_name = _("工作经历")
        verbose_name_plural = _("工作经历")
        constraints = [
            # A period cannot end before it starts.
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="workperiod_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        until = f"{self.end:%Y-%m-%d}" if self.end else "至今"
        return f"{self.start:%Y-%m-%d}—{until} {self.employer_name} {self.post}".strip()

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("结束时间不能早于开始时间。")})


class TitleHeld(ArchiveEntry):
    archive = models.ForeignKey(Archive, on_delete=models.CASCADE, related_name="titles")
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("系列")
    )
    qualification = models.ForeignKey(
        Qualification, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("资格名称")
    )
    name = models.CharField(_("资格名称（如未列出）"), max_length=60, blank=True)
    level = models.PositiveSmallIntegerField(
        _("层级"), choices=Qualification._meta.get_field("level").choices
    )
    obtained_date = models.DateField(_("取得时间"))
    appointed_date = models.DateField(_("聘任时间"), null=True, blank=True)
    method = models.CharField(_("取得方式"), max_length=12, choices=TitleMethod.choices)
    issuer = models.CharField(_("发证/评审机构"), max_length=120, blank=True)
    certificate_no = models.CharField(_("证书编号"), max_length=60, blank=True)
    past_date_fields = ("obtained_date", "appointed_date")

    class Meta:
        ordering = ["obtained_date"]
        verbose_name = _("专业技术资格")
        verbose_name_plural = _("专业技术资格")

    def __str__(self) -> str:
        level, method = self.get_level_display(), self.get_method_display()
        return f"{self.display_name}（{level}，{method}，{self.obtained_date:%Y-%m-%d}）"

    @property
    def display_name(self) -> str:
        return self.qualification.name if self.qualification_id else self.name


class SkillCertificate(ArchiveEntry):
    archive = models.ForeignKey(Archive, on_delete=models.CASCADE, related_name="skill_certificates")
    level = models.CharField(_("等级"), max_length=20, choices=SkillLevel.choices)
    occupation = models.CharField(_("职业（工种）"), max_length=80)
    obtained_date = models.DateField(_("取得时间"))
    certificate_no = models.CharField(_("证书编号"), max_length=60, blank=True)
    past_date_fields = ("obtained_date",)

    class Meta:
        ordering = ["obtained_date"]
        verbose_name = _("职业资格/技能等级")
        verbose_name_plural = _("职业资格/技能等级")

    def __str__(self) -> str:
        return f"{self.occupation} {self.get_level_display()}（{self.obtained_date:%Y-%m-%d}）"


class AnnualAssessment(ArchiveEntry):
    archive = models.ForeignKey(Archive, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("年度"))
    grade = models.CharField(_("考核结果"), max_length=12, choices=AssessmentGrade.choices)
    employer_name = models.CharField(_("考核单位"), max_length=120, blank=True)
    past_year_fields = ("year",)

    class Meta:
        ordering = ["year"]
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        # Seed 003 附件3 item 9: one result per year, entered year by year.
        constraints = [models.UniqueConstraint(fields=["archive", "year"], name="assessment_unique_year")]

    def __str__(self) -> str:
        return f"{self.year}年 {self.get_grade_display()}"


class ContinuingEducation(ArchiveEntry):
    archive = models.ForeignKey(Archive, on_delete=models.CASCADE, related_name="ce_hours")
    year = models.PositiveSmallIntegerField(_("年度"))
    public_hours = models.PositiveIntegerField(_("一般公需科目学时"), default=0)
    industry_public_hours = models.PositiveIntegerField(_("行业公需科目学时"), default=0)
    professional_hours = models.PositiveIntegerField(_("专业科目学时"), default=0)
    past_year_fields = ("year",)

    class Meta:
        ordering = ["year"]
        verbose_name = _("继续教育学时")
        verbose_name_plural = _("继续教育学时")
        constraints = [models.UniqueConstraint(fields=["archive", "year"], name="ce_unique_year")]

    def __str__(self) -> str:
        return (
            f"{self.year}年 公需{self.public_hours + self.industry_public_hours}学时，"
            f"专业{self.professional_hours}学时"
        )

    @property
    def total_hours(self) -> int:
        return self.public_hours + self.industry_public_hours + self.professional_hours


class Achievement(ArchiveEntry):
    archive = models.ForeignKey(Archive, on_delete=models.CASCADE, related_name="achievements")
    kind = models.CharField(_("类别"), max_length=20, choices=AchievementKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    date = models.DateField(_("取得/完成时间"))
    end_date = models.DateField(_("结束时间"), null=True, blank=True)
    level = models.CharField(_("级别"), max_length=12, choices=AchievementLevel.choices, blank=True)
    rank = models.PositiveSmallIntegerField(_("本人排名"), null=True, blank=True)
    role = models.CharField(_("本人角色"), max_length=60, blank=True)
    patent_type = models.CharField(_("专利类型"), max_length=12, choices=PatentType.choices, blank=True)
    issuer = models.CharField(_("授予/发证机构"), max_length=120, blank=True)
    # P5/F5 of seed 003: titles given by associations or social groups do not count.
    issuer_is_government = models.BooleanField(_("由党委、政府或其部门授予"), default=False)
    reference_no = models.CharField(_("编号（专利号、刊号等）"), max_length=80, blank=True)
    description = models.TextField(_("说明"), blank=True)
    past_date_fields = ("date",)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("业绩成果")
        verbose_name_plural = _("业绩成果")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}（{self.date:%Y-%m-%d}）"


class SocialInsuranceRecord(ArchiveEntry):
    archive = models.ForeignKey(Archive, on_delete=models.CASCADE, related_name="social_insurance")
    year = models.PositiveSmallIntegerField(_("年度"))
    employer_name = models.CharField(_("参保单位"), max_length=120)
    months = models.PositiveSmallIntegerField(_("缴费月数"))
    province = models.CharField(_("参保省份"), max_length=20, blank=True)
    past_year_fields = ("year",)

    class Meta:
        ordering = ["year"]
        verbose_name = _("社保缴纳记录")
        verbose_name_plural = _("社保缴纳记录")
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gte=1, months__lte=12), name="social_insurance_months_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.employer_name} {self.months}个月"


class Channel(models.TextChoices):
    EMPLOYER = "employer", _("用人单位")
    AGENCY = "agency", _("人事代理机构（自由职业者）")
    DISPATCH = "dispatch", _("劳务派遣单位（会同用工单位）")
    SERVICE_POINT = "service_point", _("职称申报受理服务点")


class Application(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("申报编号"), max_length=24, unique=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    archive = models.ForeignKey(Archive, on_delete=models.PROTECT, related_name="applications")
    plan = models.ForeignKey(
        ReviewPlan, on_delete=models.PROTECT, related_name="applications", verbose_name=_("评审计划")
    )
    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, verbose_name=_("申报资格"))
    specialty = models.ForeignKey(Specialty, on_delete=models.PROTECT, verbose_name=_("申报专业"))
    sub_specialty = models.ForeignKey(
        SubSpecialty, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("子专业")
    )
    declaration_type = models.CharField(_("申报类型"), max_length=16, choices=DeclarationType.choices)
    exceptional_class = models.CharField(
        _("破格类别"), max_length=1, blank=True, choices=[("A", _("A类")), ("B", _("B类"))]
    )
    specialty_matches = models.BooleanField(_("所学专业与申报专业对口"), default=True)
    channel = models.CharField(_("申报渠道"), max_length=16, choices=Channel.choices)
    # The organisation that audits and recommends (employer, agency, dispatch company or service point).
    recommending_org = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="recommended_applications",
        verbose_name=_("推荐单位"),
    )
    # For a dispatched worker: the workplace that audits together with the dispatch company.
    workplace = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("用工单位"),
    )
    # The committee that holds the application: the plan's, then the receiving committee after an
    # upward recommendation is received or the review is entrusted. Kept by the workflow's moves.
    committee = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="held_applications",
        verbose_name=_("办理评委会"),
    )
    work_summary = models.TextField(_("任现职以来专业技术工作总结"), blank=True)
    state = models.CharField(_("状态"), max_length=32, choices=State.choices, default=State.DRAFT)
    snapshot = models.JSONField(_("提交时档案快照"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    pledge_signed_at = models.DateTimeField(_("承诺书签署时间"), null=True, blank=True)
    pledge_ip = models.GenericIPAddressField(_("签署IP"), null=True, blank=True)
    created_at = models.DateTimeField(default=clock.stamp)
    updated_at = ClockDateTimeField(auto_now=True)
    # Head of the hash chain of this application's history; a removed last row shows as a mismatch.
    history_count = models.PositiveIntegerField(default=0, editable=False)
    history_head = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("职称申报")
        verbose_name_plural = _("职称申报")
        indexes = [
            models.Index(fields=["applicant", "-created_at"]),
            models.Index(fields=["recommending_org", "state", "-created_at"]),
            models.Index(fields=["plan", "state", "-created_at"]),
            models.Index(fields=["state", "-created_at"]),
            models.Index(fields=["committee", "state", "-created_at"]),
        ]
        constraints = [
            # A person declares once per plan and qualification while an application is alive.
            models.UniqueConstraint(
                fields=["applicant", "plan", "qualification"],
                condition=~Q(state__in=[State.WITHDRAWN, State.REJECTED]),
                name="application_one_live_per_plan_qualification",
            ),
            # 破格 applications name their class (A or B); others have none.
            models.CheckConstraint(
                condition=(Q(declaration_type=DeclarationType.EXCEPTIONAL) & ~Q(exceptional_class=""))
                | (~Q(declaration_type=DeclarationType.EXCEPTIONAL) & Q(exceptional_class="")),
                name="application_exceptional_class_iff_exceptional",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.archive.name}"

    @cached_property
    def applicant_name(self) -> str:
        return self.archive.name


class NumberSequence(models.Model):
    """The last application number given per review year and committee; locked while one is taken."""

    year = models.PositiveSmallIntegerField()
    committee = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("申报编号计数器")
        verbose_name_plural = _("申报编号计数器")
        constraints = [
            # One counter per numbering space, so two creations can never count it apart.
            models.UniqueConstraint(fields=["year", "committee"], name="numbersequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.committee_id}: {self.last}"


class ApplicationEvent(models.Model):
    """Append-only, hash-chained history of every transition of an application."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_role = models.CharField(max_length=12, choices=[*Role.choices, ("system", _("系统"))])
    at = models.DateTimeField()
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=32, choices=State.choices)
    to_state = models.CharField(max_length=32, choices=State.choices)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["application_id", "seq"]
        verbose_name = _("申报流转记录")
        verbose_name_plural = _("申报流转记录")
        constraints = [
            # The chain has one row per position; a concurrent double write fails here.
            models.UniqueConstraint(fields=["application", "seq"], name="event_unique_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}#{self.seq} {self.action}"


class Evidence(models.Model):
    """An uploaded file: attached to an archive entry, to an application's checklist item, or both."""

    class FileType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    archive = models.ForeignKey(Archive, on_delete=models.CASCADE, related_name="evidence")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    material_code = models.SlugField(_("材料"), max_length=40, blank=True)
    entry_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    entry_id = models.PositiveBigIntegerField(null=True, blank=True)
    entry = GenericForeignKey("entry_type", "entry_id")
    file = models.FileField(storage=private_storage, upload_to="evidence/%Y/%m/", max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=40, choices=FileType.choices)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=clock.stamp)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        indexes = [
            models.Index(fields=["entry_type", "entry_id"]),
            models.Index(fields=["application", "material_code"]),
        ]

    def __str__(self) -> str:
        return self.original_name


class PublicityStage(models.TextChoices):
    EMPLOYER = "employer", _("单位公示")
    PRE_REVIEW = "pre_review", _("评前公示")
    RESULT = "result", _("评审结果公示")


class PublicityNotice(models.Model):
    """A publicity (公示) of a batch of applications; one service for all three stages."""

    class Status(models.TextChoices):
        OPEN = "open", _("公示中")
        CLOSED = "closed", _("已结束")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    stage = models.CharField(_("公示阶段"), max_length=12, choices=PublicityStage.choices)
    publisher = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="publicity_notices", verbose_name=_("发布单位")
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("公示标题"), max_length=200)
    body = models.TextField(_("公示说明"), blank=True)
    contact = models.CharField(_("异议受理联系方式"), max_length=120, blank=True)
    posted_on = models.DateField(_("发布日期"))
    working_days = models.PositiveSmallIntegerField(_("公示工作日数"), default=5)
    rule = models.CharField(_("起算规则"), max_length=20)
    first_day = models.DateField(_("公示第1个工作日"))
    end_date = models.DateField(_("公示截止日期"))
    ends_at = models.DateTimeField(_("公示截止时间"), db_index=True)
    calendar_version = models.CharField(_("工作日历版本"), max_length=64)
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(default=clock.stamp)
    closed_at = models.DateTimeField(null=True, blank=True)
    result_summary = models.TextField(_("公示结果"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        indexes = [
            models.Index(fields=["status", "ends_at"]),
            models.Index(fields=["publisher", "-created_at"]),
        ]
        constraints = [
            # Seeds 003/004: every publicity lasts not less than 5 working days.
            models.CheckConstraint(
                condition=Q(working_days__gte=5), name="publicity_at_least_5_working_days"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("first_day")), name="publicity_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PublicityEntry(models.Model):
    """One application on a notice, with the fields shown to the public frozen at publication."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("公示中")
        PASSED = "passed", _("公示无异议")
        REJECTED = "rejected", _("异议成立")
        WITHDRAWN = "withdrawn", _("已撤出")

    notice = models.ForeignKey(PublicityNotice, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="publicity_entries")
    public_fields = models.JSONField(_("公示内容"))
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["notice_id", "id"]
        verbose_name = _("公示对象")
        verbose_name_plural = _("公示对象")
        constraints = [
            # An application appears once on a notice.
            models.UniqueConstraint(fields=["notice", "application"], name="publicity_entry_unique"),
        ]
        indexes = [models.Index(fields=["outcome", "notice"])]

    def __str__(self) -> str:
        return f"{self.notice_id}:{self.application_id}"


class Objection(models.Model):
    """An objection (异议) lodged by anyone during a publicity; it blocks that application's next step."""

    class Status(models.TextChoices):
        OPEN = "open", _("待调查处理")
        DISMISSED = "dismissed", _("异议不成立")
        UPHELD = "upheld", _("异议成立")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey(PublicityEntry, on_delete=models.PROTECT, related_name="objections")
    name = models.CharField(_("异议人姓名"), max_length=60)
    contact = models.CharField(_("联系方式"), max_length=120)
    reason = models.TextField(_("异议事由"))
    evidence = models.FileField(
        _("证明材料"), storage=private_storage, upload_to="objections/%Y/%m/", blank=True
    )
    evidence_type = models.CharField(max_length=40, blank=True)
    client_fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=clock.stamp)
    status = models.CharField(_("处理状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome_reason = models.TextField(_("调查处理结果"), blank=True)
    false_materials = models.BooleanField(_("经查提供虚假材料"), default=False)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        indexes = [models.Index(fields=["entry", "status"])]
        constraints = [
            # An outcome always carries its reason.
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(outcome_reason=""), name="objection_outcome_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.reason[:20]}"


class AuthorisationLetter(models.Model):
    """授权委托书 of an employer's legal-person account (seed 003 二(二)); confirmed by the bureau."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="authorisation_letters"
    )
    file = models.FileField(storage=private_storage, upload_to="authorisations/%Y/")
    content_type = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=clock.stamp)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    rejected_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("授权委托书")
        verbose_name_plural = _("授权委托书")

    def __str__(self) -> str:
        return f"{self.organisation} {self.uploaded_at:%Y-%m-%d}"


class Entrustment(models.Model):
    """委托评审: an application sent to a committee of another region with the entrustment letter
    (seed 004)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="entrustments")
    issuer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("委托单位")
    )
    from_plan = models.ForeignKey(ReviewPlan, on_delete=models.PROTECT, related_name="+")
    to_plan = models.ForeignKey(
        ReviewPlan,
        on_delete=models.PROTECT,
        related_name="entrustments_received",
        verbose_name=_("受托评审计划"),
    )
    letter_no = models.CharField(_("委托评审函文号"), max_length=60)
    letter_date = models.DateField(_("委托评审函日期"))
    letter = models.ForeignKey(Evidence, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.stamp)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("委托评审")
        verbose_name_plural = _("委托评审")

    def __str__(self) -> str:
        return self.letter_no
