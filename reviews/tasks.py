"""Celery tasks of the queue: thin, take ids, re-read rows and return early when there is nothing left to do."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from core.names import Task
from reviews.services import assignments, notifications, sla

TRANSIENT = (OperationalError, InterfaceError, ConnectionError)
MAIL_ERRORS = (*TRANSIENT, OSError)


@shared_task(name=Task.ROUTE_CLAIM, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def route_claim(claim_id: int) -> int | None:
    assignment = assignments.route_claim(claim_id=claim_id)
    return assignment.pk if assignment else None


@shared_task(name=Task.SWEEP_QUEUE, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def sweep_queue() -> dict:
    """Every minute (celery beat): expire offers, escalate overdue work, route waiting claims, alert editors."""
    return sla.sweep().__dict__


@shared_task(name=Task.NOTIFY_OFFER, autoretry_for=MAIL_ERRORS, retry_backoff=True, max_retries=5)
def notify_offer(assignment_id: int) -> bool:
    return notifications.notify_offer(assignment_id)


@shared_task(name=Task.NOTIFY_ESCALATION, autoretry_for=MAIL_ERRORS, retry_backoff=True, max_retries=5)
def notify_escalation(assignment_id: int) -> bool:
    return notifications.notify_escalation(assignment_id)


@shared_task(name=Task.NOTIFY_UNROUTABLE, autoretry_for=MAIL_ERRORS, retry_backoff=True, max_retries=5)
def notify_unroutable(claim_id: int) -> bool:
    return notifications.notify_unroutable(claim_id)
