"""Enqueue Celery work by task name once the surrounding transaction commits.

Claims must not import the desk (reviews); naming the task keeps the dependency pointing one way while eager mode,
used by the embedded default and tests, still runs the task in-process.
"""

from celery import current_app
from django.db import transaction


def enqueue_on_commit(task_name: str, *args) -> None:
    def send() -> None:
        current_app.tasks[task_name].delay(*args)

    transaction.on_commit(send)
