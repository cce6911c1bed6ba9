"""Celery tasks of the webhooks (queue "webhooks"): thin, take ids, re-read rows, return early when nothing is left."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from core.names import Task
from factcheck.integrations import webhooks

TRANSIENT = (OperationalError, InterfaceError)


@shared_task(name=Task.EMIT_EVENT, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def emit_event(event: str, object_id: int) -> int:
    """Turn one committed change into a pending delivery per subscribed endpoint; returns how many."""
    return len(webhooks.fan_out(event, object_id))


# max_retries=None: the number of attempts is counted on the delivery row (WEBHOOK_MAX_ATTEMPTS), which also survives
# a redelivered message; database hiccups get their own bounded retries through retry_kwargs.
@shared_task(
    name=Task.DELIVER_WEBHOOK,
    bind=True,
    max_retries=None,
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
)
def deliver_webhook(self, delivery_id: int) -> str:
    outcome = webhooks.attempt_delivery(delivery_id)
    # Without a worker (eager mode: no broker, tests) there is nobody to come back later, and an eager retry would
    # raise into the request that committed the change; so the attempts follow each other at once instead.
    while outcome.result is webhooks.Result.RETRY and self.request.is_eager:
        outcome = webhooks.attempt_delivery(delivery_id)
    if outcome.result is webhooks.Result.RETRY:
        raise self.retry(countdown=webhooks.backoff_seconds(outcome.attempts))
    return outcome.result.value
