"""The expert pool (专家库): experts, their earlier employers, the dates they cannot serve, and the
invitations that let an expert open their account."""

from __future__ import annotations

import datetime as dt

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


# ---------------------------------------------------------------- expert accounts


# An invitation link is valid this long (D: the clerk sends a new one when it lapses).
INVITATION_VALIDITY = dt.timedelta(days=14)


class ExpertInvitation(models.Model):
    """The office's invitation to a pool expert to open (or bind) their account. The token is checked
    against its SHA-256; the link in the e-mail carries the token itself. The expert's account is bound
    only when the invitation is accepted by the person holding the link."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待接受")
        ACCEPTED = "accepted", _("已接受")
        WITHDRAWN = "withdrawn", _("已作废")

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("邀请邮箱"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(_("有效期至"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The token, sealed with the portal's key (portal.keyring) until the e-mail has gone: the outbox can
    # resend it after a mail or broker failure, and a reader of the database cannot open it. Wiped once sent.
    token_sealed = models.BinaryField(null=True, blank=True, editable=False)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["expert_id", "-created_at"]
        verbose_name = _("专家账号邀请")
        verbose_name_plural = _("专家账号邀请")
        constraints = [
            # One live link per expert: a new invitation withdraws the previous one.
            models.UniqueConstraint(
                fields=["expert"], condition=Q(status="pending"), name="expert_invitation_one_pending"
            ),
            # An accepted invitation names who accepted it and when.
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_at__isnull=False, accepted_by__isnull=False),
                name="expert_invitation_accepted_by",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="expert_invitation_expires_later"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} <{self.email}>"
