from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = "评委会"

    def ready(self) -> None:
        from applications import routing

        from .services import scope_refusal

        # An application outside a committee's authorised scope cannot be routed to it. The level is
        # judged at the committee's qualification review, since a city committee also receives the
        # senior applications it only recommends upward (seed 004's table).
        routing.register_scope_check(
            lambda committee, application: scope_refusal(
                committee=committee, application=application, check_level=False
            )
        )
