"""Writes the security log (SecurityEvent): logins, failed logins, lock-outs and logouts, from Django's and
django-axes' signals, with the client address from portal.client_ip. A row is only ever added."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .client_ip import client_ip
from .models import SecurityEvent


def _clean(text) -> str:
    # Whatever was typed as the user name: printable characters only, within the column.
    return "".join(c for c in str(text or "") if c.isprintable())[:150]


def record(kind: str, *, request=None, user=None, username: str = "", succeeded: bool, detail: str = ""):
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
