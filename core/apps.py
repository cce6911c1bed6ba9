from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares and no app owns; it imports none of them."""

    name = "core"
