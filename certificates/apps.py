from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "证书"

    def ready(self) -> None:
        from committees import hooks

        from . import tasks

        # An approved result filing starts its certificate batch right after the approval commits.
        hooks.on_results_approved(lambda filing_id: tasks.issue_for_filing.delay(filing_id))
