"""Authorisation letters of employers and entrustments of reviews to other committees."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal import clock
from portal.models import Organisation, ReviewPlan

from .application import Application, Evidence
from .storage import private_storage


class AuthorisationLetter(models.Model):
    """授权委托书 of an employer's legal-person account (seed 003 二(二)); confirmed by the bureau."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="authorisation_letters"
    )
    file = models.FileField(storage=private_storage, upload_to="authorisations/%Y/")
    content_type = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=clock.stamp)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    rejected_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("授权委托书")
        verbose_name_plural = _("授权委托书")

    def __str__(self) -> str:
        return f"{self.organisation} {self.uploaded_at:%Y-%m-%d}"


class Entrustment(models.Model):
    """委托评审: an application sent to a committee of another region with the entrustment letter
    (seed 004)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="entrustments")
    issuer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("委托单位")
    )
    from_plan = models.ForeignKey(ReviewPlan, on_delete=models.PROTECT, related_name="+")
    to_plan = models.ForeignKey(
        ReviewPlan,
        on_delete=models.PROTECT,
        related_name="entrustments_received",
        verbose_name=_("受托评审计划"),
    )
    letter_no = models.CharField(_("委托评审函文号"), max_length=60)
    letter_date = models.DateField(_("委托评审函日期"))
    letter = models.ForeignKey(Evidence, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.stamp)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("委托评审")
        verbose_name_plural = _("委托评审")

    def __str__(self) -> str:
        return self.letter_no
