"""A review's text is stored with "\\n" line breaks however the browser sent it, so a later correction that posts the
same text back is recognised as unchanged and the public page shows what was written."""

import pytest

from reviews.models import Review
from reviews.services import verdicts

pytestmark = pytest.mark.django_db

TYPED = "The schedule shows 10:00 to 14:00.\r\n\r\nThe minister arrived late.\rShe left early."
STORED = "The schedule shows 10:00 to 14:00.\n\nThe minister arrived late.\nShe left early."


def test_a_saved_draft_keeps_plain_line_breaks(make_claim, desk, reviewer):
    claim = make_claim()
    desk.in_review(claim)
    source = verdicts.SourceInput(url="https://gov.example.org/schedule", title="Schedule")

    verdicts.save_review(
        claim_id=claim.pk, reviewer=reviewer, rating="false", summary="One\r\ntwo", explanation=TYPED, sources=[source]
    )

    review = Review.objects.get(claim=claim)
    assert (review.summary, review.explanation) == ("One\ntwo", STORED)


def test_an_autosave_keeps_plain_line_breaks(make_claim, desk, reviewer):
    claim = make_claim()
    desk.in_review(claim)

    verdicts.autosave_review(claim_id=claim.pk, reviewer=reviewer, explanation=TYPED)

    assert Review.objects.get(claim=claim).explanation == STORED
