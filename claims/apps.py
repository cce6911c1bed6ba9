from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        # Register ingestion's tasks in every process, so services can enqueue them by name (core.dispatch).
        from claims import tasks  # noqa: F401
