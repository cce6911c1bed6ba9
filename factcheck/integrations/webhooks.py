"""Webhooks: endpoints editors register, events fanned out to them as deliveries, and the signed POST of each.

Flow: a service commits a change and enqueues "factcheck.emit_event" with the event name and one id (claims do so from
transition_claim, factcheck from publishing). fan_out() builds the event's JSON once, stores one WebhookDelivery per
subscribed active endpoint and enqueues "factcheck.deliver_webhook" for each; attempt_delivery() sends it. The
signature scheme is documented for receivers in docs/webhooks.md.
"""

import hashlib
import hmac
import http.client
import json
import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims.models import ClaimEvent
from core import netguard
from core.dispatch import enqueue_on_commit
from core.errors import InvalidInput
from core.names import Task
from core.roles import require_editor
from factcheck.integrations.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from factcheck.record import selectors
from factcheck.record.models import FactCheck, FactCheckVersion
from factcheck.record.serializers import FactCheckSerializer

TIMEOUT_SECONDS = 10
MAX_ANSWER_BYTES = 2048
EDITABLE_FIELDS = frozenset({"url", "secret", "events", "description", "active"})
Status = WebhookDelivery.Status
# What an event builder returns: when it happened and its "data", or None when the row is gone.
Built = tuple[datetime, dict] | None


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Factcheck-Signature value: HMAC-SHA256 over "<timestamp>.<body>", so a captured body cannot be replayed
    later under a fresh timestamp."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


# Endpoints, managed by editors through the API


def _checked_url(url: str) -> str:
    try:
        netguard.resolve(url, allow_private=settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS)
    except netguard.UnsafeTarget as exc:
        raise InvalidInput({"url": [str(exc)]}) from None
    return url


@transaction.atomic
def register_endpoint(
    *, editor, url: str, secret: str, events: list[str], description: str = "", active: bool = True
) -> WebhookEndpoint:
    require_editor(editor, "manage webhooks")
    return WebhookEndpoint.objects.create(
        url=_checked_url(url),
        secret=secret,
        events=events,
        description=description,
        active=active,
        created_by=editor,
    )


@transaction.atomic
def update_endpoint(*, editor, endpoint_id: int, **changes) -> WebhookEndpoint:
    """Change any of url, secret, events, description, active; fields not given stay as they are."""
    require_editor(editor, "manage webhooks")
    if unknown := set(changes) - EDITABLE_FIELDS:
        raise TypeError(f"update_endpoint() cannot change {sorted(unknown)}")
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint_id)
    if "url" in changes:
        _checked_url(changes["url"])
    for field, value in changes.items():
        setattr(endpoint, field, value)
    if changes:
        endpoint.save(update_fields=list(changes))
    return endpoint


@transaction.atomic
def delete_endpoint(*, editor, endpoint_id: int) -> None:
    require_editor(editor, "manage webhooks")
    WebhookEndpoint.objects.filter(pk=endpoint_id).delete()


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


@transaction.atomic
def fan_out(event: str, object_id: int) -> list[int]:
    """Create a pending delivery of `event` for every active endpoint that wants it; returns their ids.

    Running twice for one event (a redelivered task) adds no second delivery for an endpoint that has one.
    """
    if event not in _BUILDERS:
        raise ValueError(f"Unknown webhook event {event!r}")
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
    rows = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint=endpoint, event=event, payload=payload)
        for endpoint in endpoints
        if endpoint.pk not in done
    )
    for row in rows:
        enqueue_on_commit(Task.DELIVER_WEBHOOK, row.pk)
    return [row.pk for row in rows]


def resend(delivery_ids: list[int]) -> int:
    """Start deliveries again with a full set of attempts (the admin's "send again")."""
    with transaction.atomic():
        ids = list(
            WebhookDelivery.objects.filter(pk__in=delivery_ids)
            .exclude(status=Status.PENDING)
            .values_list("pk", flat=True)
        )
        WebhookDelivery.objects.filter(pk__in=ids).update(status=Status.PENDING, attempts=0, last_error="")
        for pk in ids:
            enqueue_on_commit(Task.DELIVER_WEBHOOK, pk)
    return len(ids)


# Delivery


class Result(StrEnum):
    SUCCEEDED = "succeeded"
    RETRY = "retry"  # failed this time; the task tries again after backoff_seconds(attempts)
    FAILED = "failed"  # given up: out of attempts, endpoint gone or inactive, or a refused target
    SKIPPED = "skipped"  # no longer pending (already delivered or given up): nothing to do


@dataclass(frozen=True)
class Outcome:
    result: Result
    attempts: int


def backoff_seconds(attempts: int) -> int:
    """Wait after the n-th failed attempt: base, 2 x base, 4 x base… (30 s to 8 min by default), well under the
    broker's visibility timeout so no long ETA sits on Redis."""
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
    delivery.delivered_at = timezone.now() if result is Result.SUCCEEDED else None
    delivery.save(update_fields=["status", "last_status_code", "last_response", "last_error", "delivered_at"])
    return Outcome(result, delivery.attempts)


def attempt_delivery(delivery_id: int) -> Outcome:
    """POST a pending delivery once and record what happened. At least once: a receiver may see a delivery twice
    (a worker lost after sending) and should ignore a repeated X-Factcheck-Delivery."""
    started = WebhookDelivery.objects.filter(pk=delivery_id, status=Status.PENDING).update(attempts=F("attempts") + 1)
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
