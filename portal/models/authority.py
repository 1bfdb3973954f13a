"""A committee's review authority (核准备案): its scope, term and status."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from ..fields import ClockDateTimeField
from .catalogue import Series, Specialty, TitleLevel
from .organisations import BUREAU_KINDS, Organisation, OrgKind, Region

# ---------------------------------------------------------------- committee authority and scope

# 3 calendar years including one leap day: the database's coarse bound; services check the exact date.
THREE_YEARS = dt.timedelta(days=3 * 365 + 1)


def odd_at_least_5(field: str) -> Q:
    """A panel size: odd and at least 5 (seed 004 一(四)), for a CheckConstraint."""
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
                condition=odd_at_least_5("panel_size_standard") & odd_at_least_5("panel_size_senior"),
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
