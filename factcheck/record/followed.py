"""The verdict a claim shows on the desk: its own fact-check, or, for a claim marked a duplicate, its canonical
claim's (published now or later; a retracted one as its tombstone)."""

from collections.abc import Iterable
from typing import TypedDict

from claims.models import ClaimStatus
from factcheck.record.models import FactCheck
from factcheck.record.selectors import public_fact_checks


class ShownVerdict(TypedDict):
    """What the desk's claim answers show of the verdict a claim follows."""

    slug: str
    url: str  # the public page (a tombstone once retracted)
    rating: str | None  # the rating's label; None once the verdict is retracted


def _followed(claim_id: int, duplicate_of_id: int | None) -> int:
    """The claim whose verdict a claim shows: its own, or, for a claim marked a duplicate, its canonical claim's."""
    return duplicate_of_id or claim_id


def verdict_of(claim) -> FactCheck | None:
    """The fact-check a claim shows: its own, or, for a claim marked a duplicate, its canonical claim's (published
    now or later; retracted ones too, as their tombstone). None while there is none."""
    return public_fact_checks().filter(claim_id=_followed(claim.pk, claim.duplicate_of_id)).first()


# A claim's own fact-check is written as it is published, and a published claim can only be retracted: a claim in
# any other status shows a verdict only as the duplicate of a published one (claims/transitions.py).
STATUSES_WITH_OWN_VERDICT = frozenset({ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED})


def verdicts_shown(claims: Iterable[tuple[int, int | None, str]]) -> dict[int, ShownVerdict]:
    """The verdict each claim shows, as `verdict_of` finds it, for many claims in one query that reads only what
    the answer shows, and no query when none of them can show one (a page of queued claims). `claims` are (claim id,
    duplicate_of id, status) triples, from models or `.values()` rows alike; claims without a verdict are left out."""
    followed = {
        claim_id: _followed(claim_id, duplicate_of_id)
        for claim_id, duplicate_of_id, status in claims
        if duplicate_of_id or status in STATUSES_WITH_OWN_VERDICT
    }
    if not followed:
        return {}
    published = (
        public_fact_checks()
        .filter(claim_id__in=set(followed.values()))
        .values_list("claim_id", "slug", "retracted_at", "current_version__rating_label")
    )
    shown = {
        claim_id: ShownVerdict(
            slug=slug, url=FactCheck(slug=slug).public_url, rating=None if retracted_at else rating_label
        )
        for claim_id, slug, retracted_at, rating_label in published
    }
    return {claim_id: shown[target] for claim_id, target in followed.items() if target in shown}
