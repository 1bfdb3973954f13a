"""Review plans (评审计划) with their deadlines, titles and required materials."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import clock
from .catalogue import Qualification, Specialty
from .organisations import Organisation, OrgKind


class ReviewPlan(models.Model):
    """A committee's review plan (评审计划) for one year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        CLOSED = "closed", _("已结束")

    class Scope(models.TextChoices):
        CITY_PROPER = "city_proper", _("市本级")
        WHOLE_CITY = "whole_city", _("全市")
        WHOLE_CITY_EXCEPT_SELF = "whole_city_except_self", _("全市（自主评聘单位除外）")
        DISTRICT = "district", _("本区（县）")
        OWN_STAFF = "own_staff", _("本单位")

    code = models.SlugField(_("计划编号"), max_length=40, unique=True)
    title = models.CharField(_("计划名称"), max_length=200)
    committee = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="plans",
        limit_choices_to={"kind": OrgKind.COMMITTEE},
        verbose_name=_("评审委员会"),
    )
    year = models.PositiveSmallIntegerField(_("评审年度"))
    qualifications = models.ManyToManyField(
        Qualification, related_name="review_plans", verbose_name=_("评审资格")
    )
    recommend_qualifications = models.ManyToManyField(
        Qualification, blank=True, related_name="recommend_plans", verbose_name=_("推荐资格（报上级评委会）")
    )
    higher_committee = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrgKind.COMMITTEE},
        verbose_name=_("上级评审委员会"),
    )
    specialties = models.ManyToManyField(Specialty, related_name="plans", verbose_name=_("评审专业"))
    specialty_note = models.CharField(_("专业说明"), max_length=300, blank=True)
    # Scope per level, as in seed 004's table ("初级：市本级 中级：全市 高级：全市").
    scope_junior = models.CharField(_("初级范围"), max_length=30, choices=Scope.choices, blank=True)
    scope_intermediate = models.CharField(_("中级范围"), max_length=30, choices=Scope.choices, blank=True)
    scope_senior = models.CharField(_("高级范围"), max_length=30, choices=Scope.choices, blank=True)
    opens_at = models.DateTimeField(_("申报开始时间"))
    declaration_deadline = models.DateTimeField(_("个人申报截止时间"))
    employer_deadline = models.DateTimeField(_("单位推荐截止时间"))
    material_deadline = models.DateTimeField(_("材料接收截止时间"))
    # How many working days before each deadline the people it concerns are reminded.
    reminder_working_days = models.PositiveSmallIntegerField(
        _("截止前提醒（工作日）"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(15)],
        help_text=_("个人申报和单位推荐截止前多少个工作日提醒申报人和单位经办人。"),
    )
    # How many times one stage (HR, the bureau, the committee) may return an application; 0 = no limit.
    max_returns_per_stage = models.PositiveSmallIntegerField(
        _("每个环节最多退回次数"),
        default=0,
        validators=[MaxValueValidator(20)],
        help_text=_("同一审核环节对一份申报最多退回几次；0 表示不限。"),
    )
    expected_review_month = models.CharField(_("预计评审时间"), max_length=30, blank=True)
    receiving_org = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receiving_plans",
        verbose_name=_("材料接收单位"),
    )
    contact_phone = models.CharField(_("联系电话"), max_length=60, blank=True)
    document_no = models.CharField(_("发文字号"), max_length=60, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    notes = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("评审计划")
        verbose_name_plural = _("评审计划")
        constraints = [
            # Deadlines run in order: declaration, then employer recommendation, then material receipt.
            models.CheckConstraint(
                condition=Q(declaration_deadline__gt=models.F("opens_at"))
                & Q(employer_deadline__gte=models.F("declaration_deadline"))
                & Q(material_deadline__gte=models.F("declaration_deadline")),
                name="plan_deadlines_in_order",
            ),
        ]
        indexes = [models.Index(fields=["status", "declaration_deadline"])]

    def __str__(self) -> str:
        return self.title

    @property
    def as_of_date(self):
        """Service and title years are counted to 31 December of the review year (seed 003 三(一))."""

        return dt.date(self.year, 12, 31)

    def is_open_for_declaration(self, now=None) -> bool:
        now = now or clock.now()
        return self.status == self.Status.PUBLISHED and self.opens_at <= now < self.declaration_deadline


class PlanMaterial(models.Model):
    """One item of a plan's material checklist (seed 003 附件3)."""

    class AppliesTo(models.TextChoices):
        ALL = "all", _("全部")
        EXCEPTIONAL = "exceptional", _("破格申报")
        SKILLS = "skills", _("技能人才申报")
        RECOGNITION = "recognition", _("直接认定/初定")

    plan = models.ForeignKey(ReviewPlan, on_delete=models.CASCADE, related_name="materials")
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("材料名称"), max_length=200)
    description = models.TextField(_("填报要求"), blank=True)
    required = models.BooleanField(_("必须上传"), default=True)
    applies_to = models.CharField(_("适用"), max_length=12, choices=AppliesTo.choices, default=AppliesTo.ALL)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan_id", "position"]
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="planmaterial_unique_code")]

    def __str__(self) -> str:
        return self.name
