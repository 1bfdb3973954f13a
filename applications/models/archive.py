"""The performance archive (业绩档案): identity and its dated entries."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import clock
from portal.fields import ClockDateTimeField
from portal.models import Organisation, Qualification, Series
from portal.personal_data import archive_binding, id_digest, id_seal, id_unseal, mask_id_number
from portal.validators import IdType
from rules.vocab import (
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


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


ID_NUMBER_REFUSED = "证件号码未能保存。请核对证件类型和号码；如确认无误，请联系平台管理员核实。"


class Archive(models.Model):
    """An applicant's performance archive; kept up to date before and between declarations."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="archive")
    name = models.CharField(_("姓名"), max_length=60)
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices, blank=True)
    id_type = models.CharField(_("证件类型"), max_length=16, choices=IdType.CHOICES, default=IdType.RESIDENT)
    # The number sealed to this account and its keyed hash (portal/personal_data.py), never in clear;
    # read and set through `id_number`.
    id_number_sealed = models.BinaryField(_("证件号码（密文）"), blank=True, default=b"", editable=False)
    id_number_digest = models.CharField(_("证件号码索引"), max_length=64, blank=True, editable=False)
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
            # Its refusal never says the number is taken, nor names the constraint: whether a person is
            # registered is not for anyone who types their number to learn.
            models.UniqueConstraint(
                fields=["id_type", "id_number_digest"],
                condition=~Q(id_number_digest=""),
                name="archive_unique_identity",
                violation_error_message=ID_NUMBER_REFUSED,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number(self) -> str:
        """The number in clear, opened from its sealed form once per value read."""
        sealed = bytes(self.id_number_sealed or b"")
        cached = self.__dict__.get("_id_number_open")
        if cached is None or cached[0] != sealed:
            cached = (sealed, id_unseal(sealed, bound_to=archive_binding(self.user_id)))
            self.__dict__["_id_number_open"] = cached
        return cached[1]

    @id_number.setter
    def id_number(self, value: str) -> None:
        if self.user_id is None:
            raise ValueError("An archive's ID number is sealed to its account: set the user first.")
        value = value or ""
        self.id_number_sealed = id_seal(value, bound_to=archive_binding(self.user_id))
        self.id_number_digest = id_digest(value)
        self.__dict__["_id_number_open"] = (bytes(self.id_number_sealed), value)

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)


class ArchiveEntry(models.Model):
    """Base of the archive's entries. Dates in them are facts of the past: none may lie ahead."""

    archive = models.ForeignKey(Archive, on_delete=models.CASCADE, related_name="+")
    past_date_fields: tuple[str, ...] = ()
    past_year_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def clean(self) -> None:

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
    # Recorded by the portal when it issued the certificate (certificates); not the applicant's to change.
    certified = models.BooleanField(_("本平台发证记入"), default=False, editable=False)
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
