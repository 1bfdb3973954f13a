"""When each periodic sweep last ran, for /health/ and the staff pages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SweepRun(models.Model):
    """When a periodic sweep (a beat schedule entry's task) last ran, written by the sweep itself.

    /health/ and the staff pages read it to tell a running beat and worker from a stopped one; it is in
    the database rather than the cache so that every process, and a restarted one, sees the same record.
    One row per task, plus BEAT_STARTED written by `celery beat` when it starts.
    """

    name = models.CharField(_("任务"), max_length=120, unique=True)
    last_started_at = models.DateTimeField(_("上次开始"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("上次完成"), null=True, blank=True)
    last_result = models.CharField(_("上次结果"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("定时任务运行记录")
        verbose_name_plural = _("定时任务运行记录")

    def __str__(self) -> str:
        return self.name
