"""Notifications and the history of the records that are not applications."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import clock


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.stamp)
    read_at = models.DateTimeField(null=True, blank=True)
    # Makes a reminder idempotent: the same key is never notified twice to the same user.
    dedupe_key = models.CharField(max_length=120, blank=True)
    # The e-mail outbox: the address the notice goes to (empty: in-app only) and when it was sent. The
    # row is written with the move it reports, so a mail server or broker that is down only delays it.
    email_to = models.EmailField(blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            # The unread badge on every page counts only these (capped: portal.context_processors).
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"),
            # The outbox sweep reads only the e-mails still to send.
            models.Index(
                fields=["created_at"],
                condition=~Q(email_to="") & Q(emailed_at__isnull=True),
                name="notification_email_pending",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], condition=~Q(dedupe_key=""), name="notification_unique_dedupe"
            )
        ]

    def __str__(self) -> str:
        return self.message


class RecordEvent(models.Model):
    """Append-only history of the stateful records other than the application (which keeps its own,
    hash-chained): one row per move, naming the actor (none for a system move). Written only by
    portal.workflow.Machine.take, in the transaction that changes the record."""

    # Indexed by recordevent_record_at, which leads with it.
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", db_index=False)
    # A string, because some of the records have UUID keys.
    object_id = models.CharField(max_length=64)
    action = models.CharField(_("操作"), max_length=40)
    from_status = models.CharField(_("原状态"), max_length=32)
    to_status = models.CharField(_("新状态"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_role = models.CharField(_("操作身份"), max_length=20, blank=True)
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("状态变更记录")
        verbose_name_plural = _("状态变更记录")
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="recordevent_record_at"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.from_status}→{self.to_status}"
