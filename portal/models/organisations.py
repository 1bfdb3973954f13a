"""Regions, organisations of every kind, and accounts' memberships with their roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import clock
from ..validators import validate_credit_code


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
