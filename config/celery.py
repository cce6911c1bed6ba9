"""The Celery app: `celery -A config worker -Q default,routing,notifications,webhooks` and `celery -A config beat`."""

import os

from celery import Celery

from core.names import Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name=Task.NOOP)
def noop() -> None:
    """Does nothing: used to measure the workers' ceiling in benchmarks and to check a worker is alive."""
