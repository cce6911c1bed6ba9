"""BM25 over immutable segments of one language's documents.

A segment stores each document's BM25 term weights (the part that depends on the document) twice: document-major
(CSR) to score a few candidates exactly, and term-major (CSC) with each term's postings sorted by weight, highest
first. Candidate generation reads only the first postings of each query term, so a query stays fast when a common
word occurs in most of a million documents; the exact score of the candidates is computed afterwards from the rows.
The inverse document frequency is applied at query time from counts summed over all segments.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse

K1 = 1.5
B = 0.75


class Vocabulary:
    """Token → term id, shared by the segments of one language index; only ever grows."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, tokens: Iterable[str]) -> list[int]:
        ids = self.ids
        return [ids.setdefault(token, len(ids)) for token in tokens]

    def known(self, tokens: Iterable[str]) -> list[int]:
        ids = self.ids
        return [ids[token] for token in tokens if token in ids]


class LexicalSegment:
    def __init__(self, flat_terms: np.ndarray, offsets: np.ndarray, vocab_size: int) -> None:
        n_docs = len(offsets) - 1
        counts = sparse.csr_matrix(
            (np.ones(len(flat_terms), dtype=np.float32), flat_terms.astype(np.int32), offsets.astype(np.int64)),
            shape=(n_docs, vocab_size),
        )
        counts.sum_duplicates()
        lengths = np.diff(offsets).astype(np.float32)
        avg = float(lengths.mean()) if n_docs and lengths.mean() > 0 else 1.0
        norm = K1 * (1 - B + B * lengths / avg)
        row_of = np.repeat(np.arange(n_docs), np.diff(counts.indptr))
        tf = counts.data
        counts.data = (tf * (K1 + 1) / (tf + norm[row_of])).astype(np.float32)
        self.rows: sparse.csr_matrix = counts
        self.vocab_size = vocab_size
        self.n_docs = n_docs
        by_term = counts.tocsc()
        # Sort each term's postings by weight, highest first: one lexsort over (term, -weight).
        term_of = np.repeat(np.arange(vocab_size), np.diff(by_term.indptr))
        order = np.lexsort((-by_term.data, term_of))
        self.post_ptr = by_term.indptr.astype(np.int64)
        self.post_docs = by_term.indices[order].astype(np.int32)
        self.post_weights = by_term.data[order].astype(np.float32)
        self.df = np.diff(self.post_ptr)

    def candidates(self, terms: Sequence[int], weights: np.ndarray, per_term: int) -> tuple[np.ndarray, np.ndarray]:
        """Approximate scores of the documents in the first `per_term` postings of each term (local positions)."""
        docs, scores = [], []
        for term, weight in zip(terms, weights, strict=True):
            if term >= self.vocab_size:
                continue
            start, end = self.post_ptr[term], self.post_ptr[term + 1]
            end = min(end, start + per_term)
            if end > start:
                docs.append(self.post_docs[start:end])
                scores.append(self.post_weights[start:end] * weight)
        if not docs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        all_docs = np.concatenate(docs)
        all_scores = np.concatenate(scores)
        if len(docs) == 1:
            return all_docs.astype(np.int64), all_scores
        if len(all_docs) * 16 > self.n_docs:
            # Many postings: summing into one slot per document beats sorting them.
            summed = np.bincount(all_docs, weights=all_scores, minlength=self.n_docs)
            touched = np.flatnonzero(summed)
            return touched.astype(np.int64), summed[touched].astype(np.float32)
        unique, inverse = np.unique(all_docs, return_inverse=True)
        return unique.astype(np.int64), np.bincount(inverse, weights=all_scores).astype(np.float32)

    def exact(self, local: np.ndarray, terms: Sequence[int], weights: np.ndarray) -> np.ndarray:
        """BM25 of the given documents (local positions) for query terms with their idf weights."""
        keep = [i for i, term in enumerate(terms) if term < self.vocab_size]
        if not keep or not len(local):
            return np.zeros(len(local), dtype=np.float32)
        sub = self.rows[local][:, [terms[i] for i in keep]]
        return np.asarray(sub @ weights[keep], dtype=np.float32).ravel()


def idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    """Lucene's BM25 idf: always positive, so a word in most documents still counts a little."""
    return np.log1p((n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)


def query_terms(term_ids: Sequence[int]) -> tuple[list[int], np.ndarray]:
    """Unique query terms with how often each occurs (BM25 sums a repeated query word once per occurrence)."""
    unique, counts = np.unique(np.asarray(term_ids, dtype=np.int64), return_counts=True)
    return unique.tolist(), counts.astype(np.float32)
