"""Celery tasks of the queue: thin, take ids, re-read rows and return early when there is nothing left to do."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from core import dispatch
from core.names import Task
from reviews.services import assignments, batch_routing, notifications, sla

log = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError, ConnectionError)
MAIL_ERRORS = (*TRANSIENT, OSError)


@shared_task(name=Task.ROUTE_CLAIM, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def route_claim(claim_id: int) -> int | None:
    """Route the claim, and other queued claims with it in one batch (reviews.services.batch_routing explains)."""
    try:
        return batch_routing.route_claim_and_backlog(claim_id=claim_id)
    except TRANSIENT:
        raise
    except Exception:  # a bad row among the others must not keep this claim from being routed on its own
        log.warning("batch routing with claim %s failed; routing it alone", claim_id, exc_info=True)
        assignment = assignments.route_claim(claim_id=claim_id)
        return assignment.pk if assignment else None


@shared_task(name=Task.ROUTE_CLAIMS, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def route_claims(claim_ids: list[int]) -> int:
    """Route these claims (those still queued) in batches; answers how many were offered."""
    size = batch_routing.BATCH_SIZE
    chunks = [claim_ids[start : start + size] for start in range(0, len(claim_ids), size)]
    return sum(len(batch_routing.route_claims(claim_ids=chunk, limit=len(chunk)).routed) for chunk in chunks)


@shared_task(name=Task.SWEEP_QUEUE, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def sweep_queue() -> dict:
    """Every minute (celery beat): expire offers, escalate overdue work, route waiting claims, alert editors."""
    return sla.sweep().__dict__


@shared_task(name=Task.NOTIFY_OFFER, autoretry_for=MAIL_ERRORS, retry_backoff=True, max_retries=5)
def notify_offer(assignment_id: int) -> bool:
    return notifications.notify_offer(assignment_id)


@shared_task(name=Task.NOTIFY_OFFERS)
def notify_offers(assignment_ids: list[int]) -> int:
    """The offers of one routing batch. A failed email is handed to its own retrying task rather than retrying the
    batch, which would send the emails that went out a second time."""
    sent = 0
    for position, assignment_id in enumerate(assignment_ids):
        try:
            sent += notifications.notify_offer(assignment_id)
        except MAIL_ERRORS:
            log.warning("offer email for assignment %s failed; retried on its own", assignment_id, exc_info=True)
            for pending in assignment_ids[position:]:
                dispatch.send(Task.NOTIFY_OFFER, pending)
            break
    return sent


@shared_task(name=Task.NOTIFY_ESCALATION, autoretry_for=MAIL_ERRORS, retry_backoff=True, max_retries=5)
def notify_escalation(assignment_id: int) -> bool:
    return notifications.notify_escalation(assignment_id)


@shared_task(name=Task.NOTIFY_UNROUTABLE, autoretry_for=MAIL_ERRORS, retry_backoff=True, max_retries=5)
def notify_unroutable(claim_id: int) -> bool:
    return notifications.notify_unroutable(claim_id)
