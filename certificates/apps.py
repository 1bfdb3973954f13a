from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "证书"

    def ready(self) -> None:
        # Models can be imported only once the registry is ready, hence here and not at the top.
        from applications.dossier import register_dossier_documents

        from .documents import dossier_documents

        register_dossier_documents(dossier_documents)
