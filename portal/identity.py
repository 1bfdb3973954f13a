"""Identity as MLPS level 3 asks, beyond the password: who must present a second factor, the idle timeout,
the sessions a user holds (so they can all be ended at once), and API tokens that expire.

- Second factor: every staff role (HR, officer, clerk, auditor, Django staff and superusers) must set up a
  TOTP device and enter a code after the password before any page answers; applicants and experts log in
  with the password alone. PORTAL_REQUIRE_SECOND_FACTOR turns the requirement on (production always).
- Idle timeout: a session unused for PORTAL_IDLE_TIMEOUT_SECONDS is logged out at its next request.
- Logout everywhere: each login records its session key (LoginSession); ending them all deletes those
  sessions from the session store and the user's API token.
- API tokens: DRF's token, refused (401) once older than PORTAL_API_TOKEN_TTL_SECONDS.
"""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import transaction
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from . import clock
from .client_ip import client_ip
from .models import LoginSession, Role
from .roles import roles_of

STAFF_ROLES = (Role.HR, Role.OFFICER, Role.CLERK, Role.AUDITOR)
LAST_SEEN = "_portal_last_seen"
# Pages an unverified staff user may still reach: setting up or entering the code, and leaving.
SECOND_FACTOR_OPEN = ("login", "logout", "account_otp_setup", "account_otp_verify", "health")


def needs_second_factor(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(role in roles_of(user) for role in STAFF_ROLES)


def second_factor_required(user) -> bool:
    return bool(getattr(settings, "PORTAL_REQUIRE_SECOND_FACTOR", False)) and needs_second_factor(user)


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


class IdleTimeoutMiddleware:
    """Logs out a session left unused longer than PORTAL_IDLE_TIMEOUT_SECONDS (wall-clock time, not the
    demo clock). The last-seen stamp is written at most once a minute, to spare the session store."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = getattr(settings, "PORTAL_IDLE_TIMEOUT_SECONDS", None)
        if timeout and request.user.is_authenticated:
            now = clock.real_now().timestamp()
            last = request.session.get(LAST_SEEN)
            if last is not None and now - last > timeout:
                logout(request)
                if _wants_json(request):
                    return JsonResponse({"detail": "登录已超时，请重新登录。", "errors": {}}, status=401)
                messages.info(request, "您已较长时间未操作，为保护账号安全已自动退出，请重新登录。")
                return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
            if last is None or now - last > 60:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """After the password, a staff user reaches no page until a TOTP or recovery code is verified
    (django_otp's OTPMiddleware, placed before this one, provides user.is_verified())."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: tuple[str, ...] | None = None

    def _open(self, path: str) -> bool:
        if self._open_paths is None:
            self._open_paths = tuple(reverse(name) for name in SECOND_FACTOR_OPEN)
        return path in self._open_paths or path.startswith(settings.STATIC_URL)

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and second_factor_required(user)
            and not user.is_verified()
            and not self._open(request.path)
        ):
            if _wants_json(request):
                return JsonResponse({"detail": "请先完成双因素认证。", "errors": {}}, status=403)
            target = "account_otp_verify" if user_has_device(user) else "account_otp_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="portal.identity.record_session")
def _record_session(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    if not session.session_key:
        session.save()
    request.session[LAST_SEEN] = clock.real_now().timestamp()
    LoginSession.objects.update_or_create(
        session_key=session.session_key, defaults={"user": user, "ip": client_ip(request) or None}
    )


@receiver(user_logged_out, dispatch_uid="portal.identity.forget_session")
def _forget_session(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        LoginSession.objects.filter(session_key=session.session_key).delete()


def logout_everywhere(user) -> int:
    """Ends every session the user logged in with and revokes their API token; returns the sessions ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    with transaction.atomic():
        keys = list(
            LoginSession.objects.select_for_update().filter(user=user).values_list("session_key", flat=True)
        )
        for key in keys:
            store(session_key=key).delete()
        LoginSession.objects.filter(user=user).delete()
        Token.objects.filter(user=user).delete()
    return len(keys)


def token_expires_at(token: Token):
    return token.created + timedelta(seconds=settings.PORTAL_API_TOKEN_TTL_SECONDS)


class TokenRejected(exceptions.APIException):
    """401 (not DRF's 403 for a session-first API): the token is unknown, revoked or expired."""

    status_code = 401
    default_detail = "令牌无效或已过期，请重新获取。"
    default_code = "token_rejected"
    auth_header = "Token"


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        try:
            token = Token.objects.select_related("user").get(key=key)
        except Token.DoesNotExist:
            raise TokenRejected() from None
        if not token.user.is_active:
            raise TokenRejected()
        if clock.real_now() >= token_expires_at(token):
            token.delete()
            raise TokenRejected("令牌已过期，请重新获取。")
        return (token.user, token)
