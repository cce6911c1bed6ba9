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


# Claims whose reviewers another router held through all of a task's rounds are sent again this much later, this
# many times; past that the queue sweep finds them.
HELD_RETRY_S = 1.0
HELD_RETRIES = 5


def _route_later(held: list[int], attempt: int) -> None:
    if held and attempt < HELD_RETRIES:
        dispatch.send(Task.ROUTE_CLAIMS, held, attempt + 1, countdown=HELD_RETRY_S * (attempt + 1))


@shared_task(name=Task.ROUTE_CLAIM, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def route_claim(claim_id: int) -> int | None:
    """Route the claim, and other queued claims with it in one batch (reviews.services.batch_routing explains)."""
    try:
        result = batch_routing.route_claim_and_backlog(claim_id=claim_id)
    except TRANSIENT:
        raise
    except Exception:  # a bad row among the others must not keep this claim from being routed on its own
        log.warning("batch routing with claim %s failed; routing it alone", claim_id, exc_info=True)
        assignment = assignments.route_claim(claim_id=claim_id)
        return assignment.pk if assignment else None
    _route_later(result.held, attempt=0)
    return result.routed.get(claim_id)


@shared_task(name=Task.ROUTE_CLAIMS, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def route_claims(claim_ids: list[int], attempt: int = 0) -> int:
    """Route these claims (those still queued) in batches; answers how many were offered."""
    result = batch_routing.route_listed(claim_ids)
    _route_later(result.held, attempt)
    return len(result.routed)


@shared_task(name=Task.SWEEP_QUEUE, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def sweep_queue() -> dict:
    """Every minute (celery beat): expire offers, escalate overdue work, route waiting claims, alert editors."""
    return sla.sweep().__dict__


@shared_task(name=Task.NOTIFY_OFFER, autoretry_for=MAIL_ERRORS, retry_backoff=True, max_retries=5)
def notify_offer(assignment_id: int) -> bool:
    return notifications.notify_offer(assignment_id)


@shared_task(name=Task.NOTIFY_OFFERS)
def notify_offers(assignment_ids: list[int]) -> int:
    """The offers of one routing batch (or those the sweep found unsent). Each email is claimed and stamped on its
    own, so a batch that runs again sends only what has not gone out. A failed email is handed to its own retrying
    task rather than retrying the batch."""
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
