"""Fixtures for the published record: publish a claim with a verdict of the test's choosing."""

import pytest
from django.core.cache import cache

from reviews.services import verdicts

SUMMARY = "It was four hours."
EXPLANATION = "The official schedule shows the talks ran from 10:00 to 14:00."
SCHEDULE = verdicts.SourceInput(
    url="https://gov.example.org/schedule", title="Official schedule", publisher="Government Press Office"
)


@pytest.fixture(autouse=True)
def fresh_page_cache():
    # Rendered pages are cached under keys that outlive a test's rolled-back transaction (and its reused slugs).
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def publish(desk, editor):
    """Move a claim through the real desk to `published` with the given verdict; returns the FactCheck."""

    def published(claim, *, rating="false", summary=SUMMARY, explanation=EXPLANATION, sources=(SCHEDULE,)):
        assignment = desk.in_review(claim)
        verdicts.save_review(
            claim_id=claim.pk,
            reviewer=assignment.reviewer,
            rating=rating,
            summary=summary,
            explanation=explanation,
            sources=list(sources),
        )
        verdicts.submit_review(claim_id=claim.pk, reviewer=assignment.reviewer)
        return verdicts.approve_claim(claim_id=claim.pk, editor=editor)

    return published
