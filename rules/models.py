"""Policy data: the working-day calendar's overrides (eligibility rule sets follow)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.fields import ClockDateTimeField
from portal.models import Organisation, OrgKind, Qualification, ReviewPlan, TitleLevel
from portal.personal_data import id_digest, id_seal, id_unseal, integrity_binding
from portal.validators import IdType, mask_id_number

from .eligibility.exceptions import InvalidParams
from .eligibility.templates import get_template, template_choices


class CalendarYear(models.Model):
    """A year whose official schedule (国务院办公厅放假通知) has been entered by a bureau.

    Once a year is marked complete here it is known even where the chinese-calendar package
    does not cover it: Monday to Friday work, except the CalendarDay rows entered for it.
    In any year a CalendarDay row decides its own date (rules/workdays.py).
    """

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    document_no = models.CharField(_("放假通知文号"), max_length=60, blank=True)
    published_on = models.DateField(_("通知发布日期"), null=True, blank=True)
    complete = models.BooleanField(_("已完整录入"), default=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One day whose status differs from a plain Monday-to-Friday week: a holiday or a make-up workday."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日（休息）")
        WORKDAY = "workday", _("调休上班日")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("节日名称"), max_length=40, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


# ---------------------------------------------------------------- eligibility rule sets


class HonourCategory(models.Model):
    """A family of enterprise honours, e.g. 国家级专精特新小巨人企业 (seed 003 附件2)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("荣誉项目"), max_length=300)
    position = models.PositiveSmallIntegerField(_("序号"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("荣誉项目类别")
        verbose_name_plural = _("荣誉项目类别")

    def __str__(self) -> str:
        return self.name


class RuleSet(models.Model):
    """The eligibility rules of one plan and qualification: a template written from the source document,
    and the thresholds a bureau may adjust (``params``, validated against the template)."""

    plan = models.ForeignKey(
        ReviewPlan, on_delete=models.CASCADE, related_name="rule_sets", verbose_name=_("评审计划")
    )
    qualification = models.ForeignKey(
        Qualification, on_delete=models.PROTECT, related_name="+", verbose_name=_("申报资格")
    )
    template = models.CharField(_("规则模板"), max_length=60, choices=template_choices)
    document_no = models.CharField(
        _("依据文件"),
        max_length=120,
        blank=True,
        help_text=_("结果中引用的文件名或文号；留空则用模板的依据文件。"),
    )
    params = models.JSONField(_("阈值参数"), default=dict, blank=True)
    # Attachment 2 of seed 003: the honour families that count for 破格B in this plan.
    honour_categories = models.ManyToManyField(
        HonourCategory, blank=True, related_name="rule_sets", verbose_name=_("荣誉项目清单")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    note = models.TextField(_("说明"), blank=True)
    created_at = ClockDateTimeField(auto_now_add=True)
    updated_at = ClockDateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["plan_id", "qualification_id"]
        verbose_name = _("资格条件规则集")
        verbose_name_plural = _("资格条件规则集")
        constraints = [
            # One set of rules answers "may this person declare this title in this plan".
            models.UniqueConstraint(
                fields=["plan", "qualification"], name="ruleset_unique_plan_qualification"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.qualification}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        try:
            template = get_template(self.template)
        except KeyError as exc:
            raise ValidationError({"template": [str(exc.args[0])]}) from exc
        if self.qualification_id and self.qualification.level not in template.levels:
            errors["qualification"] = [
                f"模板“{template.name}”适用于"
                + "、".join(str(TitleLevel(level).label) for level in template.levels)
            ]
        try:
            self.params = template.clean_params(self.params or {})
        except InvalidParams as exc:
            errors["params"] = [f"{key}：{msg}" for key, msg in exc.errors.items()]
        if errors:
            raise ValidationError(errors)


class HonourLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")


class EnterpriseHonour(models.Model):
    """An honour an enterprise received, as published by the 经（工）信 department (seed 003 附件1 B类)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="honours",
        limit_choices_to={"kind": OrgKind.ENTERPRISE},
        verbose_name=_("企业"),
    )
    category = models.ForeignKey(
        HonourCategory, on_delete=models.PROTECT, related_name="honours", verbose_name=_("荣誉项目类别")
    )
    level = models.CharField(_("级别"), max_length=10, choices=HonourLevel.choices)
    title = models.CharField(_("荣誉名称"), max_length=200)
    document_no = models.CharField(_("发文文号"), max_length=80, blank=True)
    issuer = models.CharField(_("发文单位"), max_length=120, blank=True)
    issued_on = models.DateField(_("发文日期"))
    created_at = ClockDateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-issued_on"]
        verbose_name = _("企业荣誉")
        verbose_name_plural = _("企业荣誉")
        indexes = [
            models.Index(fields=["issued_on", "category"]),
            models.Index(fields=["organisation", "issued_on"]),
        ]
        constraints = [
            # The same published honour is recorded once per enterprise.
            models.UniqueConstraint(
                fields=["organisation", "category", "title", "issued_on"], name="enterprisehonour_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.title}"


class ExceptionalBReservation(models.Model):
    """One of an enterprise's 破格B recommendation places in a plan (seed 003 附件1 B类: up to 3 for a
    national honour, 2 for a provincial one), taken when HR recommends and given back on release."""

    plan = models.ForeignKey(
        ReviewPlan, on_delete=models.CASCADE, related_name="+", verbose_name=_("评审计划")
    )
    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    slot = models.PositiveSmallIntegerField(_("名额序号"))
    # applications.Application's id; rules/ may not import applications/ (design.md: dependencies run
    # one way).
    application_id = models.UUIDField(_("申报"))
    honour = models.ForeignKey(
        EnterpriseHonour,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("依据荣誉"),
    )
    quota = models.PositiveSmallIntegerField(_("名额总数（占用时）"))
    reserved_at = ClockDateTimeField(_("占用时间"), auto_now_add=True)
    reserved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(_("释放时间"), null=True, blank=True)
    release_reason = models.CharField(_("释放原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["plan_id", "enterprise_id", "slot"]
        verbose_name = _("破格B类推荐名额")
        verbose_name_plural = _("破格B类推荐名额")
        constraints = [
            # A place is held by one application at a time: two concurrent recommendations cannot share it.
            models.UniqueConstraint(
                fields=["plan", "enterprise", "slot"],
                condition=Q(released_at__isnull=True),
                name="exceptional_b_unique_live_slot",
            ),
            # An application holds at most one place.
            models.UniqueConstraint(
                fields=["plan", "application_id"],
                condition=Q(released_at__isnull=True),
                name="exceptional_b_one_live_per_application",
            ),
            # Places are numbered from 1 and never beyond the quota in force when taken.
            models.CheckConstraint(
                condition=Q(slot__gte=1) & Q(slot__lte=models.F("quota")),
                name="exceptional_b_slot_within_quota",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} #{self.slot}"


class IntegrityRecord(models.Model):
    """A finding of false materials, plagiarism or other improper means (seed 003 四; domain.md (f)).

    Two effects: a credit record kept 3 years from the decision (national), and no declaration of a
    title at ``level`` or above in the review years ``ban_first_year``..``ban_last_year`` (Zhejiang 47号:
    "从评审次年起3年内不得申报高一级专业技术资格")."""

    class Kind(models.TextChoices):
        FALSE_MATERIALS = "false_materials", _("提供虚假材料")
        PLAGIARISM = "plagiarism", _("剽窃他人作品和学术成果")
        IMPROPER = "improper", _("其他不正当手段")

    id_type = models.CharField(_("证件类型"), max_length=16, choices=IdType.CHOICES, default=IdType.RESIDENT)
    # Sealed to the person it names, with its keyed hash for lookups (portal/personal_data.py); read and
    # set through `id_number`.
    id_number_sealed = models.BinaryField(_("证件号码（密文）"), default=b"", editable=False)
    id_number_digest = models.CharField(_("证件号码索引"), max_length=64, editable=False)
    name = models.CharField(_("姓名"), max_length=60)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("账号"),
    )
    kind = models.CharField(_("情形"), max_length=20, choices=Kind.choices, default=Kind.FALSE_MATERIALS)
    finding = models.TextField(_("查实情况"))
    decision_document = models.CharField(_("处理决定文号"), max_length=120, blank=True)
    decision_date = models.DateField(_("决定日期"))
    review_year = models.PositiveSmallIntegerField(_("评审年度"))
    plan = models.ForeignKey(
        ReviewPlan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("评审计划"),
    )
    # The level declared when the fraud was found: declaring it or anything above is banned.
    level = models.PositiveSmallIntegerField(_("禁止申报层级（含以上）"), choices=TitleLevel.choices)
    ban_first_year = models.PositiveSmallIntegerField(_("禁止申报起始年度"))
    ban_last_year = models.PositiveSmallIntegerField(_("禁止申报截止年度"))
    credit_record_until = models.DateField(_("诚信档案记录保留至"))
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    created_at = ClockDateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-review_year", "-created_at"]
        verbose_name = _("诚信记录")
        verbose_name_plural = _("诚信记录")
        indexes = [
            models.Index(fields=["id_type", "id_number_digest"]),
            models.Index(fields=["ban_last_year", "ban_first_year"]),
        ]
        constraints = [
            # A ban runs forward in time and starts after the review in which the fraud was found.
            models.CheckConstraint(
                condition=Q(ban_last_year__gte=models.F("ban_first_year"))
                & Q(ban_first_year__gt=models.F("review_year")),
                name="integrity_ban_years_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.review_year} {self.get_kind_display()}"

    @property
    def id_number(self) -> str:
        return id_unseal(self.id_number_sealed, bound_to=integrity_binding(self.id_number_digest))

    @id_number.setter
    def id_number(self, value: str) -> None:
        self.id_number_digest = id_digest(value)
        self.id_number_sealed = id_seal(value or "", bound_to=integrity_binding(self.id_number_digest))

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    def bans(self, *, year: int, level: int) -> bool:
        return self.is_active and self.ban_first_year <= year <= self.ban_last_year and level >= self.level

    def credit_record_active(self, on: dt.date) -> bool:
        return self.is_active and on <= self.credit_record_until
