from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = "评委会"

    def ready(self) -> None:
        # Models can be imported only once the registry is ready, hence here and not at the top.
        from applications.permissions import register_dossier_reader

        from .permissions import expert_dossier_reader

        register_dossier_reader(expert_dossier_reader)
