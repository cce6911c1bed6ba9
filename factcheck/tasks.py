"""Celery tasks of the webhooks and imports (queue "webhooks"), and of the public pages' shared values (queue
"default"): thin, take ids, re-read rows, return early when nothing is left. Retries of a delivery are rows
(next_attempt_at) that the sweep acts on, never broker countdowns."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from core import outbox
from core.names import Task
from factcheck.integrations import external, webhook_sweep, webhooks
from factcheck.site.choices import refresh_filter_choices

TRANSIENT = (OperationalError, InterfaceError)

# This module is loaded in every process (FactcheckConfig.ready), so the outbox can ask, before it sends anything to
# the broker, whether an endpoint wants an event.
outbox.add_audience(webhooks.is_wanted)


@shared_task(name=Task.EMIT_EVENT, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def emit_event(event: str, object_id: int) -> int:
    """Turn one recorded event into a pending delivery per subscribed endpoint; returns how many."""
    return len(webhooks.fan_out(event, object_id))


# A failed attempt is not retried here: it leaves the row with its next_attempt_at, for the sweep. So no attempt
# waits in the request that committed the change (eager mode, without a broker) and no long ETA sits on Redis.
@shared_task(name=Task.DELIVER_WEBHOOK, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def deliver_webhook(delivery_id: int, attempts: int | None = None) -> str:
    return webhooks.attempt_delivery(delivery_id, attempts).result.value


@shared_task(name=Task.SWEEP_WEBHOOKS, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def sweep_webhooks() -> dict:
    """Every few seconds (celery beat): fan out events left pending, send deliveries that are due."""
    return webhook_sweep.sweep().__dict__


@shared_task(name=Task.IMPORT_CLAIMREVIEW, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def import_claimreview(urls: list[str], editor_id: int | None = None) -> int:
    """Import ClaimReview pages queued from the admin and send the editor the outcome; returns the reviews stored."""
    return external.import_and_report(urls, editor_id=editor_id)


@shared_task(name=Task.REFRESH_PUBLIC_VALUES, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def refresh_public_values() -> int:
    """After each change of the public content (core.freshness.invalidate_public_pages): count the list's filter
    choices, and the topics' counts, again here so that no reader waits for them. Returns how many times they were
    counted (0 when they were current already or another refresh was under way)."""
    return refresh_filter_choices()
