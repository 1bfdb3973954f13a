"""The password policy beyond Django's own validators (AUTH_PASSWORD_VALIDATORS): at least three of the
four character classes, and none of the user's last passwords. Django calls validate() from every form
that sets a password (signup, password change, the expert invitation) and password_changed() whenever a
user is saved with a new password, which keeps the history."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import security_log
from .models import PasswordHistory

CLASSES = (
    ("小写字母", str.islower),
    ("大写字母", str.isupper),
    ("数字", str.isdigit),
    ("符号", lambda c: not c.isalnum()),
)


class LengthValidator(MinimumLengthValidator):
    """Django's minimum length, with the message in Chinese (Django's own is not translated)."""

    def get_error_message(self) -> str:
        return _("密码长度太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return _("密码至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        used = sum(1 for _name, test in CLASSES if any(test(c) for c in password))
        if used < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _("密码须至少包含小写字母、大写字母、数字、符号中的 %(count)d 类。") % {
            "count": self.min_classes
        }


class RecentPasswordValidator:
    def __init__(self, count: int = 5):
        self.count = count

    def _recent(self, user) -> list[str]:
        if user is None or not getattr(user, "pk", None):
            return []
        hashes = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count]
        )
        # The password the user has now, saved before the history was kept.
        stored = get_user_model().objects.filter(pk=user.pk).values_list("password", flat=True).first()
        return [*hashes, stored] if stored else hashes

    def validate(self, password: str, user=None) -> None:
        if any(check_password(password, encoded) for encoded in self._recent(user)):
            raise ValidationError(
                _("新密码不能与最近使用过的 %(count)d 个密码相同。") % {"count": self.count},
                code="password_recently_used",
            )

    def password_changed(self, password: str, user=None) -> None:
        if user is None or not user.pk or not user.password:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        security_log.record_password_changed(user)
        keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[: self.count]
        PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()

    def get_help_text(self) -> str:
        return _("不能与最近使用过的 %(count)d 个密码相同。") % {"count": self.count}
