"""The user admin with the security administrator's identity actions: unlock an account locked after
failed logins, reset a lost second factor, end every session of a user."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .identity import logout_everywhere
from .models import SecurityEvent

User = get_user_model()


class SecurityUserAdmin(UserAdmin):
    actions = ["unlock", "reset_second_factor", "end_sessions"]

    @admin.action(description="解除登录锁定", permissions=["change"])
    def unlock(self, request, queryset):
        removed = sum(axes_reset(username=user.username) for user in queryset)
        self.message_user(
            request, f"已解除 {queryset.count()} 个账号的登录锁定（清除失败记录 {removed} 条）。"
        )

    @admin.action(description="重置双因素认证（须重新绑定身份验证器）", permissions=["change"])
    def reset_second_factor(self, request, queryset):
        with transaction.atomic():
            TOTPDevice.objects.filter(user__in=queryset).delete()
            StaticDevice.objects.filter(user__in=queryset).delete()
            for user in queryset:
                logout_everywhere(user)
        self.message_user(request, "已重置所选账号的双因素认证，并结束其全部登录会话。", messages.SUCCESS)

    @admin.action(description="结束全部登录会话并作废 API 令牌", permissions=["change"])
    def end_sessions(self, request, queryset):
        ended = sum(logout_everywhere(user) for user in queryset)
        self.message_user(request, f"已结束 {ended} 个登录会话。", messages.SUCCESS)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, SecurityUserAdmin)


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Append-only: shown and searched, never added, changed or deleted here."""

    list_display = ["at", "kind", "username", "ip", "succeeded", "detail"]
    list_filter = ["kind", "succeeded"]
    search_fields = ["username", "ip"]
    date_hierarchy = "at"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
