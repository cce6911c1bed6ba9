"""Writes for the sources of a review draft, one at a time: add, remove and reorder.

The whole-draft save (verdicts.save_review) replaces the list; these let a reviewer's tool change one source
without sending the others back. All go through verdicts.lock_draft: only the reviewer who accepted the claim,
only while it is in review.
"""

from django.db import transaction
from django.db.models import Max

from core.errors import InvalidInput
from reviews.models import Review, Source
from reviews.services.verdicts import SourceInput, lock_draft

# The same cap as the whole-draft save accepts, so a draft saved one source at a time can still be saved whole.
MAX_SOURCES = 100


def _touch(review: Review) -> None:
    # A change of sources is a change of the draft: autosaving tools compare updated_at.
    review.save(update_fields=["updated_at"])


@transaction.atomic
def add_source(*, claim_id: int, reviewer, source: SourceInput) -> Source:
    """Append a source at the end of the list."""
    review = lock_draft(claim_id=claim_id, reviewer=reviewer)
    if review.sources.count() >= MAX_SOURCES:
        raise InvalidInput({"sources": [f"A review has at most {MAX_SOURCES} sources."]})
    last = review.sources.aggregate(last=Max("position"))["last"]
    added = Source.objects.create(
        review=review,
        url=source.url,
        title=source.title,
        publisher=source.publisher,
        archive_url=source.archive_url,
        position=0 if last is None else last + 1,
    )
    _touch(review)
    return added


@transaction.atomic
def remove_source(*, claim_id: int, reviewer, source_id: int) -> Review:
    review = lock_draft(claim_id=claim_id, reviewer=reviewer, create=False)
    # Scoped to this review: a source id of another claim's review is "not found", never removed.
    source = review.sources.get(pk=source_id)
    source.delete()
    _touch(review)
    return review


@transaction.atomic
def reorder_sources(*, claim_id: int, reviewer, order: list[int]) -> Review:
    """`order` lists every source id of the review once, in the new order."""
    review = lock_draft(claim_id=claim_id, reviewer=reviewer, create=False)
    sources = {s.pk: s for s in review.sources.all()}
    if len(order) != len(set(order)) or set(order) != set(sources):
        raise InvalidInput({"order": [f"List each of the review's sources exactly once: {sorted(sources)}."]})
    for position, source_id in enumerate(order):
        sources[source_id].position = position
    Source.objects.bulk_update(sources.values(), ["position"])
    _touch(review)
    return review
