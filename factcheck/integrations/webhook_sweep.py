"""The webhook sweep (celery beat): re-sends what is overdue, so no event and no retry depends on a broker message.

Two kinds of rows are overdue. Outbox events still pending a while after they were recorded: their message was lost
(a broker restarted without persistence, a worker killed mid-task, a broker outage during the commit); the sweep fans
them out itself. Deliveries whose next_attempt_at has passed: a retry after its backoff, or an attempt whose message
or worker was lost; each is leased again and handed to a worker. Every row is handled in its own transaction, and a
row that raises is logged with its id and skipped, so one bad row never stops the rest.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import outbox
from core.dispatch import enqueue_on_commit
from core.names import Task
from factcheck.integrations import webhooks
from factcheck.integrations.models import WebhookDelivery

log = logging.getLogger(__name__)
BATCH = 500
# An event's own task normally handles it within moments of the commit; the sweep leaves it that long first.
OUTBOX_GRACE = timedelta(seconds=5)


@dataclass(frozen=True)
class SweepReport:
    events: int  # outbox events fanned out by the sweep
    deliveries: int  # deliveries handed to a worker again
    failed: int  # rows that raised and were skipped


def fan_out_overdue(now: datetime) -> tuple[int, int]:
    done = failed = 0
    for row_id, name, object_id in outbox.pending_before(now - OUTBOX_GRACE, BATCH):
        try:
            webhooks.fan_out(name, object_id)  # its own transaction; idempotent per event
            done += 1
        except Exception:
            log.exception("Webhook sweep: outbox event %s (%s:%s) failed; skipped", row_id, name, object_id)
            failed += 1
    return done, failed


def _resend(delivery_id: int, attempts: int, now: datetime) -> bool:
    with transaction.atomic():
        # A conditional UPDATE takes the lease, so two sweeps at once send it only once.
        taken = (
            WebhookDelivery.objects.filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING, attempts=attempts)
            .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at=None))
            .update(next_attempt_at=now + webhooks.LEASE)
        )
        if taken:
            enqueue_on_commit(Task.DELIVER_WEBHOOK, delivery_id, attempts)
    return bool(taken)


def resend_due(now: datetime) -> tuple[int, int]:
    due = (
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING)
        .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at=None))  # None: rows from before the schedule existed
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "attempts")[:BATCH]
    )
    sent = failed = 0
    for delivery_id, attempts in due:
        try:
            sent += _resend(delivery_id, attempts, now)
        except Exception:
            log.exception("Webhook sweep: delivery %s failed; skipped", delivery_id)
            failed += 1
    return sent, failed


def sweep(now: datetime | None = None) -> SweepReport:
    now = now or timezone.now()
    events, events_failed = fan_out_overdue(now)
    deliveries, deliveries_failed = resend_due(now)
    return SweepReport(events=events, deliveries=deliveries, failed=events_failed + deliveries_failed)
