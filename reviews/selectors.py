"""Reads for the desk: routing candidates, assignments and reviews visible to a user."""

from collections import defaultdict

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from claims.models import Claim
from claims.roles import is_editor
from reviews.models import ACTIVE_STATES, Assignment, AssignmentState, ReviewerProfile
from reviews.routing import Candidate, ClaimFacts


def claim_facts(claim: Claim) -> ClaimFacts:
    excluded = Assignment.objects.filter(
        claim=claim, state__in=[AssignmentState.DECLINED, AssignmentState.EXPIRED]
    ).values_list("reviewer_id", flat=True)
    return ClaimFacts(
        language=claim.language,
        topics=frozenset(claim.topics.values_list("slug", flat=True)),
        submitted_by_id=claim.submitted_by_id,
        excluded_reviewer_ids=frozenset(excluded),
    )


_ACTIVE_LOAD = Coalesce(
    Subquery(
        Assignment.objects.filter(reviewer=OuterRef("user_id"), state__in=ACTIVE_STATES)
        .order_by()
        .values("reviewer")
        .annotate(n=Count("pk"))
        .values("n")
    ),
    0,
)
_LAST_OFFERED_AT = Subquery(
    Assignment.objects.filter(reviewer=OuterRef("user_id")).order_by("-offered_at").values("offered_at")[:1]
)


def routing_candidates(language: str) -> list[Candidate]:
    today = timezone.localdate()
    rows = (
        ReviewerProfile.objects.filter(active=True, user__is_active=True)
        .filter(Q(away_until__isnull=True) | Q(away_until__lte=today))
        # Subqueries read only a reviewer's active rows and newest offer through indexes, so routing costs the same
        # however many finished assignments the desk has accumulated (a join over all of them grew without bound).
        .annotate(load=_ACTIVE_LOAD, last_offered_at=_LAST_OFFERED_AT)
        .values_list("pk", "user_id", "languages", "capacity", "load", "last_offered_at")
    )
    speakers = [row for row in rows if language in row[2]]
    # Plain rows and one query for all topics: model instances and a prefetch per profile cost routing more than
    # the SQL does (bench/README.md).
    topics: dict[int, set[str]] = defaultdict(set)
    if speakers:
        links = ReviewerProfile.topics.through.objects.filter(reviewerprofile_id__in=[row[0] for row in speakers])
        for profile_id, slug in links.values_list("reviewerprofile_id", "topic__slug"):
            topics[profile_id].add(slug)
    return [
        Candidate(
            user_id=user_id,
            languages=frozenset(languages),
            topics=frozenset(topics[pk]),
            capacity=capacity,
            load=load,
            last_offered_at=last_offered_at,
        )
        for pk, user_id, languages, capacity, load, last_offered_at in speakers
    ]


def active_load(user_id: int) -> int:
    return Assignment.objects.active().filter(reviewer_id=user_id).count()


def assignments_visible_to(user) -> QuerySet[Assignment]:
    qs = Assignment.objects.select_related("reviewer", "claim")
    return qs if is_editor(user) else qs.filter(reviewer=user)


def queue_reason(claim: Claim) -> str:
    """Why a queued claim has no reviewer yet, in words an editor can act on."""
    facts = claim_facts(claim)
    speakers = routing_candidates(claim.language)
    if not speakers:
        return f"no available reviewer works in '{claim.language}'"
    allowed = [
        c for c in speakers if c.user_id != facts.submitted_by_id and c.user_id not in facts.excluded_reviewer_ids
    ]
    if not allowed:
        return "every available reviewer for its language submitted it, declined it or let an offer expire"
    if all(c.load >= c.capacity for c in allowed):
        return "all eligible reviewers are at capacity"
    return "waiting for routing"
