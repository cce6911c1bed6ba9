"""The periodic sweep: deadlines are rows in the database, so a missed or repeated run loses and doubles nothing."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from claims.models import Claim, ClaimStatus
from core.dispatch import enqueue_on_commit
from core.names import Task
from reviews.models import Assignment, AssignmentState, UnroutableAlert
from reviews.services.assignments import return_to_queue, route_waiting_claims

log = logging.getLogger(__name__)
BATCH = 500


@dataclass(frozen=True)
class SweepReport:
    expired: int
    escalated: int
    routed: int
    alerted: int


def expire_offers(now: datetime) -> int:
    """Offers not accepted in time: the claim goes back to the queue and that reviewer is not asked again."""
    expired = 0
    for assignment_id in Assignment.objects.offers_expired_at(now).values_list("pk", flat=True)[:BATCH]:
        with transaction.atomic():
            # Re-check under the lock: the reviewer may have accepted since the list was read.
            assignment = Assignment.objects.select_for_update().offers_expired_at(now).filter(pk=assignment_id).first()
            if assignment is None:
                continue
            return_to_queue(assignment, state=AssignmentState.EXPIRED, note="Offer expired", now=now)
            expired += 1
    return expired


def escalate_overdue(now: datetime) -> int:
    """Verdicts past due: mark the assignment once and tell the editors, who decide whether to reassign."""
    escalated = 0
    overdue = Assignment.objects.filter(state=AssignmentState.ACCEPTED, due_at__lte=now, escalated_at=None)
    for assignment_id in overdue.values_list("pk", flat=True)[:BATCH]:
        with transaction.atomic():
            # A conditional UPDATE claims the escalation, so two sweeps at once notify only once.
            if Assignment.objects.filter(pk=assignment_id, escalated_at=None).update(escalated_at=now):
                enqueue_on_commit(Task.NOTIFY_ESCALATION, assignment_id)
                escalated += 1
    return escalated


def alert_unroutable(now: datetime) -> int:
    """Tell editors, once per stay in the queue, about claims that no reviewer could take for too long."""
    threshold = now - timedelta(minutes=settings.UNROUTABLE_ALERT_MINUTES)
    already_alerted = UnroutableAlert.objects.filter(claim=OuterRef("pk"), queued_since=OuterRef("status_changed_at"))
    waiting = (
        Claim.objects.filter(status=ClaimStatus.QUEUED, status_changed_at__lte=threshold)
        .exclude(Exists(already_alerted))
        .order_by("status_changed_at")
    )
    alerted = 0
    for claim_id, queued_since in waiting.values_list("pk", "status_changed_at")[:BATCH]:
        with transaction.atomic():
            _, created = UnroutableAlert.objects.get_or_create(claim_id=claim_id, queued_since=queued_since)
            if created:
                enqueue_on_commit(Task.NOTIFY_UNROUTABLE, claim_id)
                alerted += 1
    return alerted


def sweep(now: datetime | None = None) -> SweepReport:
    now = now or timezone.now()
    report = SweepReport(
        expired=expire_offers(now),
        escalated=escalate_overdue(now),
        routed=route_waiting_claims(),
        alerted=alert_unroutable(now),
    )
    log.info("queue sweep: %s", report)
    return report
