from django.apps import AppConfig


def _issue_after_approval(filing_id: int) -> None:
    """Queue the filing's certificates on the certificate queue (CERTIFICATE_TASK_QUEUE), like the batch
    and its renders, so a deployment that routes certificate work to its own workers keeps all of it there."""
    from django.conf import settings

    from . import tasks

    queue = getattr(settings, "CERTIFICATE_TASK_QUEUE", None)
    tasks.issue_for_filing.apply_async(args=[filing_id], **({"queue": queue} if queue else {}))


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "证书"

    def ready(self) -> None:
        from committees import hooks

        # An approved result filing starts its certificate batch right after the approval commits.
        hooks.on_results_approved(_issue_after_approval)
