"""Writes the security log (SecurityEvent), with the client address from portal.client_ip and the person
acting (the request's user; none for the system): logins, failed logins, lock-outs and logouts from
Django's and django-axes' signals; password changes (from the password-history validator); second-factor
devices set up or removed; memberships (roles) added, changed or removed; every admin-site change (its
LogEntry); exports of personal data (applications.exports). A row is only ever added."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.admin.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .client_ip import client_ip
from .models import Membership, SecurityEvent
from .observability import CURRENT_REQUEST


def _clean(text) -> str:
    # Whatever was typed as the user name: printable characters only, within the column.
    return "".join(c for c in str(text or "") if c.isprintable())[:150]


def record(kind: str, *, request=None, user=None, username: str = "", succeeded: bool, detail: str = ""):
    request = request if request is not None else CURRENT_REQUEST.get()
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user if getattr(user, "pk", None) else None,
        username=_clean(username or getattr(user, "username", "")),
        ip=(client_ip(request) or None) if request is not None else None,
        succeeded=succeeded,
        detail=detail[:200],
    )


@receiver(user_logged_in, dispatch_uid="portal.security_log.login")
def _login(sender, request, user, **kwargs) -> None:
    record(SecurityEvent.Kind.LOGIN, request=request, user=user, succeeded=True)


@receiver(user_login_failed, dispatch_uid="portal.security_log.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    record(
        SecurityEvent.Kind.LOGIN_FAILED,
        request=request,
        username=credentials.get("username", ""),
        succeeded=False,
    )


@receiver(user_locked_out, dispatch_uid="portal.security_log.locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    record(SecurityEvent.Kind.LOCKED_OUT, request=request, username=username or "", succeeded=False)


@receiver(user_logged_out, dispatch_uid="portal.security_log.logout")
def _logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(SecurityEvent.Kind.LOGOUT, request=request, user=user, succeeded=True)


def record_password_changed(user) -> None:
    """Called by the password-history validator once a new password is saved."""
    record(
        SecurityEvent.Kind.PASSWORD_CHANGED,
        username=user.username,
        detail=f"账号：{_clean(user.username)}",
        succeeded=True,
    )


def record_export(what: str) -> None:
    """An export of personal data (a list of applicants, a publicity, results), by whom and from where."""
    record(SecurityEvent.Kind.EXPORT, detail=what, succeeded=True)


def _device_saved(sender, instance, created, **kwargs) -> None:
    said = "设置" if created else "更新"
    kind = "动态口令" if isinstance(instance, TOTPDevice) else "恢复码"
    record(
        SecurityEvent.Kind.SECOND_FACTOR,
        detail=f"账号：{_clean(instance.user.username)}，{said}{kind}",
        succeeded=True,
    )


def _device_deleted(sender, instance, **kwargs) -> None:
    kind = "动态口令" if isinstance(instance, TOTPDevice) else "恢复码"
    record(
        SecurityEvent.Kind.SECOND_FACTOR,
        detail=f"账号：{_clean(instance.user.username)}，删除{kind}",
        succeeded=True,
    )


for _model in (TOTPDevice, StaticDevice):
    post_save.connect(
        _device_saved, sender=_model, dispatch_uid=f"portal.security_log.saved.{_model.__name__}"
    )
    post_delete.connect(
        _device_deleted, sender=_model, dispatch_uid=f"portal.security_log.gone.{_model.__name__}"
    )


def _membership_text(m: Membership) -> str:
    state = "启用" if m.is_active else "停用"
    who = _clean(m.user.username)
    return f"账号：{who}，单位：{m.organisation.name}，角色：{m.get_role_display()}（{state}）"


_MEMBERSHIP_FIELDS = ("user_id", "organisation_id", "role", "is_active")


@receiver(pre_save, sender=Membership, dispatch_uid="portal.security_log.membership_before")
def _membership_before(sender, instance, **kwargs) -> None:
    # A save that changes nothing (a repeated update_or_create) is no role change to record.
    before = (
        Membership.objects.filter(pk=instance.pk).values_list(*_MEMBERSHIP_FIELDS).first()
        if instance.pk
        else None
    )
    instance._security_unchanged = before == tuple(getattr(instance, f) for f in _MEMBERSHIP_FIELDS)


@receiver(post_save, sender=Membership, dispatch_uid="portal.security_log.membership_saved")
def _membership_saved(sender, instance, created, **kwargs) -> None:
    if not created and getattr(instance, "_security_unchanged", False):
        return
    said = "授予" if created else "变更"
    record(
        SecurityEvent.Kind.ROLE_CHANGED, detail=f"{said}：{_membership_text(instance)}"[:200], succeeded=True
    )


@receiver(post_delete, sender=Membership, dispatch_uid="portal.security_log.membership_deleted")
def _membership_deleted(sender, instance, **kwargs) -> None:
    record(
        SecurityEvent.Kind.ROLE_CHANGED, detail=f"撤销：{_membership_text(instance)}"[:200], succeeded=True
    )


@receiver(post_save, sender=LogEntry, dispatch_uid="portal.security_log.admin_change")
def _admin_change(sender, instance, created, **kwargs) -> None:
    if not created:
        return
    action = {1: "新增", 2: "修改", 3: "删除"}.get(instance.action_flag, "操作")
    model = instance.content_type.name if instance.content_type_id else ""
    record(
        SecurityEvent.Kind.ADMIN_CHANGE,
        user=instance.user,
        detail=f"{action}{model}：{instance.object_repr}"[:200],
        succeeded=True,
    )
