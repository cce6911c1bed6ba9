from django.apps import AppConfig


class FactcheckConfig(AppConfig):
    name = "factcheck"
    verbose_name = "Published fact-checks"

    def ready(self) -> None:
        # Register the webhook tasks in every process, so claims can enqueue them by name (core.dispatch).
        from factcheck import tasks  # noqa: F401
