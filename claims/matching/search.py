"""Ranking inside one language index: gather candidates, describe them, score them with the re-ranker."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from . import features, rerank
from .index import LanguageIndex

# How far down each retriever's list to look. BM25 is cheap to read deep; the dense list costs a rescoring per row,
# and past 200 it added no gold to the top 5 at a million documents (bench/README.md).
LEXICAL_DEPTH = 1_000
DENSE_DEPTH = 200
CANDIDATES = 200  # of their union, the best by a first-stage score, for the re-ranker
MAX_DEPTH = 10_000  # how far a narrow `kinds` filter may look down both lists


@dataclass
class Pool:
    positions: np.ndarray
    bm25: np.ndarray
    cosine: np.ndarray | None
    query_weight: float
    standing: features.Standing

    def matrix(self, index: LanguageIndex, query: str, names: Iterable[str]) -> np.ndarray:
        texts = [index.texts[p] for p in self.positions]
        return features.compute(query, texts, self.bm25, self.query_weight, self.cosine, tuple(names), self.standing)


def gather(
    index: LanguageIndex,
    query: str,
    vector: np.ndarray | None,
    *,
    limit: int,
    kinds: set[str] | None = None,
    exclude: Iterable[tuple[str, int]] = (),
    depth: int | None = None,
) -> Pool:
    """Candidates from both retrievers, narrowed to `kinds` and without `exclude`d references."""
    exclude = set(exclude)
    depth = depth or CANDIDATES

    def allowed(positions: np.ndarray) -> np.ndarray:
        return np.array(
            [
                (kinds is None or index.kinds[p] in kinds) and (index.kinds[p], index.ref_ids[p]) not in exclude
                for p in positions
            ],
            dtype=bool,
        ).reshape(-1)

    narrowed = allowed if kinds is not None or exclude else None
    while True:
        widen = max(1, depth // CANDIDATES)
        found = index.candidates(
            query,
            vector,
            lexical_k=LEXICAL_DEPTH * widen,
            dense_k=DENSE_DEPTH * widen,
            keep=depth,
            allowed=narrowed,
        )
        if len(found.positions) >= limit or depth >= min(len(index.texts), MAX_DEPTH):
            break
        depth *= 10  # a narrow filter: look further down both lists
    return Pool(found.positions, found.bm25, found.cosine, found.query_weight, found.standing)


def rank(
    index: LanguageIndex, query: str, vector: np.ndarray | None, pool: Pool, limit: int
) -> list[tuple[int, float]]:
    """(document id, score) best first; equal scores in document id order."""
    model = rerank.model_for(pool.cosine is not None)
    scores = model.score(pool.matrix(index, query, model.names))
    doc_ids = [index.doc_ids[p] for p in pool.positions]
    order = sorted(range(len(doc_ids)), key=lambda i: (-scores[i], doc_ids[i]))[:limit]
    return [(doc_ids[i], float(scores[i])) for i in order]
