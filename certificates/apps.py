from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "证书"

    def ready(self) -> None:
        # Register the issuing tasks in every process (web included): committees queues them by name,
        # and a process that has not loaded them could only hand them to a broker.
        from . import tasks  # noqa: F401
