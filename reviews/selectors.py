"""Reads for the desk: routing candidates, who sees which claim and assignment, and the editors' desk figures."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from django.db.models import (
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from claims.models import Claim, Claimant, ClaimEvent, ClaimStatus, Report, Topic
from claims.selectors import claimants_named_on
from core.languages import language_name
from core.roles import Role, has_role, is_editor, roles_of
from reviews.models import ACTIVE_STATES, Assignment, AssignmentState, ReviewerProfile, SweepFailure
from reviews.routing import Candidate, ClaimFacts, is_eligible

# Offers a reviewer turned down or let lapse: that reviewer is not asked about the claim again.
ENDED_OFFER_STATES = (AssignmentState.DECLINED, AssignmentState.EXPIRED)
ENDED_OFFERS = "ended_offers"  # where prefetch_routing_facts puts a claim's ended offers


def prefetch_routing_facts(claims: Sequence[Claim]) -> None:
    """Load what claim_facts reads for all these claims in two queries, instead of two per claim."""
    ended = Assignment.objects.filter(state__in=ENDED_OFFER_STATES).only("pk", "claim_id", "reviewer_id")
    prefetch_related_objects(
        list(claims),
        Prefetch("topics", queryset=Topic.objects.only("pk", "slug")),
        Prefetch("assignments", queryset=ended, to_attr=ENDED_OFFERS),
    )


def claim_facts(claim: Claim) -> ClaimFacts:
    if "topics" in getattr(claim, "_prefetched_objects_cache", {}):
        topics = frozenset(topic.slug for topic in claim.topics.all())
    else:
        topics = frozenset(claim.topics.values_list("slug", flat=True))
    ended = getattr(claim, ENDED_OFFERS, None)
    if ended is None:
        excluded = frozenset(
            Assignment.objects.filter(claim=claim, state__in=ENDED_OFFER_STATES).values_list("reviewer_id", flat=True)
        )
    else:
        excluded = frozenset(assignment.reviewer_id for assignment in ended)
    return ClaimFacts(
        language=claim.language,
        topics=topics,
        submitted_by_id=claim.submitted_by_id,
        excluded_reviewer_ids=excluded,
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


def _available_profiles() -> QuerySet[ReviewerProfile]:
    today = timezone.localdate()
    return ReviewerProfile.objects.filter(active=True, user__is_active=True).filter(
        Q(away_until__isnull=True) | Q(away_until__lte=today)
    )


def _topics_of(profile_ids: list[int]) -> dict[int, set[str]]:
    topics: dict[int, set[str]] = defaultdict(set)
    if profile_ids:
        links = ReviewerProfile.topics.through.objects.filter(reviewerprofile_id__in=profile_ids)
        for profile_id, slug in links.values_list("reviewerprofile_id", "topic__slug"):
            topics[profile_id].add(slug)
    return topics


def routing_candidates(language: str) -> list[Candidate]:
    rows = (
        _available_profiles()
        # Subqueries read only a reviewer's active rows and newest offer through indexes, so routing costs the same
        # however many finished assignments the desk has accumulated (a join over all of them grew without bound).
        .annotate(load=_ACTIVE_LOAD, last_offered_at=_LAST_OFFERED_AT)
        .values_list("pk", "user_id", "languages", "capacity", "load", "last_offered_at")
    )
    speakers = [row for row in rows if language in row[2]]
    # Plain rows and one query for all topics: model instances and a prefetch per profile cost routing more than
    # the SQL does (bench/README.md).
    topics = _topics_of([row[0] for row in speakers])
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


@dataclass(frozen=True)
class Speaker:
    """An available reviewer who works in at least one of the languages asked about, before their load is read."""

    profile_id: int
    user_id: int
    username: str
    languages: frozenset[str]
    topics: frozenset[str]
    capacity: int


def speakers_of(languages: set[str]) -> list[Speaker]:
    """Available reviewers of any of `languages`, with their topics: two queries whatever the number of languages."""
    rows = _available_profiles().values_list("pk", "user_id", "user__username", "languages", "capacity")
    speakers = [row for row in rows if languages.intersection(row[3])]
    topics = _topics_of([row[0] for row in speakers])
    return [
        Speaker(pk, user_id, username, frozenset(langs), frozenset(topics[pk]), capacity)
        for pk, user_id, username, langs, capacity in speakers
    ]


def loads_of(profile_ids: list[int]) -> dict[int, tuple[int, datetime | None]]:
    """user id → (active assignments, newest offer) of these reviewers, in one query.

    Read after their profiles are locked, in a statement of its own: under READ COMMITTED it then sees every offer
    committed by whoever held a lock before, which a load read in the locking statement itself would miss.
    """
    rows = (
        ReviewerProfile.objects.filter(pk__in=profile_ids)
        .annotate(load=_ACTIVE_LOAD, last_offered_at=_LAST_OFFERED_AT)
        .values_list("user_id", "load", "last_offered_at")
    )
    return {user_id: (load, last_offered_at) for user_id, load, last_offered_at in rows}


def active_load(user_id: int) -> int:
    return Assignment.objects.active().filter(reviewer_id=user_id).count()


def assignments_visible_to(user) -> QuerySet[Assignment]:
    qs = Assignment.objects.select_related("reviewer", "claim")
    return qs if is_editor(user) else qs.filter(reviewer=user)


WAITING_FOR_ROUTING = "waiting for routing"


def queue_reason(claim: Claim) -> str:
    """Why a queued claim has no reviewer yet, in words an editor can act on."""
    facts = claim_facts(claim)
    speakers = routing_candidates(claim.language)
    if not speakers:
        return f"no available reviewer works in {language_name(claim.language)} ({claim.language})"
    allowed = [
        c for c in speakers if c.user_id != facts.submitted_by_id and c.user_id not in facts.excluded_reviewer_ids
    ]
    if not allowed:
        return "every available reviewer for its language submitted it, declined it or let an offer expire"
    if all(c.load >= c.capacity for c in allowed):
        return "all eligible reviewers are at capacity"
    return WAITING_FOR_ROUTING


# Who sees which claim: editors all, journalists what they submitted, reviewers what was offered or given to them.
_REVIEWER_VISIBLE_STATES = (AssignmentState.OFFERED, AssignmentState.ACCEPTED, AssignmentState.COMPLETED)


def _reviewer_claim_ids(user) -> QuerySet[Claim]:
    return Assignment.objects.filter(reviewer=user, state__in=_REVIEWER_VISIBLE_STATES).values("claim_id")


def claims_visible_to(user) -> QuerySet[Claim]:
    roles = roles_of(user)
    qs = Claim.objects.all()
    if Role.EDITOR in roles:
        return qs
    condition = Q(pk__in=[])
    if Role.JOURNALIST in roles:
        condition |= Q(submitted_by=user)
    if Role.REVIEWER in roles:
        condition |= Q(pk__in=_reviewer_claim_ids(user))
    return qs.filter(condition)


def claimants_visible_to(user) -> QuerySet[Claimant]:
    """Claimants on a claim the user may see (editors: all), or on a published verdict. The API and every other
    list of claimants read them here, so a private claim's claimant stays as private as the claim."""
    if is_editor(user):
        return Claimant.objects.all()
    return claimants_named_on(claims_visible_to(user))


def claims_reviewable_by(user) -> QuerySet[Claim]:
    """Claims whose review (draft included) the user may read: editors all, reviewers those offered or assigned to
    them. A journalist sees the claims they submitted but reads the verdict once it is published, not the draft."""
    if is_editor(user):
        return Claim.objects.all()
    if has_role(user, Role.REVIEWER):
        return Claim.objects.filter(pk__in=_reviewer_claim_ids(user))
    return Claim.objects.none()


def last_assignment_of(user, claim_id: int) -> Assignment | None:
    """The user's latest assignment on the claim in any state: a reviewer who lost the claim (reassigned, expired,
    declined) is told so, while one who never had it only learns there is nothing here."""
    return Assignment.objects.filter(reviewer=user, claim_id=claim_id).order_by("-offered_at", "-id").first()


def overdue_claim_ids(now: datetime) -> QuerySet[Assignment]:
    """Ids of claims whose active assignment is past its verdict's due time (a subquery, for filters)."""
    return Assignment.objects.overdue_at(now).values("claim_id")


def with_overdue_flag(claims: QuerySet[Claim], now: datetime) -> QuerySet[Claim]:
    """Annotate `is_overdue`: the claim's active assignment is past its verdict's due time (one subquery per page)."""
    return claims.annotate(is_overdue=Exists(Assignment.objects.overdue_at(now).filter(claim=OuterRef("pk"))))


def claim_for_desk_page(claim_id: int) -> Claim | None:
    """A claim with everything its desk page shows, in a fixed number of queries: report, history with actors,
    assignments with reviewers, the review with its rating and sources, the published fact-check."""
    return (
        Claim.objects.select_related("report", "claimant", "review__rating", "review__reviewer", "fact_check")
        .prefetch_related(
            Prefetch("events", queryset=ClaimEvent.objects.select_related("actor")),
            Prefetch(
                "assignments", queryset=Assignment.objects.select_related("reviewer").order_by("offered_at", "id")
            ),
            "review__sources",
        )
        .filter(pk=claim_id)
        .first()
    )


@dataclass(frozen=True)
class ReviewerOption:
    """A reviewer an editor may assign claims to, with their load and whether routing would consider them."""

    user_id: int
    username: str
    load: int
    capacity: int
    eligible: bool

    @property
    def load_label(self) -> str:
        return f"{self.load}/{self.capacity}"


def reviewer_options(claims: Sequence[Claim]) -> list[ReviewerOption]:
    """Every active reviewer, eligible for all the claims first (available today, works in their languages, under
    capacity, did not submit them, has not declined them), least loaded first; then the others."""
    facts = [claim_facts(claim) for claim in claims]
    today = timezone.localdate()
    profiles = ReviewerProfile.objects.filter(user__is_active=True).select_related("user").annotate(load=_ACTIVE_LOAD)
    options = []
    for profile in profiles:
        candidate = Candidate(
            user_id=profile.user_id,
            languages=frozenset(profile.languages),
            topics=frozenset(),
            capacity=profile.capacity,
            load=profile.load,
        )
        eligible = profile.is_available(today) and all(is_eligible(fact, candidate) for fact in facts)
        options.append(
            ReviewerOption(profile.user_id, profile.user.get_username(), profile.load, profile.capacity, eligible)
        )
    return sorted(options, key=lambda o: (not o.eligible, o.load / max(o.capacity, 1), o.username))


def reports_visible_to(user) -> QuerySet[Report]:
    roles = roles_of(user)
    if Role.EDITOR in roles:
        return Report.objects.all()
    if Role.JOURNALIST in roles or Role.REVIEWER in roles:
        visible_claims = claims_visible_to(user).filter(report=OuterRef("pk"))
        # A published article, submitted by its URL, is one report for the whole newsroom (claims.ingest.urls).
        shared = Q(url_key__gt="") if Role.JOURNALIST in roles else Q()
        return Report.objects.filter(Q(submitted_by=user) | Exists(visible_claims) | shared)
    return Report.objects.none()


# The editors' view of the desk: where claims are, what is overdue, who carries what, how fast.

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


def median_queued_to_published(now: datetime, since: datetime | None = None) -> float | None:
    """Median seconds from a claim's first entry in the queue to its publication, for claims published since
    `since` (by default the last 90 days)."""
    spans = (
        ClaimEvent.objects.filter(claim__status__in=[ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED])
        .values("claim")
        .annotate(
            queued=Min("at", filter=Q(to_status=ClaimStatus.QUEUED)),
            published=Max("at", filter=Q(to_status=ClaimStatus.PUBLISHED)),
        )
        .filter(published__gte=since or now - MEDIAN_WINDOW, queued__isnull=False)
        .order_by()
    )
    seconds = [(row["published"] - row["queued"]).total_seconds() for row in spans]
    return median(seconds) if seconds else None


def stuck_rows() -> list[dict]:
    """Rows the last queue sweep skipped because handling them raised: they need an editor's (or a developer's) eye."""
    return [
        {
            "step": f.step,
            "row": f.row_id,
            "claim": f.claim_id,
            "error": f.error,
            "failed_at": f.failed_at,
        }
        for f in SweepFailure.objects.all()
    ]


def desk_stats(now: datetime) -> dict:
    return {
        "claims_by_status": status_counts(),
        "overdue": overdue_assignments(now),
        "reviewers": reviewer_loads(),
        "median_seconds_queued_to_published": median_queued_to_published(now),
        "stuck": stuck_rows(),
    }
