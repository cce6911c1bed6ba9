"""The periodic sweep: deadlines are rows in the database, so a missed or repeated run loses and doubles nothing.

Each row is handled in its own transaction. A row that raises is logged with its id, counted and skipped, so one bad
row never stops expiry, escalation, routing or alerts for the rest of the desk; the rows that failed are kept as
`SweepFailure`s (replaced by each sweep) for the editors' desk stats.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from claims.models import Claim, ClaimStatus
from core import dispatch
from core.dispatch import enqueue_on_commit
from core.names import Task
from reviews.models import Assignment, AssignmentState, LastSweep, SweepFailure, UnroutableAlert
from reviews.services import notifications
from reviews.services.assignments import return_to_queue, route_waiting_claims

log = logging.getLogger(__name__)
BATCH = 500
T = TypeVar("T")
Step = SweepFailure.Step


@dataclass(frozen=True)
class SweepReport:
    expired: int
    escalated: int
    routed: int
    alerted: int
    remailed: int = 0
    failed: int = 0


class Isolation:
    """Runs the sweep's work one row at a time and keeps what failed instead of letting it stop the sweep."""

    def __init__(self) -> None:
        self.failures: list[SweepFailure] = []

    def run(self, step: str, row_id: int, claim_id: int, work: Callable[[], T]) -> T | None:
        try:
            return work()
        except Exception as exc:  # any error of one row: the others still get their turn
            log.exception("queue sweep: %s of row %s (claim %s) failed; skipped", step, row_id, claim_id)
            error = f"{type(exc).__name__}: {exc}"[:2000]
            self.failures.append(SweepFailure(step=step, row_id=row_id, claim_id=claim_id, error=error))
            return None

    @transaction.atomic
    def record(self) -> None:
        """What failed in this sweep replaces what failed in the last one."""
        SweepFailure.objects.all().delete()
        SweepFailure.objects.bulk_create(self.failures)


@transaction.atomic
def _expire_one(assignment_id: int, now: datetime) -> int:
    # Re-check under the lock: the reviewer may have accepted since the list was read.
    assignment = Assignment.objects.select_for_update().offers_expired_at(now).filter(pk=assignment_id).first()
    if assignment is None:
        return 0
    return_to_queue(assignment, state=AssignmentState.EXPIRED, note="Offer expired", now=now)
    return 1


def expire_offers(now: datetime, isolation: Isolation | None = None) -> int:
    """Offers not accepted in time: the claim goes back to the queue and that reviewer is not asked again."""
    rows = Assignment.objects.offers_expired_at(now).values_list("pk", "claim_id")[:BATCH]
    isolation = isolation or Isolation()
    return sum(
        isolation.run(Step.EXPIRE, pk, claim_id, lambda pk=pk: _expire_one(pk, now)) or 0 for pk, claim_id in rows
    )


@transaction.atomic
def _escalate_one(assignment_id: int, now: datetime) -> int:
    # A conditional UPDATE claims the escalation, so two sweeps at once notify only once. Whether the mail goes out
    # is its own stamp (escalation_mailed_at): a mail the broker refused is sent by a later sweep.
    if Assignment.objects.filter(pk=assignment_id, escalated_at=None).update(escalated_at=now):
        enqueue_on_commit(Task.NOTIFY_ESCALATION, assignment_id)
        return 1
    return 0


def escalate_overdue(now: datetime, isolation: Isolation | None = None) -> int:
    """Verdicts past due: mark the assignment once and tell the editors, who decide whether to reassign."""
    overdue = Assignment.objects.overdue_at(now).filter(state=AssignmentState.ACCEPTED, escalated_at=None)
    rows = overdue.values_list("pk", "claim_id")[:BATCH]
    isolation = isolation or Isolation()
    return sum(
        isolation.run(Step.ESCALATE, pk, claim_id, lambda pk=pk: _escalate_one(pk, now)) or 0 for pk, claim_id in rows
    )


@transaction.atomic
def _alert_one(claim_id: int, queued_since: datetime) -> int:
    _, created = UnroutableAlert.objects.get_or_create(claim_id=claim_id, queued_since=queued_since)
    if created:
        enqueue_on_commit(Task.NOTIFY_UNROUTABLE, claim_id)
    return int(created)


def alert_unroutable(now: datetime, isolation: Isolation | None = None) -> int:
    """Tell editors, once per stay in the queue, about claims that no reviewer could take for too long."""
    threshold = now - timedelta(minutes=settings.UNROUTABLE_ALERT_MINUTES)
    already_alerted = UnroutableAlert.objects.filter(claim=OuterRef("pk"), queued_since=OuterRef("status_changed_at"))
    waiting = (
        Claim.objects.filter(status=ClaimStatus.QUEUED, status_changed_at__lte=threshold)
        .exclude(Exists(already_alerted))
        .order_by("status_changed_at")
    )
    rows = waiting.values_list("pk", "status_changed_at")[:BATCH]
    isolation = isolation or Isolation()
    return sum(
        isolation.run(Step.ALERT, pk, pk, lambda pk=pk, since=since: _alert_one(pk, since)) or 0 for pk, since in rows
    )


def resend_unsent_mail(now: datetime) -> int:
    """Mail that never went out (its message refused by the broker, its worker killed, its send failed for good) is
    handed to a worker again: the mail is claimed and stamped by the task (reviews/services/notifications.py), so a
    message sent here for a mail that goes out meanwhile sends nothing. Escalating and alerting stamp their rows
    whether or not the mail goes out; this is what tells the editors all the same."""
    offers = list(notifications.unsent_offers(now).values_list("pk", flat=True)[:BATCH])
    if offers:
        dispatch.send(Task.NOTIFY_OFFERS, offers)  # one message, however many offers
    escalations = list(notifications.unsent_escalations(now).values_list("pk", flat=True)[:BATCH])
    for assignment_id in escalations:
        dispatch.send(Task.NOTIFY_ESCALATION, assignment_id)
    alerts = list(notifications.unsent_alerts(now).values_list("claim_id", flat=True)[:BATCH])
    for claim_id in alerts:
        dispatch.send(Task.NOTIFY_UNROUTABLE, claim_id)
    return len(offers) + len(escalations) + len(alerts)


def sweep(now: datetime | None = None) -> SweepReport:
    now = now or timezone.now()
    isolation = Isolation()
    report = SweepReport(
        expired=expire_offers(now, isolation),
        escalated=escalate_overdue(now, isolation),
        routed=route_waiting_claims(guard=lambda claim_id, work: isolation.run(Step.ROUTE, claim_id, claim_id, work)),
        alerted=alert_unroutable(now, isolation),
        remailed=resend_unsent_mail(now),
        failed=len(isolation.failures),
    )
    isolation.record()
    LastSweep.objects.update_or_create(pk=1, defaults={"finished_at": timezone.now(), "failed": report.failed})
    log.log(logging.WARNING if report.failed else logging.INFO, "queue sweep: %s", report)
    return report
