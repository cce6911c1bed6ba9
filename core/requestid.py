"""One id per request, carried into every log line and into the Celery tasks the request sends.

The middleware takes a sane `X-Request-ID` from the caller (a reverse proxy that stamps one, or a client retrying)
or makes a new one, answers it in the same header and keeps it in a contextvar for the logging formatter
(core.logging). Celery's signals, wired in config/celery.py, put it in the header of every task message sent while
it is set and restore it in the worker around the task, so a task sent by a task inherits it too. A task that arrives
without one (sent by beat, or by a shell) uses its own task id.
"""

from __future__ import annotations

import contextvars
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.core.signals import request_finished

if TYPE_CHECKING:  # settings import this module (through core.logging) before Django is set up
    from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
MESSAGE_HEADER = "request_id"  # the key in a Celery message's headers
MAX_LENGTH = 128
# Visible ASCII only: an id lands in log lines, response headers and message headers, so no spaces, no control
# characters and nothing a log viewer could take for markup beyond what JSON escapes.
_SANE = re.compile(rf"[\x21-\x7e]{{1,{MAX_LENGTH}}}")

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
# (task id, task name) while a task runs, for the log lines it writes.
current_task: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar("current_task", default=None)


def new_id() -> str:
    return uuid.uuid4().hex


def accepted(candidate: str | None) -> str | None:
    """The caller's id when it is one we can safely repeat, else None."""
    if candidate and _SANE.fullmatch(candidate):
        return candidate
    return None


@contextmanager
def bound(rid: str | None) -> Iterator[None]:
    """Make `rid` current for a block (work sent after a commit, or in another thread, on behalf of a request)."""
    token = request_id.set(rid)
    try:
        yield
    finally:
        request_id.reset(token)


class RequestIdMiddleware:
    """First in MIDDLEWARE, so even answers made by the middleware after it (redirects, lockouts) carry the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = accepted(request.headers.get(HEADER)) or new_id()
        request.request_id = rid
        # Not reset on the way out: Django logs 4xx and 5xx answers ("Not Found: …") after the middleware returns.
        # request_finished clears it instead, and the next request on this thread sets its own.
        request_id.set(rid)
        response = self.get_response(request)
        response[HEADER] = rid
        return response


def _forget(**kwargs: Any) -> None:
    request_id.set(None)


request_finished.connect(_forget, dispatch_uid="core.requestid.forget")


# Celery signal receivers (connected in config/celery.py).


def add_to_message(headers: dict | None = None, **kwargs: Any) -> None:
    """before_task_publish: the current id travels in the message's headers (unless the sender set one)."""
    rid = request_id.get()
    if rid and headers is not None:
        headers.setdefault(MESSAGE_HEADER, rid)


def _from_message(task: Any) -> str | None:
    # A worker exposes custom message headers as attributes of task.request; eager apply() keeps them in .headers.
    rid = getattr(task.request, MESSAGE_HEADER, None) or (getattr(task.request, "headers", None) or {}).get(
        MESSAGE_HEADER
    )
    return accepted(rid) if isinstance(rid, str) else None


def enter_task(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    """task_prerun: the message's id; in-process (eager) the caller's; else the task's own id (beat, shell)."""
    if task is None:
        return
    rid = _from_message(task)
    if rid is None and task.request.is_eager:
        rid = request_id.get()
    rid = rid or task_id
    task.request.request_id_tokens = (request_id.set(rid), current_task.set((task_id, task.name)))


def leave_task(task: Any = None, **kwargs: Any) -> None:
    """task_postrun: back to what was current before (the request's id around an eager task, nothing in a worker)."""
    tokens = getattr(task.request, "request_id_tokens", None) if task is not None else None
    if tokens is None:
        return
    task.request.request_id_tokens = None
    for var, token in zip((request_id, current_task), tokens, strict=True):
        try:
            var.reset(token)
        except ValueError:  # set in another context (a pool that switched threads): clear rather than leak
            var.set(None)
