"""Read a collection's index and load the sentence model before the first search needs them.

A process's first search loads every active match document (about 7 s at 100,000 claims, a minute at a million)
and the model (seconds). Web processes start this in a background thread as they boot (config/gunicorn.conf.py), and
so do the processes of Celery workers that take report tracking (config/celery.py), so a journalist's first
submission and the first report after a deploy find the index ready; a search that arrives during the load waits
for it, as it would have loaded it itself.
"""

import logging
import threading

from django.conf import settings
from django.db import connections

from core.names import Task

from . import encoder, store

# The tasks that search the index in a worker; a worker consuming none of their queues never loads it.
SEARCHING_TASKS = (Task.TRACK_REPORT,)

logger = logging.getLogger(__name__)


def warm_up_in_background(collection: str = "desk") -> threading.Thread | None:
    """Start loading `collection` in a daemon thread (None when MATCHING_WARM_UP is off)."""
    if not settings.MATCHING_WARM_UP:
        return None
    thread = threading.Thread(target=warm_up, args=(collection,), name=f"matcher-warm-up-{collection}", daemon=True)
    thread.start()
    return thread


def warm_up_worker_process(consumed_queues: set[str] | None) -> threading.Thread | None:
    """The warm-up of a Celery worker process, when the worker consumes a queue a searching task is sent to
    (`consumed_queues` None: every queue)."""
    wanted = {_queue_of(task) for task in SEARCHING_TASKS}
    if consumed_queues is not None and not wanted & consumed_queues:
        return None
    return warm_up_in_background()


def _queue_of(task: str) -> str:
    return settings.CELERY_TASK_ROUTES.get(task, {}).get("queue", settings.CELERY_TASK_DEFAULT_QUEUE)


def warm_up(collection: str = "desk") -> None:
    index = store.collection_index(collection)
    try:
        index.sync()
        if encoder.encoder_available():
            encoder.encode(["warm up"])
        logger.info("matcher index %s ready in %.1f s", collection, index.load_seconds)
    except Exception:
        # A process that cannot warm up still serves: its first search loads the index as before.
        logger.exception("could not warm up the matcher index %s", collection)
    finally:
        connections.close_all()  # this thread's own connections
