from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .exceptions import DomainError


def form_errors_text(form) -> str:
    """A form's errors as one line for a flash message, joined with the Chinese semicolon."""
    return "；".join(str(error) for errors in form.errors.values() for error in errors)


def form_add_error(form, exc: ValidationError | DomainError) -> None:
    """Show a service's refusal on the form that was redisplayed: on the field it names where the form
    has that field, else above the form."""
    if isinstance(exc, DomainError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class SignUpForm(UserCreationForm):
    full_name = forms.CharField(label=_("姓名"), max_length=60)
    email = forms.EmailField(label=_("电子邮箱"))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "email")

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("该邮箱已注册，请直接登录。"))
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.first_name = self.cleaned_data["full_name"]
        user.email = self.cleaned_data["email"]
        if commit:
            user.save()
        return user
