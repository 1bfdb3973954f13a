from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "平台"

    def ready(self) -> None:
        from . import identity, security_log  # noqa: F401  (connect the login and logout signal receivers)
