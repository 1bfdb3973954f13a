from django import forms
from django.apps import AppConfig

from .validators import validate_no_control_characters

# Every text field of every form (ModelForm fields included) refuses control characters, with the
# message beside the field: one place instead of a validator on each form. Set when the app registry
# loads this module, before any app's models, admin or forms are imported (a form's fields take their
# validators when its class is defined, which for admin forms happens before any ready()).
forms.CharField.default_validators = [validate_no_control_characters]


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "平台"
