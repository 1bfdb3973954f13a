"""Signed daily checkpoints of the applications' history chains (applications/checkpoints.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditCheckpoint(models.Model):
    """The chain heads of every application at one time, sealed by a signature the database cannot
    forge. `root` is SHA-256 over the sorted head list, `prev_hash` the previous checkpoint's `hash`;
    the signature covers all of them (checkpoints.payload)."""

    seq = models.PositiveIntegerField(_("序号"), unique=True)
    taken_at = models.DateTimeField(_("生成时间"))
    applications = models.PositiveIntegerField(_("申报数"))
    events = models.PositiveBigIntegerField(_("记录数"))
    root = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    signature = models.CharField(max_length=128)
    # Not signed: the applications whose history did not extend the previous checkpoint's when this one
    # was taken; their earlier head is carried forward, so the break keeps showing.
    withheld = models.PositiveIntegerField(_("未纳入的申报数"), default=0)
    withheld_note = models.TextField(_("未纳入说明"), blank=True)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("审计链检查点")
        verbose_name_plural = _("审计链检查点")

    def __str__(self) -> str:
        return f"#{self.seq} {self.root[:12]}"


class CheckpointHead(models.Model):
    """An application's head as first recorded by checkpoint `seq`: a checkpoint stores only the heads
    that changed since the one before, and its full list is, per application, the latest row at or
    before its seq. No foreign key: the record must outlive a deleted application."""

    seq = models.PositiveIntegerField()
    application_id = models.UUIDField()
    length = models.PositiveIntegerField()
    head = models.CharField(max_length=64)

    class Meta:
        ordering = ["application_id", "seq"]
        verbose_name = _("检查点链头")
        verbose_name_plural = _("检查点链头")
        constraints = [
            models.UniqueConstraint(fields=["application_id", "seq"], name="checkpointhead_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.application_id}: {self.length}"
