"""A user's own account security: the second factor (TOTP set-up and the code after the password, recovery
codes), the password change, the API token, and logging out everywhere. The lock-out page is here too."""

from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from .api import error_body
from .identity import logout_everywhere, needs_second_factor, token_expires_at
from .models import LoginSession

RECOVERY_CODES = 10


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


def _qr_data_uri(text: str) -> str:
    buffer = BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="恢复码")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Binds an authenticator app: shows the secret (and its QR code), and confirms it with one code.
    Replacing a bound device needs the session to be verified with the old one first."""
    user = request.user
    if user_has_device(user) and not user.is_verified():
        return redirect(f"{reverse('account_otp_verify')}?next={reverse('account_otp_setup')}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(user)
            otp_login(request, device)
            return render(
                request, "account/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        form.add_error("code", _("验证码不正确，请核对手机上的时间后重新输入。"))
    secret = base64.b32encode(device.bin_key).decode("ascii")
    context = {
        "form": form,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr": _qr_data_uri(device.config_url),
        "next": _next_url(request),
    }
    return render(request, "account/otp_setup.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The code after the password: from the authenticator app, or a recovery code (each works once)."""
    if not user_has_device(request.user):
        return redirect(f"{reverse('account_otp_setup')}?next={_next_url(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device = match_token(request.user, form.cleaned_data["code"].strip().replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", _("验证码不正确或已使用过。"))
    return render(
        request,
        "account/otp_verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def security(request):
    user = request.user
    token = Token.objects.filter(user=user).first()
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    context = {
        "second_factor_needed": needs_second_factor(user),
        "second_factor_required": settings.PORTAL_REQUIRE_SECOND_FACTOR,
        "has_totp": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "recovery_left": recovery.token_set.count() if recovery else 0,
        "token": token,
        "token_expires_at": token_expires_at(token) if token else None,
        "sessions": LoginSession.objects.filter(user=user).count(),
    }
    return render(request, "account/security.html", context)


@login_required
@require_POST
def recovery_codes_renew(request):
    if not request.user.is_verified():
        return redirect(f"{reverse('account_otp_verify')}?next={reverse('account_security')}")
    with transaction.atomic():
        codes = _new_recovery_codes(request.user)
    return render(
        request, "account/recovery_codes.html", {"codes": codes, "next": reverse("account_security")}
    )


@login_required
@require_POST
def token_revoke(request):
    Token.objects.filter(user=request.user).delete()
    messages.success(request, _("API 令牌已作废。"))
    return redirect("account_security")


@login_required
@require_POST
def logout_all(request):
    user = request.user
    ended = logout_everywhere(user)
    logout(request)
    messages.success(request, _("已退出全部 %(count)d 个登录会话，API 令牌已作废。") % {"count": ended})
    return redirect("login")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "account/password_change.html"
    success_url = reverse_lazy("account_security")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("密码已修改。"))
        return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer while an account or an address is locked (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else None
    if minutes:
        message = _(
            "因连续多次登录失败，该账号或登录地址已被暂时锁定，"
            "请 %(minutes)d 分钟后再试，或联系安全管理员解锁。"
        ) % {"minutes": minutes}
    else:
        message = _("因连续多次登录失败，该账号或登录地址已被锁定，请联系安全管理员解锁。")
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(message), status=429)
    return render(request, "account/locked_out.html", {"message": message}, status=429)
