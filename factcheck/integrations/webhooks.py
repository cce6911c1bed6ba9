"""Webhooks: endpoints editors register, events fanned out to them as deliveries, and the signed POST of each.

Flow: a service records the event in the outbox in the transaction of its change (core.outbox.record_event: claims
from transition_claim, factcheck from publishing), which sends "factcheck.emit_event" after the commit when an
endpoint wants it. fan_out() builds the event's JSON once, stores one WebhookDelivery per subscribed active endpoint
and marks the outbox row handled in the same transaction, then enqueues "factcheck.deliver_webhook" for each;
attempt_delivery() sends it once. Retries are rows: a failed attempt sets next_attempt_at, and the beat sweep
(webhook_sweep.py) sends what is due, as it does for outbox rows and deliveries whose broker message was lost. The
signature scheme is documented for receivers in docs/webhooks.md.
"""

import hashlib
import hmac
import http.client
import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims.models import ClaimEvent
from core import netguard, outbox
from core.dispatch import enqueue_on_commit
from core.names import Task
from factcheck.integrations.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from factcheck.record import selectors
from factcheck.record.models import FactCheck, FactCheckVersion
from factcheck.record.serializers import FactCheckSerializer

TIMEOUT_SECONDS = 10
MAX_ANSWER_BYTES = 2048
# How long a delivery handed to the broker may wait for its attempt before the sweep sends it again: far longer than
# one attempt takes, so it runs out only when the message or the worker was lost.
LEASE = timedelta(seconds=6 * TIMEOUT_SECONDS)
Status = WebhookDelivery.Status
# What an event builder returns: when it happened and its "data", or None when the row is gone.
Built = tuple[datetime, dict] | None


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Factcheck-Signature value: HMAC-SHA256 over "<timestamp>.<body>", so a captured body cannot be replayed
    later under a fresh timestamp."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


# Events: what each one says, built once per event and shared by every endpoint


def _json_safe(data: dict) -> dict:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _public_fact_check(fact_check_id: int) -> dict:
    fact_check = selectors.public_fact_checks().prefetch_related("versions").get(pk=fact_check_id)
    return FactCheckSerializer(fact_check).data


def _status_changed(transition_id: int) -> Built:
    transition = ClaimEvent.objects.select_related("claim").filter(pk=transition_id).first()
    if transition is None:
        return None
    claim = transition.claim
    # Who moved it and their note stay on the desk: receivers may be outside the newsroom.
    data = {
        "claim": {"id": claim.pk, "text": claim.text, "language": claim.language},
        "from": transition.from_status or None,
        "to": transition.to_status,
    }
    return transition.at, data


def _version_event(version_id: int) -> Built:
    version = FactCheckVersion.objects.select_related("rating", "fact_check").filter(pk=version_id).first()
    if version is None:
        return None
    data = {
        "claim": {"id": version.fact_check.claim_id},
        "fact_check": _public_fact_check(version.fact_check_id),
        "version": {
            "number": version.number,
            "rating": version.rating.slug,
            "note": version.note,
            "created_at": version.created_at,
        },
    }
    return version.created_at, data


def _retracted(fact_check_id: int) -> Built:
    fact_check = FactCheck.objects.filter(pk=fact_check_id).first()
    if fact_check is None or fact_check.retracted_at is None:
        return None
    data = {"claim": {"id": fact_check.claim_id}, "fact_check": _public_fact_check(fact_check_id)}
    return fact_check.retracted_at, data


# Each event names the row it is about: a status transition (ClaimEvent), a published or corrected version, or the
# retracted fact-check.
_BUILDERS = {
    WebhookEvent.CLAIM_STATUS_CHANGED: _status_changed,
    WebhookEvent.FACTCHECK_PUBLISHED: _version_event,
    WebhookEvent.FACTCHECK_CORRECTED: _version_event,
    WebhookEvent.FACTCHECK_RETRACTED: _retracted,
}


def is_wanted(event: str) -> bool:
    """Does an active endpoint listen to `event`? Asked by the outbox before it sends anything to the broker."""
    subscriptions = WebhookEndpoint.objects.filter(active=True).values_list("events", flat=True)
    return any(event in events for events in subscriptions)


@transaction.atomic
def fan_out(event: str, object_id: int) -> list[int]:
    """Create a pending delivery of `event` for every active endpoint that wants it; returns their ids.

    The event's outbox row is marked handled in the same transaction. Running twice for one event (a redelivered
    task, the sweep) adds no second delivery for an endpoint that has one.
    """
    if event not in _BUILDERS:
        raise ValueError(f"Unknown webhook event {event!r}")
    if not outbox.start_handling(event, object_id):
        return []
    outbox.mark_handled(event, object_id)
    endpoints = [e for e in WebhookEndpoint.objects.filter(active=True) if event in e.events]
    built = _BUILDERS[event](object_id) if endpoints else None
    if built is None:
        return []
    occurred_at, data = built
    event_id = f"{event}:{object_id}"
    payload = _json_safe({"event_id": event_id, "event": event, "occurred_at": occurred_at, "data": data})
    done = set(
        WebhookDelivery.objects.filter(endpoint__in=endpoints, event=event, payload__event_id=event_id).values_list(
            "endpoint_id", flat=True
        )
    )
    leased_until = timezone.now() + LEASE
    rows = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint=endpoint, event=event, payload=payload, next_attempt_at=leased_until)
        for endpoint in endpoints
        if endpoint.pk not in done
    )
    for row in rows:
        enqueue_on_commit(Task.DELIVER_WEBHOOK, row.pk, 0)
    return [row.pk for row in rows]


def resend(delivery_ids: list[int]) -> int:
    """Start deliveries again with a full set of attempts (the admin's "send again")."""
    with transaction.atomic():
        ids = list(
            WebhookDelivery.objects.filter(pk__in=delivery_ids)
            .exclude(status=Status.PENDING)
            .values_list("pk", flat=True)
        )
        WebhookDelivery.objects.filter(pk__in=ids).update(
            status=Status.PENDING, attempts=0, last_error="", next_attempt_at=timezone.now() + LEASE
        )
        for pk in ids:
            enqueue_on_commit(Task.DELIVER_WEBHOOK, pk, 0)
    return len(ids)


# Delivery


class Result(StrEnum):
    SUCCEEDED = "succeeded"
    RETRY = "retry"  # failed this time; the sweep tries again at next_attempt_at, backoff_seconds(attempts) later
    FAILED = "failed"  # given up: out of attempts, endpoint gone or inactive, or a refused target
    SKIPPED = "skipped"  # no longer pending (already delivered or given up): nothing to do


@dataclass(frozen=True)
class Outcome:
    result: Result
    attempts: int


def backoff_seconds(attempts: int) -> int:
    """Wait after the n-th failed attempt: base, 2 x base, 4 x base… (30 s to 8 min by default)."""
    return settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(
        {"delivery_id": delivery.pk, **delivery.payload}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def _finish(
    delivery: WebhookDelivery, result: Result, *, code: int | None = None, answer: str = "", error: str = ""
) -> Outcome:
    if result is Result.RETRY and delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        result = Result.FAILED
    delivery.status = {Result.SUCCEEDED: Status.SUCCEEDED, Result.FAILED: Status.FAILED}.get(result, Status.PENDING)
    delivery.last_status_code, delivery.last_response, delivery.last_error = code, answer, error
    now = timezone.now()
    delivery.delivered_at = now if result is Result.SUCCEEDED else None
    retry = result is Result.RETRY
    delivery.next_attempt_at = now + timedelta(seconds=backoff_seconds(delivery.attempts)) if retry else None
    delivery.save(
        update_fields=["status", "last_status_code", "last_response", "last_error", "delivered_at", "next_attempt_at"]
    )
    return Outcome(result, delivery.attempts)


def attempt_delivery(delivery_id: int, attempts: int | None = None) -> Outcome:
    """POST a pending delivery once and record what happened. At least once: a receiver may see a delivery twice
    (a worker lost after sending) and should ignore a repeated X-Factcheck-Delivery.

    `attempts` is how many attempts the row had when this one was asked for: a message the broker delivers again
    after that attempt started (a lost worker, a sweep that sent it twice) no longer matches and does nothing.
    """
    rows = WebhookDelivery.objects.filter(pk=delivery_id, status=Status.PENDING)
    if attempts is not None:
        rows = rows.filter(attempts=attempts)
    # Started: counted, and leased, so the sweep leaves it alone unless this attempt is lost on the way.
    started = rows.update(attempts=F("attempts") + 1, next_attempt_at=timezone.now() + LEASE)
    if not started:
        return Outcome(Result.SKIPPED, 0)
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.active or delivery.event not in endpoint.events:
        return _finish(delivery, Result.FAILED, error="The endpoint is inactive or no longer wants this event.")
    try:
        # Checked again at every attempt: the host's DNS answer may have changed since registration.
        target = netguard.resolve(endpoint.url, allow_private=settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS)
    except netguard.Unresolvable as exc:
        return _finish(delivery, Result.RETRY, error=str(exc))
    except netguard.UnsafeTarget as exc:
        return _finish(delivery, Result.FAILED, error=f"Refused: {exc}")
    body, timestamp = body_of(delivery), int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "FactcheckDesk-Webhooks/1",
        "X-Factcheck-Event": delivery.event,
        "X-Factcheck-Delivery": str(delivery.pk),
        "X-Factcheck-Timestamp": str(timestamp),
        "X-Factcheck-Signature": sign(endpoint.secret, timestamp, body),
    }
    try:
        code, answer = netguard.post(target, body, headers, timeout=TIMEOUT_SECONDS, max_answer=MAX_ANSWER_BYTES)
    except (OSError, http.client.HTTPException) as exc:  # refused, reset, timed out, TLS, garbled answer
        return _finish(delivery, Result.RETRY, error=f"{type(exc).__name__}: {exc}"[:1000])
    # PostgreSQL text cannot hold NUL; the answer is only kept for people to read.
    text = answer.decode("utf-8", errors="replace").replace("\x00", "")
    if 200 <= code < 300:
        return _finish(delivery, Result.SUCCEEDED, code=code, answer=text)
    return _finish(delivery, Result.RETRY, code=code, answer=text, error=f"The receiver answered HTTP {code}.")
