"""The demo app's configuration: no models, only the loader and the load_demo command."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "demo"
    verbose_name = "演示数据"
