"""The public search finds a verdict by what its current version shows: publishing writes the search document, a
correction rewrites it (a new summary, a claimant renamed since), and a retraction drops the withdrawn summary."""

import pytest
from django.db import connection

from claims import services as claim_services
from factcheck.models import FactCheck
from factcheck.record import services as publishing
from factcheck.record.selectors import search_fact_checks

# SQLite searches the live columns with LIKE; only PostgreSQL reads the stored document.
pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the search document is PostgreSQL's")


def found(words: str) -> list[str]:
    """What the public list's search finds (read past the page cache, which a test's transaction never clears)."""
    return [fact_check.claim.text for fact_check in search_fact_checks(text=words)]


@pytest.fixture
def verdict(make_claim, publish):
    return publish(make_claim("Exports doubled last year", claimant="Ann Alpha"), summary="They rose by a tenth.")


def test_a_published_verdict_is_found_by_its_claim_claimant_and_summary(verdict):
    for words in ("exports doubled", "alpha", "tenth"):
        assert found(words) == ["Exports doubled last year"], words


def test_a_correction_makes_the_new_summary_findable_and_the_old_one_not(verdict, editor):
    publishing.correct(claim_id=verdict.claim_id, editor=editor, note="New figures.", summary="They fell by half.")

    assert found("fell half") == ["Exports doubled last year"]
    assert found("tenth") == []


def test_a_renamed_claimant_is_found_once_a_correction_copies_the_new_name(verdict, editor):
    claim_services.update_claimant(claimant_id=verdict.claim.claimant_id, user=editor, name="Ann Omega")
    assert found("omega") == []  # published means frozen: the page still names Ann Alpha

    publishing.correct(claim_id=verdict.claim_id, editor=editor, note="The claimant's new name.")

    assert found("omega") == ["Exports doubled last year"]


def test_a_retraction_leaves_the_tombstone_findable_by_what_it_shows_and_not_by_the_summary(verdict, editor):
    publishing.retract(claim_id=verdict.claim_id, editor=editor, reason="The figures were misread.")

    assert "tenth" not in FactCheck.objects.get(pk=verdict.pk).search_document
    assert found("tenth") == []
    for words in ("exports doubled", "alpha"):
        assert found(words) == ["Exports doubled last year"], words
