"""What identity needs to remember beyond Django's user: the hashes of recent passwords (a new password may
not repeat one of them) and the sessions each user holds (so "log out everywhere" can end them all)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import clock


class PasswordHistory(models.Model):
    """One row per password a user has set, holding its salted hash (never the password)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=clock.stamp)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        indexes = [models.Index(fields=["user", "-created_at"])]


class LoginSession(models.Model):
    """A session a user logged in with; deleted when it logs out or the user logs out everywhere."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions"
    )
    session_key = models.CharField(max_length=64, unique=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.stamp)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")
