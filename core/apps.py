from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    """What every app shares and no app owns; it imports none of them."""

    name = "core"

    def ready(self) -> None:
        from core.sqlite_like import use_unicode_like
        from core.timestamps import use_c_timestamp_loader

        connection_created.connect(use_c_timestamp_loader, dispatch_uid="core.timestamps")
        connection_created.connect(use_unicode_like, dispatch_uid="core.sqlite_like")
