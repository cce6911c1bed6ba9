"""The re-ranker's candidates: a cut pool must describe each candidate as the whole retrieved list would."""

import numpy as np
import pytest

from claims.matching import features
from claims.matching.encoder import DIMENSIONS
from claims.matching.index import LanguageIndex, Row

WORDS = [
    "vaccine",
    "tax",
    "wage",
    "crime",
    "budget",
    "school",
    "nurse",
    "river",
    "bridge",
    "election",
    "border",
    "summit",
    "harbour",
]


@pytest.fixture
def index() -> LanguageIndex:
    rng = np.random.default_rng(4)
    vectors = rng.standard_normal((400, DIMENSIONS)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rows = [
        Row(n + 1, "claim", n + 1, " ".join(rng.choice(WORDS, size=rng.integers(3, 9))), vectors[n]) for n in range(400)
    ]
    built = LanguageIndex()
    built.add(rows)
    return built


def query_vector(index: LanguageIndex) -> np.ndarray:
    vector = index.dense.vectors[7].astype(np.float32) + 0.5 * index.dense.vectors[9].astype(np.float32)
    return vector / np.linalg.norm(vector)


def describe(index: LanguageIndex, query: str, vector, keep: int) -> dict[int, np.ndarray]:
    found = index.candidates(query, vector, lexical_k=400, dense_k=400, keep=keep)
    texts = [index.texts[p] for p in found.positions]
    matrix = features.compute(query, texts, found.bm25, found.query_weight, found.cosine, features.FULL, found.standing)
    return {int(p): row for p, row in zip(found.positions, matrix, strict=True)}


def test_a_cut_pool_keeps_each_candidates_standing_among_everything_retrieved(index):
    query = "vaccine budget for the river bridge"
    vector = query_vector(index)
    everything = describe(index, query, vector, keep=10_000)
    cut = describe(index, query, vector, keep=20)
    assert len(cut) == 20 and len(everything) > 100
    for position, row in cut.items():
        np.testing.assert_allclose(row, everything[position], rtol=1e-6, atol=1e-6)


def test_the_cut_keeps_the_candidates_both_retrievers_agree_on(index):
    query = "vaccine budget for the river bridge"
    vector = query_vector(index)
    found = index.candidates(query, vector, lexical_k=400, dense_k=400, keep=10_000)
    blended = 0.8 * found.cosine + 0.2 * found.bm25 / found.bm25.max()
    expected = set(found.positions[np.argsort(-blended)[:20]].tolist())
    cut = index.candidates(query, vector, lexical_k=400, dense_k=400, keep=20)
    assert set(cut.positions.tolist()) == expected
    assert 7 in expected  # the document whose vector the query is mostly made of


def test_a_document_the_caller_may_not_see_does_not_set_the_standing_of_the_others(index):
    query, vector = "vaccine budget for the river bridge", query_vector(index)
    everything = index.candidates(query, vector, lexical_k=400, dense_k=400, keep=10_000)
    nearest = everything.positions[np.argmax(everything.cosine)]

    found = index.candidates(
        query, vector, lexical_k=400, dense_k=400, keep=10_000, allowed=lambda positions: positions != nearest
    )

    assert nearest not in found.positions
    assert found.standing.best_cosine == pytest.approx(float(found.cosine.max()))
    assert found.standing.best_cosine < everything.standing.best_cosine
