"""Authority and scope: a pilot unit's application for its own review authority (seed 000)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation, Specialty


class PilotApplication(models.Model):
    """绍兴市民营经济领域工程技术类职称社会化评价申请表 (seed 000 附件 四.1–2): the unit applies, the
    district bureau reviews, the city bureau files and the authority is created."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待属地审核")
        DISTRICT_APPROVED = "district_approved", _("属地审核同意，待市局备案")
        DISTRICT_REJECTED = "district_rejected", _("属地审核不同意")
        FILED = "filed", _("已备案")

    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="pilot_applications", verbose_name=_("单位名称")
    )
    industry = models.CharField(_("所属行业"), max_length=60)
    address = models.CharField(_("单位地址"), max_length=200)
    legal_rep_name = models.CharField(_("法定代表人姓名"), max_length=60)
    legal_rep_post = models.CharField(_("法定代表人职务"), max_length=60, blank=True)
    legal_rep_phone = models.CharField(_("法定代表人联系电话"), max_length=40, blank=True)
    legal_rep_mobile = models.CharField(_("法定代表人手机号码"), max_length=20, blank=True)
    contact_name = models.CharField(_("工作联系人姓名"), max_length=60)
    contact_post = models.CharField(_("工作联系人职务"), max_length=60, blank=True)
    contact_phone = models.CharField(_("工作联系人联系电话"), max_length=40, blank=True)
    contact_mobile = models.CharField(_("工作联系人手机号码"), max_length=20)
    staff_senior = models.PositiveIntegerField(_("现有正高级人数"), default=0)
    staff_deputy_senior = models.PositiveIntegerField(_("现有副高级人数"), default=0)
    staff_intermediate = models.PositiveIntegerField(_("现有中级人数"), default=0)
    staff_junior = models.PositiveIntegerField(_("现有初级人数"), default=0)
    introduction = models.TextField(_("单位简介及建立职称与待遇挂钩机制情况"))
    specialties = models.ManyToManyField(Specialty, related_name="+", verbose_name=_("拟开展评价专业"))
    other_specialties = models.CharField(_("其他专业"), max_length=200, blank=True)
    subsidiaries = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("拟列入评价的下属单位")
    )
    district_bureau = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("属地人力社保部门")
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    district_opinion = models.TextField(_("区、县（市）人力社保部门审核意见"), blank=True)
    district_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district_reviewed_at = models.DateTimeField(null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(null=True, blank=True)
    authority = models.OneToOneField(
        "portal.CommitteeAuthority",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pilot_application",
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("社会化评价试点申请")
        verbose_name_plural = _("社会化评价试点申请")
        constraints = [
            # A unit has one application in progress at a time.
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(status__in=["submitted", "district_approved"]),
                name="pilot_one_open_per_unit",
            ),
            # The district's decision carries its opinion (seed 000 四.2 形成审核意见).
            models.CheckConstraint(
                condition=Q(status="submitted") | ~Q(district_opinion=""), name="pilot_review_has_opinion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} 社会化评价申请"
