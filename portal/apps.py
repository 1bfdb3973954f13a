from axes.apps import AppConfig as AxesAppConfig
from django import forms
from django.apps import AppConfig
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpConfig

from .validators import validate_no_control_characters

# Every text field of every form (ModelForm fields included) refuses control characters, with the
# message beside the field: one place instead of a validator on each form. Set when the app registry
# loads this module, before any app's models, admin or forms are imported (a form's fields take their
# validators when its class is defined, which for admin forms happens before any ready()).
forms.CharField.default_validators = [validate_no_control_characters]


class PortalConfig(AppConfig):
    default = True  # this module holds other AppConfig classes too
    name = "portal"
    verbose_name = "平台"

    def ready(self) -> None:
        from . import identity, security_log  # noqa: F401  (connect the login and logout signal receivers)


# The identity libraries' apps under Chinese names in the admin (INSTALLED_APPS names these classes).
class AxesConfig(AxesAppConfig):
    verbose_name = "登录锁定"


class TotpDevicesConfig(TotpConfig):
    verbose_name = "身份验证器"


class RecoveryCodesConfig(StaticConfig):
    verbose_name = "恢复码"
