"""What the re-ranker sees of one query against its candidates: one row of numbers per candidate.

Every feature is either a property of the pair (cosine, fuzzy ratios, shared numbers) or relative to the other
candidates of the same query (gap to the best cosine, share of the best BM25, place by BM25), so the same weights
serve a desk of a hundred documents and an index of a million. The place by cosine was one too, and is left out:
a larger index holds more claims close to a post, so the gold's place by cosine falls with its size (from 3rd to
200th for one dev tweet at a million documents), and without it the re-ranker did better on the held-out training
tweets (MAP@5 0.859 against 0.852) and at every size measured (bench/README.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from . import text as textlib
from .lexical import K1

DENSE = ("cos", "cos_gap", "cos_sq")
LEXICAL = (
    "bm25_share",
    "bm25_best",
    "bm25_rank",
    "bm25_cover",
    "fuzz_set",
    "numbers_shared",
    "numbers_missing",
)
FULL = DENSE + LEXICAL + ("cos_x_bm25",)


def _ranks(values: np.ndarray) -> np.ndarray:
    """1 for the highest value, 1/2 for the next... (ties share the better rank)."""
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(len(values), dtype=np.float32)
    ranks[order] = np.arange(1, len(values) + 1)
    return 1.0 / ranks


@dataclass
class Standing:
    """Where each candidate stands among everything both retrievers returned, not only among those kept for the
    re-ranker: the features relative to the other candidates must mean what they meant when the weights were fit."""

    best_bm25: float
    bm25_rank: np.ndarray
    best_cosine: float

    @classmethod
    def among(cls, bm25: np.ndarray, cosine: np.ndarray | None) -> Standing:
        n = len(bm25)
        return cls(
            best_bm25=float(bm25.max()) if n else 0.0,
            bm25_rank=_ranks(bm25) if n else np.zeros(0, dtype=np.float32),
            best_cosine=float(cosine.max()) if cosine is not None and n else 0.0,
        )

    def subset(self, keep: np.ndarray) -> Standing:
        return Standing(self.best_bm25, self.bm25_rank[keep], self.best_cosine)


def compute(
    query: str,
    texts: Sequence[str],
    bm25: np.ndarray,
    query_weight: float,
    cosine: np.ndarray | None,
    names: Sequence[str],
    standing: Standing | None = None,
) -> np.ndarray:
    """One row per candidate, one column per name; `query_weight` is the summed idf of the query terms."""
    n = len(texts)
    standing = standing or Standing.among(bm25, cosine)
    columns: dict[str, np.ndarray] = {}
    best_bm25 = standing.best_bm25
    columns["bm25_share"] = bm25 / best_bm25 if best_bm25 > 0 else np.zeros(n, dtype=np.float32)
    columns["bm25_best"] = (bm25 >= best_bm25).astype(np.float32) if best_bm25 > 0 else np.zeros(n, np.float32)
    columns["bm25_rank"] = standing.bm25_rank
    # BM25 as a share of what a document holding every query word once could reach: comparable across queries.
    scale = query_weight * (K1 + 1)
    columns["bm25_cover"] = np.minimum(bm25 / scale, 1.5) if scale > 0 else np.zeros(n, dtype=np.float32)
    cleaned = textlib.clean(query).casefold()
    lowered = [t.casefold() for t in texts]
    columns["fuzz_set"] = process.cdist([cleaned], lowered, scorer=fuzz.token_set_ratio, dtype=np.float32)[0] / 100
    query_numbers = textlib.numbers(cleaned)
    shared = np.zeros(n, dtype=np.float32)
    missing = np.zeros(n, dtype=np.float32)
    for i, t in enumerate(texts):
        doc_numbers = textlib.numbers(t)
        if query_numbers and doc_numbers:
            shared[i] = len(query_numbers & doc_numbers) / len(query_numbers)
        # A document stating numbers the post never mentions is often about another event.
        missing[i] = len(doc_numbers - query_numbers) / (1 + len(doc_numbers))
    columns["numbers_shared"], columns["numbers_missing"] = shared, missing
    if cosine is not None:
        columns["cos"] = cosine
        columns["cos_gap"] = cosine - standing.best_cosine
        columns["cos_sq"] = cosine * cosine
        columns["cos_x_bm25"] = cosine * columns["bm25_share"]
    return np.column_stack([columns[name] for name in names]).astype(np.float32) if n else np.zeros((0, len(names)))
