"""The routing policy, pure: given a claim and candidate reviewers, who gets the offer?

Candidates are the reviewers available today (selectors.routing_candidates decides that, once). Eligible among them:
speaks the claim's language, under capacity, did not submit the claim, has not declined or let an offer on it
expire. Preferred: topic expertise, then the lowest current load, then the longest wait since the last offer (fair
rotation), then the lowest id so the choice is deterministic.
"""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ClaimFacts:
    language: str
    topics: frozenset[str]
    submitted_by_id: int
    excluded_reviewer_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Candidate:
    user_id: int
    languages: frozenset[str]
    topics: frozenset[str]
    capacity: int
    load: int
    last_offered_at: datetime | None = None


def is_eligible(claim: ClaimFacts, candidate: Candidate) -> bool:
    return (
        claim.language in candidate.languages
        and candidate.load < candidate.capacity
        and candidate.user_id != claim.submitted_by_id
        and candidate.user_id not in claim.excluded_reviewer_ids
    )


def _preference(claim: ClaimFacts, candidate: Candidate) -> tuple:
    has_expertise = bool(claim.topics & candidate.topics)
    waited_since = candidate.last_offered_at.timestamp() if candidate.last_offered_at else float("-inf")
    return (not has_expertise, candidate.load, waited_since, candidate.user_id)


def choose_reviewer(claim: ClaimFacts, candidates: list[Candidate]) -> Candidate | None:
    eligible = [c for c in candidates if is_eligible(claim, c)]
    return min(eligible, key=lambda c: _preference(claim, c), default=None)
