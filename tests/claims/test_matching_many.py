"""Matching many texts at once, as a report's sentences are: the same answers as asking one text at a time."""

import pytest

from claims import matching
from claims.matching import encoder as encoder_module
from claims.matching import find_similar, find_similar_many, upsert_documents
from claims.matching.models import MatchDocument
from tests.claims.test_matching import DESK

pytestmark = pytest.mark.django_db

SENTENCES = [
    "Do the new 5G antennas cause covid?",
    "A cup of bleach a day keeps the virus away, he said.",
    "Germany's minimum wage went up twelve percent in 2022.",
    "The weather was fine on Sunday.",
    "Garlic will protect you from the coronavirus.",
]


@pytest.fixture(autouse=True)
def _fresh_matcher():
    matching.reset()
    encoder_module.set_disabled(False)
    yield
    matching.reset()


def refs(matches):
    return [(m.kind, m.ref_id) for m in matches]


def test_a_batch_finds_what_each_text_finds_alone():
    upsert_documents(DESK)
    alone = [find_similar(text, language="en", limit=3) for text in SENTENCES]
    together = find_similar_many(SENTENCES, language="en", limit=3)
    assert [refs(found) for found in together] == [refs(found) for found in alone]
    for batch_found, single_found in zip(together, alone, strict=True):
        # A batch is encoded in one pass, possibly at another precision than a lone text: scores agree to rounding.
        assert [m.score for m in batch_found] == pytest.approx([m.score for m in single_found], abs=0.02)
    assert refs(together[0])[0] == ("fact_check", 1)


def test_a_batch_in_a_language_nobody_indexed_finds_nothing():
    upsert_documents(DESK)
    assert find_similar_many(["Вакцины вызывают аутизм", "疫苗导致自闭症"], language="ru") == [[], []]


def test_a_batch_skips_a_document_deactivated_behind_the_index():
    upsert_documents(DESK)
    find_similar_many(SENTENCES, language="en")  # the index now holds every document
    # Deactivated without the index hearing of it, as a rolled-back or racing write leaves it.
    MatchDocument.objects.filter(kind="fact_check", ref_id=1).update(active=False)
    together = find_similar_many(SENTENCES, language="en", limit=3)
    assert all(("fact_check", 1) not in refs(found) for found in together)
    assert refs(together[1])[0] == ("fact_check", 2)
