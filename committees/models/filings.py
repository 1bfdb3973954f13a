"""Routes after the vote: recommendation to a higher committee and the result filing (评审结果备案)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from portal.models import Organisation

from .meetings import Meeting


class UpwardRecommendation(models.Model):
    """A city committee that only recommends a level passes the application up (seed 004 附件 表)."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="upward")
    from_committee = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_committee = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="upward_received")
    note = models.TextField(_("推荐意见"))
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recommended_at = models.DateTimeField()
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recommended_at"]
        verbose_name = _("推荐至上级评委会")
        verbose_name_plural = _("推荐至上级评委会")


class ResultFiling(models.Model):
    """评审结果备案表 (seed 004 一(五)): printed, stamped by the forming body, approved by the bureau."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已报送，待核准")
        APPROVED = "approved", _("已核准公布")

    committee = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="result_filings")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="filings"
    )
    title = models.CharField(_("标题"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("核准时间"), null=True, blank=True)
    approval_document_no = models.CharField(_("核准文号"), max_length=60, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("评审结果备案")
        verbose_name_plural = _("评审结果备案")
        constraints = [
            # An approval names its document (seed 004 一(五) 核准公布).
            models.CheckConstraint(
                condition=Q(status="submitted")
                | (Q(approved_at__isnull=False) & ~Q(approval_document_no="")),
                name="filing_approval_has_document",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FilingEntry(models.Model):
    filing = models.ForeignKey(ResultFiling, on_delete=models.CASCADE, related_name="entries")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="filing_entry")

    class Meta:
        ordering = ["filing_id", "id"]
        verbose_name = _("备案申报")
        verbose_name_plural = _("备案申报")
