"""The expert pool (专家库): experts, their earlier employers, the dates they cannot serve, and the
invitations that let an expert open their account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation, Qualification, Region, Specialty


class Expert(models.Model):
    """A member of the expert pool (专家库)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="expert"
    )
    name = models.CharField(_("姓名"), max_length=60)
    committee = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="experts",
        limit_choices_to={"kind": "committee"},
        verbose_name=_("所属评委会专家库"),
    )
    specialty = models.ForeignKey(
        Specialty, on_delete=models.PROTECT, related_name="experts", verbose_name=_("专业")
    )
    title = models.ForeignKey(
        Qualification, on_delete=models.PROTECT, related_name="+", verbose_name=_("职称")
    )
    employer = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("工作单位"),
    )
    employer_name = models.CharField(_("工作单位名称"), max_length=120, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("所在地区"))
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # Where the invitation to open an account goes; the account itself is bound only when its owner
    # accepts the invitation (committees.services.invitations), never by the office.
    email = models.EmailField(_("电子邮箱"), blank=True)
    is_private_sector = models.BooleanField(_("民营企业专家"), default=False)
    active_from = models.DateField(_("入库时间"))
    active_until = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        ordering = ["committee_id", "specialty_id", "name"]
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        indexes = [models.Index(fields=["committee", "specialty"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True) | Q(active_until__gte=models.F("active_from")),
                name="expert_active_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def employer_label(self) -> str:
        return self.employer.name if self.employer_id else self.employer_name


class ExpertEmployment(models.Model):
    """An expert's earlier employers: D counts the same employer within the last 3 years as a conflict."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="past_employments")
    employer = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    employer_name = models.CharField(_("工作单位名称"), max_length=120, blank=True)
    ended_on = models.DateField(_("离开时间"))

    class Meta:
        ordering = ["expert_id", "-ended_on"]
        verbose_name = _("专家工作经历")
        verbose_name_plural = _("专家工作经历")


class ExpertUnavailability(models.Model):
    """Dates an expert has said they cannot serve (the draw's availability filter)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="unavailability")
    start = models.DateField(_("开始"))
    end = models.DateField(_("结束"))
    reason = models.CharField(_("原因"), max_length=200)

    class Meta:
        ordering = ["expert_id", "start"]
        verbose_name = _("专家不可参会时段")
        verbose_name_plural = _("专家不可参会时段")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="unavailability_in_order")
        ]

