"""Enqueue Celery work by task name once the surrounding transaction commits.

Claims must not import the desk (reviews); naming the task keeps the dependency pointing one way while eager mode,
used by the embedded default and tests, still runs the task in-process.

The send happens after the commit, so it must not fail the request: the change is already saved, and a 500 would make
the client retry a step that succeeded (and get a 409). When the broker cannot take the message, the send is logged
and dropped; every kind of work sent this way is also found again by a beat sweep that reads the database (waiting
claims and the desk's unsent mail by the queue sweep, pending events and deliveries by the webhook sweep).
"""

import logging
import threading
from functools import partial

from celery import current_app
from django.conf import settings
from django.db import connections, transaction
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from core import requestid

log = logging.getLogger(__name__)

# What a broker that is down, restarting or unreachable raises from a send (kombu wraps most of them).
BROKER_ERRORS = (KombuError, RedisError, OSError)


def _run_detached(task, args: tuple, request_id: str | None) -> None:
    try:
        with requestid.bound(request_id):  # a new thread starts without the request's contextvars
            task.apply(args=args)
    finally:
        connections.close_all()  # this thread's own database connections


def send(task_name: str, *args, countdown: float | None = None) -> bool:
    """Send now (to run `countdown` seconds later, if given; eager mode runs it at once); False (logged with the task
    and its arguments) when the broker did not take it."""
    task = current_app.tasks[task_name]
    if current_app.conf.task_always_eager:
        # No broker: the task runs in this process. Tasks that wait on other servers (webhook receivers, fetched
        # pages) run beside the request rather than in it, so a slow receiver cannot hold an editor's approval.
        if task_name in settings.EAGER_TASKS_IN_BACKGROUND:
            detached = (task, args, requestid.request_id.get())
            threading.Thread(target=_run_detached, args=detached, name=f"eager {task_name}", daemon=True).start()
        else:
            task.delay(*args)  # its own errors are not broker errors
        return True
    try:
        task.apply_async(args, countdown=countdown)
    except BROKER_ERRORS as exc:
        log.error("Could not send %s%r to the broker (a sweep will catch up): %s", task_name, args, exc)
        return False
    return True


def _send_as(request_id: str | None, task_name: str, *args) -> bool:
    with requestid.bound(request_id):
        return send(task_name, *args)


def enqueue_on_commit(task_name: str, *args) -> None:
    # The message carries the id of the request (or task) that enqueued it, whenever and wherever the commit runs.
    transaction.on_commit(partial(_send_as, requestid.request_id.get(), task_name, *args))
