"""What an application was when it was returned, so that whoever returned it sees what changed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .application import Application


class ReturnBasis(models.Model):
    """The archive snapshot, work summary and files of an application at a return (the return is the
    history event with this sequence number); written in the return's transaction."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="return_bases")
    seq = models.PositiveIntegerField()
    snapshot = models.JSONField(null=True, blank=True)
    work_summary = models.TextField(blank=True)
    # [{"code", "name", "sha256"}] of every file on the application's checklist.
    materials = models.JSONField(default=list)

    class Meta:
        verbose_name = _("退回时申报内容")
        verbose_name_plural = _("退回时申报内容")
        constraints = [
            # One basis per return event.
            models.UniqueConstraint(fields=["application", "seq"], name="return_basis_unique_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}#{self.seq}"
