"""The writes of one routing batch: offers, the claims' guarded move to `assigned`, audit and outbox rows, in a
constant number of statements however many claims the batch offers.

`assign_claims` is the many-claims twin of `claims.transitions.transition_claim` for the one step routing takes
(queued → assigned): the same table decides, one `UPDATE … WHERE status = 'queued'` moves them all, each claim gets
its audit row and its `claim.status_changed` outbox row. `claims.transitions` is the place where a claim's status
changes, so this function belongs there (with `record_events` in `core.outbox`) once it has a second caller.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from claims.models import Claim, ClaimEvent, ClaimStatus
from claims.transitions import ALLOWED
from core.dispatch import enqueue_on_commit
from core.errors import IllegalTransition
from core.models import OutboxEvent
from core.names import Event, Task
from core.outbox import is_wanted
from reviews.models import Assignment


@dataclass(frozen=True)
class Offer:
    claim: Claim
    reviewer_id: int
    reviewer_name: str
    offered_at: datetime
    accept_by: datetime
    due_at: datetime


def record_events(name: str, object_ids: Sequence[int]) -> None:
    """core.outbox.record_event for many rows: one INSERT, and the deliveries sent after the commit if wanted."""
    wanted = is_wanted(name)
    state = OutboxEvent.State.PENDING if wanted else OutboxEvent.State.HANDLED
    handled_at = None if wanted else timezone.now()
    rows = [OutboxEvent(name=name, object_id=pk, state=state, handled_at=handled_at) for pk in object_ids]
    OutboxEvent.objects.bulk_create(rows, ignore_conflicts=True)
    if wanted:
        for pk in object_ids:
            enqueue_on_commit(Task.EMIT_EVENT, name, pk)


def assign_claims(claims: Sequence[Claim], notes: dict[int, str], actor=None) -> None:
    """Move locked, queued claims to `assigned`, audited; any claim that is not queued any more fails them all."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("assign_claims must run inside transaction.atomic()")
    to = ClaimStatus.ASSIGNED
    for claim in claims:
        if claim.status != ClaimStatus.QUEUED or to not in ALLOWED[claim.status]:
            raise IllegalTransition(f"A claim that is {claim.status} cannot become {to}.")
    now = timezone.now()
    ids = [claim.pk for claim in claims]
    # The WHERE re-checks the status in the database: the guard holds even for a caller whose rows went stale.
    moved = Claim.objects.filter(pk__in=ids, status=ClaimStatus.QUEUED).update(status=to, status_changed_at=now)
    if moved != len(ids):
        raise IllegalTransition(f"{len(ids) - moved} of {len(ids)} claims were no longer queued.")
    events = ClaimEvent.objects.bulk_create(
        ClaimEvent(claim=claim, actor=actor, from_status=ClaimStatus.QUEUED, to_status=to, note=notes[claim.pk])
        for claim in claims
    )
    for claim in claims:
        claim.status, claim.status_changed_at = to, now
    record_events(Event.CLAIM_STATUS_CHANGED, [event.pk for event in events])


def make_offers(offers: Sequence[Offer]) -> list[Assignment]:
    """Create the offers and move their claims to `assigned`; the reviewers hear of it after the commit."""
    if not offers:
        return []
    assignments = Assignment.objects.bulk_create(
        Assignment(
            claim=offer.claim,
            reviewer_id=offer.reviewer_id,
            offered_at=offer.offered_at,
            accept_by=offer.accept_by,
            due_at=offer.due_at,
        )
        for offer in offers
    )
    assign_claims([offer.claim for offer in offers], {o.claim.pk: f"Offered to {o.reviewer_name}" for o in offers})
    ids = [assignment.pk for assignment in assignments]
    if len(ids) == 1:
        enqueue_on_commit(Task.NOTIFY_OFFER, ids[0])
    else:
        enqueue_on_commit(Task.NOTIFY_OFFERS, ids)  # one message for the batch rather than one per offer
    return assignments
