"""The platform's registry: organisations, memberships and roles, the title catalogue, review plans,
committees' review authority (核准备案) and notifications. Nothing here imports the apps built on it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from . import clock
from .fields import ClockDateTimeField
from .validators import validate_credit_code


class Region(models.Model):
    """An administrative division by its GB/T 2260 code (e.g. 330800 衢州市)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        DISTRICT = "district", _("县（市、区）")

    code = models.CharField(_("行政区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.name

    def ancestors_and_self(self) -> list[Region]:
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class OrgKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    SOCIAL_ORG = "social_org", _("社会组织")
    PERSONNEL_AGENCY = "personnel_agency", _("人事代理机构")
    DISPATCH_COMPANY = "dispatch_company", _("劳务派遣单位")
    SERVICE_POINT = "service_point", _("职称申报受理服务点")
    ASSOCIATION = "association", _("行业协会")
    DISTRICT_BUREAU = "district_bureau", _("县（市、区）人力社保局")
    CITY_BUREAU = "city_bureau", _("市人力社保局")
    PROVINCE_BUREAU = "province_bureau", _("省人力社保厅")
    INDUSTRY_AUTHORITY = "industry_authority", _("行业主管部门")
    COMMITTEE = "committee", _("评审委员会")


EMPLOYER_KINDS = (OrgKind.ENTERPRISE, OrgKind.PUBLIC_INSTITUTION, OrgKind.SOCIAL_ORG)
BUREAU_KINDS = (OrgKind.DISTRICT_BUREAU, OrgKind.CITY_BUREAU, OrgKind.PROVINCE_BUREAU)
# Organisations that receive recommendations from employers and pass them on (审核推荐).
RECEIVING_KINDS = (*BUREAU_KINDS, OrgKind.ASSOCIATION, OrgKind.INDUSTRY_AUTHORITY)
# Organisations through which an applicant may declare (申报渠道).
CHANNEL_KINDS = (*EMPLOYER_KINDS, OrgKind.PERSONNEL_AGENCY, OrgKind.DISPATCH_COMPANY, OrgKind.SERVICE_POINT)
# Kinds identified by a unified social credit code.
CREDIT_CODE_KINDS = (*EMPLOYER_KINDS, OrgKind.PERSONNEL_AGENCY, OrgKind.DISPATCH_COMPANY, OrgKind.ASSOCIATION)


class Organisation(models.Model):
    name = models.CharField(_("名称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    kind = models.CharField(_("类型"), max_length=24, choices=OrgKind.choices, db_index=True)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_credit_code],
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("行政区划")
    )
    parent_bureau = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised",
        verbose_name=_("上级/属地人力社保部门"),
        limit_choices_to={"kind__in": BUREAU_KINDS},
    )
    # A committee's organising body (组建单位), e.g. 市经信局 for the engineering committee.
    forming_body = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="formed_committees",
        verbose_name=_("组建单位"),
    )
    is_private = models.BooleanField(_("民营企业"), default=False)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    # 法人账号: HR of an employer may act only after the authorisation letter is confirmed (seed 003).
    authorisation_confirmed_at = models.DateTimeField(_("授权委托书确认时间"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("组织机构")
        verbose_name_plural = _("组织机构")
        indexes = [models.Index(fields=["kind", "region"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_employer(self) -> bool:
        return self.kind in EMPLOYER_KINDS

    @property
    def is_bureau(self) -> bool:
        return self.kind in BUREAU_KINDS


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申报人")
    HR = "hr", _("单位人事经办")
    OFFICER = "officer", _("主管部门/人社经办")
    CLERK = "clerk", _("评委会办公室")
    EXPERT = "expert", _("评审专家")
    AUDITOR = "auditor", _("监督审计")


class Membership(models.Model):
    """A user's place in an organisation with one role; a user may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(default=clock.stamp)

    class Meta:
        verbose_name = _("成员角色")
        verbose_name_plural = _("成员角色")
        constraints = [
            # One role per user and organisation; a second role means a second organisation.
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_org"),
        ]
        indexes = [models.Index(fields=["user", "role", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


class TitleLevel(models.IntegerChoices):
    YUAN = 1, _("员级")
    ASSISTANT = 2, _("助理级")
    INTERMEDIATE = 3, _("中级")
    DEPUTY_SENIOR = 4, _("副高级")
    SENIOR = 5, _("正高级")


class Series(models.Model):
    """A title series (职称系列), e.g. 工程."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    # 以考代评 / 考评结合 series (经济、会计 …) have no 初定 (seed 004) and no direct review.
    exam_based = models.BooleanField(_("统一考试系列"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("职称系列")
        verbose_name_plural = _("职称系列")

    def __str__(self) -> str:
        return self.name


class Specialty(models.Model):
    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="specialties")
    code = models.SlugField(_("代码"), max_length=60)
    name = models.CharField(_("名称"), max_length=60)

    class Meta:
        ordering = ["series__code", "name"]
        verbose_name = _("专业")
        verbose_name_plural = _("专业")
        constraints = [models.UniqueConstraint(fields=["series", "code"], name="specialty_unique_code")]

    def __str__(self) -> str:
        return self.name


class SubSpecialty(models.Model):
    specialty = models.ForeignKey(Specialty, on_delete=models.CASCADE, related_name="subspecialties")
    name = models.CharField(_("名称"), max_length=60)

    class Meta:
        ordering = ["specialty_id", "id"]
        verbose_name = _("子专业")
        verbose_name_plural = _("子专业")
        constraints = [models.UniqueConstraint(fields=["specialty", "name"], name="subspecialty_unique_name")]

    def __str__(self) -> str:
        return self.name


class Qualification(models.Model):
    """A qualification name per series and level, e.g. 工程 × 中级 = 工程师."""

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="qualifications")
    level = models.PositiveSmallIntegerField(_("层级"), choices=TitleLevel.choices)
    name = models.CharField(_("资格名称"), max_length=60)

    class Meta:
        ordering = ["series__code", "level", "name"]
        verbose_name = _("职称资格")
        verbose_name_plural = _("职称资格")
        constraints = [models.UniqueConstraint(fields=["series", "name"], name="qualification_unique_name")]

    def __str__(self) -> str:
        return self.name


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
        import datetime as dt

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


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.stamp)
    read_at = models.DateTimeField(null=True, blank=True)
    # Makes a reminder idempotent: the same key is never notified twice to the same user.
    dedupe_key = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], condition=~Q(dedupe_key=""), name="notification_unique_dedupe"
            )
        ]

    def __str__(self) -> str:
        return self.message


class RecordEvent(models.Model):
    """Append-only history of the stateful records other than the application (which keeps its own,
    hash-chained): one row per move, naming the actor (none for a system move). Written only by
    portal.workflow.Machine.take, in the transaction that changes the record."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    # A string, because some of the records have UUID keys.
    object_id = models.CharField(max_length=64)
    action = models.CharField(_("操作"), max_length=40)
    from_status = models.CharField(_("原状态"), max_length=32)
    to_status = models.CharField(_("新状态"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_role = models.CharField(_("操作身份"), max_length=20, blank=True)
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("状态变更记录")
        verbose_name_plural = _("状态变更记录")
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="recordevent_record_at"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.from_status}→{self.to_status}"


# ---------------------------------------------------------------- committee authority and scope

# 3 calendar years including one leap day: the database's coarse bound; services check the exact date.
THREE_YEARS = dt.timedelta(days=3 * 365 + 1)


def _odd_at_least_5(field: str) -> Q:
    return Q(**{f"{field}__gte": 5}) & Q(Exact(Mod(field, 2), 1))


class CommitteeAuthority(models.Model):
    """核准备案 of a committee: who approved it, for how long, and what it may review (W1; seed 002 二)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        SUSPENDED = "suspended", _("暂停评审")
        WITHDRAWN = "withdrawn", _("收回评审权")

    committee = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="authorities",
        limit_choices_to={"kind": OrgKind.COMMITTEE},
        verbose_name=_("评审委员会"),
    )
    approved_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind__in": BUREAU_KINDS},
        verbose_name=_("核准备案部门"),
    )
    document_no = models.CharField(_("核准文号"), max_length=60)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"))
    series = models.ManyToManyField(Series, related_name="+", verbose_name=_("评审系列"))
    # Empty: every specialty of the series.
    specialties = models.ManyToManyField(Specialty, blank=True, related_name="+", verbose_name=_("评审专业"))
    min_level = models.PositiveSmallIntegerField(_("最低评审层级"), choices=TitleLevel.choices)
    max_level = models.PositiveSmallIntegerField(_("最高评审层级"), choices=TitleLevel.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("评审区域"))
    # An enterprise's own committee or a pilot unit reviews only its own staff (seed 000 五.3; seed 002 二).
    own_staff_only = models.BooleanField(_("仅评审本单位人员"), default=False)
    employer = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("本单位"),
    )
    member_units = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("列入评价的下属单位")
    )
    term_start = models.DateField(_("本届任期起"))
    term_end = models.DateField(_("本届任期至"))
    # D: the drawn panel is odd, 7 for junior and intermediate, 11 for senior, never below 5.
    panel_size_standard = models.PositiveSmallIntegerField(_("初中级执行委员会人数"), default=7)
    panel_size_senior = models.PositiveSmallIntegerField(_("高级执行委员会人数"), default=11)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.TextField(_("状态变更理由"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = ClockDateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["committee_id", "-valid_from"]
        verbose_name = _("评审权核准备案")
        verbose_name_plural = _("评审权核准备案")
        # The table keeps the name it was created with in committees/, where the model first lived.
        db_table = "committees_committeeauthority"
        indexes = [
            models.Index(fields=["committee", "status", "valid_until"], name="committees__committ_b8686e_idx")
        ]
        constraints = [
            # W1: an approval is valid at most 3 years, then filed again.
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from"))
                & Q(valid_until__lte=F("valid_from") + THREE_YEARS),
                name="authority_validity_at_most_3_years",
            ),
            # W3: a term (届) lasts at most 3 years.
            models.CheckConstraint(
                condition=Q(term_end__gte=F("term_start")) & Q(term_end__lte=F("term_start") + THREE_YEARS),
                name="authority_term_at_most_3_years",
            ),
            models.CheckConstraint(
                condition=Q(min_level__lte=F("max_level")), name="authority_levels_in_order"
            ),
            # Seed 000 五.3: own-staff authority names the unit.
            models.CheckConstraint(
                condition=Q(own_staff_only=False) | Q(employer__isnull=False),
                name="authority_own_staff_names_employer",
            ),
            # D: panels are odd and never below 5 (W3: odd number of members).
            models.CheckConstraint(
                condition=_odd_at_least_5("panel_size_standard") & _odd_at_least_5("panel_size_senior"),
                name="authority_panel_sizes_odd",
            ),
            # A suspension or withdrawal carries its reason (seed 000 五.3).
            models.CheckConstraint(
                condition=Q(status="active") | ~Q(status_reason=""), name="authority_status_change_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.document_no}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.status == self.Status.ACTIVE and self.valid_from <= day <= self.valid_until

    def panel_size_for(self, level: int) -> int:
        return self.panel_size_senior if level >= TitleLevel.DEPUTY_SENIOR else self.panel_size_standard


class SweepRun(models.Model):
    """When a periodic sweep (a beat schedule entry's task) last ran, written by the sweep itself.

    /health/ and the staff pages read it to tell a running beat and worker from a stopped one; it is in
    the database rather than the cache so that every process, and a restarted one, sees the same record.
    One row per task, plus BEAT_STARTED written by `celery beat` when it starts.
    """

    name = models.CharField(_("任务"), max_length=120, unique=True)
    last_started_at = models.DateTimeField(_("上次开始"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("上次完成"), null=True, blank=True)
    last_result = models.CharField(_("上次结果"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("定时任务运行记录")
        verbose_name_plural = _("定时任务运行记录")

    def __str__(self) -> str:
        return self.name
