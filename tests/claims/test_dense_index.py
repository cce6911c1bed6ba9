"""The dense index: exhaustive by sign bits, rescored by cosine; it must agree with a plain exact search."""

from pathlib import Path

import numpy as np
import pytest

from claims.matching import ann
from claims.matching.ann import DenseIndex
from claims.matching.encoder import DIMENSIONS


def unit_vectors(count: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((count, DIMENSIONS)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def exact_top(vectors: np.ndarray, query: np.ndarray, count: int) -> list[int]:
    return list(np.argsort(-(vectors @ query), kind="stable")[:count])


@pytest.fixture
def clustered() -> tuple[np.ndarray, np.ndarray]:
    """3,000 documents around 30 topics, and queries that are noisy versions of some of them."""
    rng = np.random.default_rng(7)
    topics = unit_vectors(30, 8)
    docs = topics[rng.integers(0, 30, 3000)] + 0.6 * unit_vectors(3000, 9)
    docs /= np.linalg.norm(docs, axis=1, keepdims=True)
    queries = docs[:40] + 0.5 * unit_vectors(40, 10)
    return docs.astype(np.float32), (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)


@pytest.mark.parametrize("rescore", [10_000, 300])
def test_the_nearest_vectors_are_those_of_an_exact_search(monkeypatch, clustered, rescore):
    """Whether all vectors are rescored (a small desk) or only the bits' nearest (a large one)."""
    monkeypatch.setattr(ann, "RESCORE", rescore)
    docs, queries = clustered
    index = DenseIndex()
    index.add(np.arange(len(docs)), docs)
    alive = np.ones(len(docs), dtype=bool)
    agreement = []
    for query in queries:
        positions, cosines = index.search(query, 10, alive)
        assert list(cosines) == sorted(cosines, reverse=True)
        np.testing.assert_allclose(cosines, docs[positions] @ query, atol=2e-3)
        agreement.append(len(set(positions) & set(exact_top(docs, query, 10))) / 10)
    assert np.mean(agreement) >= (1.0 if rescore > len(docs) else 0.95)


def test_removed_positions_are_never_answered(clustered):
    docs, queries = clustered
    index = DenseIndex()
    index.add(np.arange(len(docs)), docs)
    alive = np.ones(len(docs), dtype=bool)
    first = index.search(queries[0], 5, alive)[0]
    alive[first[:2]] = False
    second = index.search(queries[0], 5, alive)[0]
    assert not set(first[:2]) & set(second)
    assert list(second[:3]) == list(first[2:5])


def test_positions_may_skip_rows_without_vectors_and_grow_in_many_additions():
    vectors = unit_vectors(500, 3)
    positions = np.arange(0, 1000, 2)  # odd positions are documents without a vector
    index = DenseIndex()
    for start in range(0, 500, 7):
        index.add(positions[start : start + 7], vectors[start : start + 7])
    assert len(index) == 500
    alive = np.ones(1000, dtype=bool)
    found, cosines = index.search(vectors[123], 1, alive)
    assert found[0] == 246 and cosines[0] == pytest.approx(1.0, abs=1e-3)
    cosines = index.cosines(vectors[123], np.array([246, 247, 5000]))
    assert cosines[0] == pytest.approx(1.0, abs=1e-3) and cosines[1] == 0.0 and cosines[2] == 0.0


def test_an_empty_index_answers_nothing():
    index = DenseIndex()
    positions, cosines = index.search(unit_vectors(1, 1)[0], 5, np.zeros(0, dtype=bool))
    assert len(positions) == 0 and len(cosines) == 0


def test_a_search_keeps_numpy_s_blas_on_the_request_s_own_thread():
    """On two threads the rescoring took as long and twice the CPU time, which concurrent requests then lacked."""
    import threadpoolctl

    DenseIndex()
    numpy_blas = [
        library
        for library in threadpoolctl.threadpool_info()
        if library["user_api"] == "blas" and Path(library["filepath"]).parent.name.startswith("numpy")
    ]

    assert numpy_blas
    assert [library["num_threads"] for library in numpy_blas] == [1] * len(numpy_blas)
