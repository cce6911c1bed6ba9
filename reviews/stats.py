"""Reads for the editors' view of the desk: where claims are, what is overdue, who carries what, how fast."""

from datetime import datetime, timedelta
from statistics import median

from django.db.models import Count, Max, Min, Q

from claims.models import Claim, ClaimEvent, ClaimStatus
from reviews.models import ACTIVE_STATES, Assignment, ReviewerProfile

MEDIAN_WINDOW = timedelta(days=90)


def status_counts() -> dict[str, int]:
    counts = dict(Claim.objects.order_by().values_list("status").annotate(n=Count("id")))
    return {status: counts.get(status, 0) for status in ClaimStatus.values}


def overdue_assignments(now: datetime) -> list[dict]:
    rows = Assignment.objects.overdue_at(now).select_related("reviewer").order_by("due_at")
    return [
        {
            "id": a.pk,
            "claim": a.claim_id,
            "reviewer": a.reviewer.get_username(),
            "state": a.state,
            "due_at": a.due_at,
            "escalated_at": a.escalated_at,
        }
        for a in rows
    ]


def reviewer_loads() -> list[dict]:
    profiles = (
        ReviewerProfile.objects.select_related("user")
        .annotate(load=Count("user__assignments", filter=Q(user__assignments__state__in=ACTIVE_STATES)))
        .order_by("user__username")
    )
    return [
        {
            "reviewer": p.user.get_username(),
            "load": p.load,
            "capacity": p.capacity,
            "active": p.active,
            "away_until": p.away_until,
        }
        for p in profiles
    ]


def median_queued_to_published(now: datetime) -> float | None:
    """Median seconds from a claim's first entry in the queue to its publication, over the last 90 days."""
    spans = (
        ClaimEvent.objects.filter(claim__status__in=[ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED])
        .values("claim")
        .annotate(
            queued=Min("at", filter=Q(to_status=ClaimStatus.QUEUED)),
            published=Max("at", filter=Q(to_status=ClaimStatus.PUBLISHED)),
        )
        .filter(published__gte=now - MEDIAN_WINDOW, queued__isnull=False)
        .order_by()
    )
    seconds = [(row["published"] - row["queued"]).total_seconds() for row in spans]
    return median(seconds) if seconds else None


def desk_stats(now: datetime) -> dict:
    return {
        "claims_by_status": status_counts(),
        "overdue": overdue_assignments(now),
        "reviewers": reviewer_loads(),
        "median_seconds_queued_to_published": median_queued_to_published(now),
    }
