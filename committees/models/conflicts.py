"""Conflicts of interest (回避): the kinds, what an expert declares, and the conflicts found for a meeting."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application

from .experts import Expert


class ConflictKind(models.TextChoices):
    SAME_EMPLOYER = "same_employer", _("与申报人同一工作单位")
    RECENT_EMPLOYER = "recent_employer", _("近三年曾与申报人同一工作单位")
    SHARED_ACHIEVEMENT = "shared_achievement", _("与申报人共同参与项目或成果")
    RELATIVE = "relative", _("申报人为专家近亲属")
    TEACHER_STUDENT = "teacher_student", _("师生关系")
    OTHER = "other", _("其他可能影响公正评审的关系")


DERIVED_KINDS = (
    ConflictKind.SAME_EMPLOYER,
    ConflictKind.RECENT_EMPLOYER,
    ConflictKind.SHARED_ACHIEVEMENT,
    ConflictKind.RELATIVE,
)


class ConflictDeclaration(models.Model):
    """A conflict the expert declares (40号令 回避, M): against one application, or a relative by ID
    number."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="declarations")
    kind = models.CharField(_("回避类型"), max_length=20, choices=ConflictKind.choices)
    reason = models.TextField(_("说明"))
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    relative_name = models.CharField(_("亲属姓名"), max_length=60, blank=True)
    # Only the keyed hash of the relative's number (portal/personal_data.py): enough to recognise them
    # among the applicants, and no one need read the number back.
    relative_id_digest = models.CharField(_("亲属证件号码索引"), max_length=64, blank=True, editable=False)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField()

    class Meta:
        ordering = ["expert_id", "declared_at"]
        verbose_name = _("专家申报的回避事项")
        verbose_name_plural = _("专家申报的回避事项")
        constraints = [
            # A declaration names whom it concerns: an application, or a relative's ID number.
            models.CheckConstraint(
                condition=Q(application__isnull=False) | ~Q(relative_id_digest=""),
                name="declaration_names_a_person",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="declaration_has_reason"),
        ]


class Conflict(models.Model):
    """A conflict between a pool expert and an application of a meeting, declared or derived."""

    class Source(models.TextChoices):
        DECLARED = "declared", _("专家申报")
        DERIVED = "derived", _("系统比对")

    meeting = models.ForeignKey("Meeting", on_delete=models.CASCADE, related_name="conflicts")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="conflicts")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("回避类型"), max_length=20, choices=ConflictKind.choices)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    detail = models.CharField(_("依据"), max_length=300)
    found_at = models.DateTimeField()
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_reason = models.TextField(_("排除理由"), blank=True)

    class Meta:
        ordering = ["meeting_id", "expert_id", "id"]
        verbose_name = _("利益冲突")
        verbose_name_plural = _("利益冲突")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "expert", "application", "kind"], name="conflict_unique"
            ),
            # Only a derived conflict may be dismissed, and only with a recorded reason.
            models.CheckConstraint(
                condition=Q(dismissed_at__isnull=True) | (Q(source="derived") & ~Q(dismissed_reason="")),
                name="conflict_dismissal_derived_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["meeting", "dismissed_at"])]

    @property
    def is_active(self) -> bool:
        return self.dismissed_at is None
