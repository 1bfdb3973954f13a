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


class SecurityEvent(models.Model):
    """The security log: logins, failed logins, lock-outs, logouts, password and second-factor changes,
    role and membership changes, admin-site changes and exports of personal data, with time, user (the
    one who acted), address and outcome. Append-only: the application never changes or deletes a row (the
    admin shows them only); rows older than SECURITY_LOG_RETENTION_DAYS are removed by the retention
    sweep alone."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOCKED_OUT = "locked_out", _("登录锁定")
        LOGOUT = "logout", _("退出")
        PASSWORD_CHANGED = "password", _("修改密码")
        SECOND_FACTOR = "second_factor", _("双因素认证变更")
        ROLE_CHANGED = "role", _("角色与成员变更")
        ADMIN_CHANGE = "admin", _("管理后台操作")
        EXPORT = "export", _("导出个人信息")
        VIEW_LOG = "view_log", _("查阅或导出安全日志")

    at = models.DateTimeField(_("时间"), default=clock.stamp, db_index=True)
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("用户"),
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    succeeded = models.BooleanField(_("成功"))
    detail = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("安全日志")
        verbose_name_plural = _("安全日志")
        permissions = [("export_securityevent", _("导出安全日志"))]
        indexes = [models.Index(fields=["kind", "-at"]), models.Index(fields=["username", "-at"])]

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("The security log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The security log is append-only.")
