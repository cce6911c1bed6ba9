from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Review desk"

    def ready(self) -> None:
        # Register the desk's tasks in every process, so claims can enqueue them by name (core.dispatch).
        from reviews import tasks  # noqa: F401
