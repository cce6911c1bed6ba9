"""The Celery app: `celery -A config worker -Q default,routing,notifications,webhooks` and `celery -A config beat`."""

import logging
import os

from celery import Celery
from celery.signals import (
    after_setup_logger,
    after_setup_task_logger,
    before_task_publish,
    task_postrun,
    task_prerun,
    worker_process_init,
)
from django.conf import settings

from core import requestid
from core.logging import JsonFormatter
from core.names import Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The request id follows the work: into each message sent while it is set, and around each task in the worker.
before_task_publish.connect(requestid.add_to_message, weak=False, dispatch_uid="config.requestid.publish")
task_prerun.connect(requestid.enter_task, weak=False, dispatch_uid="config.requestid.prerun")
task_postrun.connect(requestid.leave_task, weak=False, dispatch_uid="config.requestid.postrun")


@after_setup_logger.connect
@after_setup_task_logger.connect
def _worker_log_format(logger: logging.Logger, **kwargs) -> None:
    """Workers and beat keep Celery's handlers; with LOG_FORMAT=json their lines become JSON like the web's."""
    if settings.LOG_FORMAT == "json":
        for handler in logger.handlers:
            handler.setFormatter(JsonFormatter())


@worker_process_init.connect
def _warm_up_matcher(**kwargs) -> None:
    """Each pool process starts reading the matcher's index, as web processes do (claims.matching.warmup)."""
    from claims.matching.warmup import warm_up_worker_process

    consumed = app.amqp.queues.consume_from
    warm_up_worker_process(set(consumed) if consumed else None)


@app.task(name=Task.NOOP)
def noop() -> None:
    """Does nothing: used to measure the workers' ceiling in benchmarks and to check a worker is alive."""
