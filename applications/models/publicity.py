"""Publicity notices (公示), their entries and objections."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import clock
from portal.models import Organisation

from .application import Application
from .storage import private_storage


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
            # The public list: open notices, newest first, by cursor (applications.publicity_list).
            models.Index(fields=["status", "-created_at", "-id"], name="publicity_open_newest"),
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

    @property
    def calendar_description(self) -> str:
        """`calendar_version` in words: the version string names a software package and is kept for audit,
        not for the people reading the notice."""
        if "+ov-" in self.calendar_version:
            return str(_("国务院办公厅公布的放假安排（含本平台录入的年度放假通知）"))
        return str(_("国务院办公厅公布的放假安排"))


class PublicityEntry(models.Model):
    """One application on a notice, with the fields shown to the public frozen at publication."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("公示中")
        PASSED = "passed", _("公示无异议")
        REJECTED = "rejected", _("异议成立")
        WITHDRAWN = "withdrawn", _("已撤出")

    # Indexed by publicity_entry_unique, which leads with it.
    notice = models.ForeignKey(
        PublicityNotice, on_delete=models.CASCADE, related_name="entries", db_index=False
    )
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
        indexes = [
            models.Index(fields=["outcome", "notice"]),
            # The sweep's due entries in key order (publicity_sweep.due_entries): only the pending ones,
            # so that finding the next batch reads none of the millions already settled.
            models.Index(fields=["id"], condition=Q(outcome="pending"), name="publicity_entry_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}:{self.application_id}"


class Objection(models.Model):
    """An objection (异议) lodged by anyone during a publicity; it blocks that application's next step."""

    class Status(models.TextChoices):
        OPEN = "open", _("待调查处理")
        DISMISSED = "dismissed", _("异议不成立")
        UPHELD = "upheld", _("异议成立")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Given to the objector when lodging; the public notice page looks the outcome up by it.
    reference = models.CharField(_("受理编号"), max_length=24, unique=True, null=True, editable=False)
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
