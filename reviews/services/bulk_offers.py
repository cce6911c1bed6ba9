"""The writes of one routing batch: offers, the claims' guarded move to `assigned`, audit and outbox rows, in a
constant number of statements however many claims the batch offers.

The move itself is `claims.transitions.transition_claims` (queued → assigned, checked against the same table as one
claim's move), which writes the audit rows and their outbox rows (`core.outbox.record_events`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from claims.models import Claim, ClaimStatus
from claims.transitions import transition_claims
from core.dispatch import enqueue_on_commit
from core.names import Task
from reviews.models import Assignment


@dataclass(frozen=True)
class Offer:
    claim: Claim
    reviewer_id: int
    reviewer_name: str
    offered_at: datetime
    accept_by: datetime
    due_at: datetime


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
    transition_claims(
        [offer.claim for offer in offers],
        start=ClaimStatus.QUEUED,
        to=ClaimStatus.ASSIGNED,
        notes={offer.claim.pk: f"Offered to {offer.reviewer_name}" for offer in offers},
    )
    ids = [assignment.pk for assignment in assignments]
    if len(ids) == 1:
        enqueue_on_commit(Task.NOTIFY_OFFER, ids[0])
    else:
        enqueue_on_commit(Task.NOTIFY_OFFERS, ids)  # one message for the batch rather than one per offer
    return assignments
