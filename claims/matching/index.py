"""One language's searchable documents in memory: BM25 segments, the dense index and each position's identity.

Documents are appended at new positions and never moved; an update kills the old position and appends the new
text, so a segment never changes once built. New documents go to a small tail segment that is rebuilt on the next
search, frozen once it holds TAIL_MAX documents; frozen small segments are merged when there are too many.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import text as textlib
from .features import Standing
from .lexical import LexicalSegment, Vocabulary, idf, query_terms

TAIL_MAX = 5_000
MAX_SMALL_SEGMENTS = 12
FIRST_STAGE_COSINE = 0.8  # the blend that alone reaches MAP@5 0.81 on the CLEF dev tweets
PER_TERM = 5_000  # postings read per query term (over all segments) when gathering lexical candidates


@dataclass
class Row:
    document_id: int
    kind: str
    ref_id: int
    text: str
    vector: np.ndarray | None


@dataclass
class Candidates:
    positions: np.ndarray
    bm25: np.ndarray
    cosine: np.ndarray | None
    query_weight: float  # the query terms' idf summed: the scale of its BM25 scores
    standing: Standing


class LanguageIndex:
    def __init__(self) -> None:
        self.vocab = Vocabulary()
        self.segments: list[tuple[int, LexicalSegment]] = []  # (first position, segment), frozen
        self.tail: LexicalSegment | None = None
        self.tail_start = 0
        self.tail_terms: list[list[int]] = []
        self.texts: list[str] = []
        self.doc_ids: list[int] = []
        self.ref_ids: list[int] = []
        self.kinds: list[str] = []
        self.alive = np.zeros(0, dtype=bool)
        self.pos_of: dict[int, int] = {}
        self.dense = None

    def __len__(self) -> int:
        return len(self.pos_of)

    # --- writes -------------------------------------------------------------------------------------------------

    def remove(self, document_id: int) -> None:
        position = self.pos_of.pop(document_id, None)
        if position is not None:
            self.alive[position] = False

    def add(self, rows: list[Row]) -> None:
        """Index rows (replacing earlier versions of the same documents)."""
        rows = list({row.document_id: row for row in rows}.values())
        for row in rows:
            self.remove(row.document_id)
        if not rows:
            return
        start = len(self.texts)
        terms = [self.vocab.add(textlib.tokens(textlib.clean(row.text))) for row in rows]
        for offset, row in enumerate(rows):
            self.texts.append(row.text)
            self.doc_ids.append(row.document_id)
            self.ref_ids.append(row.ref_id)
            self.kinds.append(row.kind)
            self.pos_of[row.document_id] = start + offset
        self.alive = np.concatenate([self.alive, np.ones(len(rows), dtype=bool)])
        self._add_vectors(start, rows)
        if not self.tail_terms and len(rows) >= TAIL_MAX:
            self.segments.append((start, _segment(terms, len(self.vocab))))
            self.tail_start = len(self.texts)
        else:
            self.tail_terms.extend(terms)
            self.tail = None
        self._settle()

    def _add_vectors(self, start: int, rows: list[Row]) -> None:
        with_vector = [(start + i, row.vector) for i, row in enumerate(rows) if row.vector is not None]
        if not with_vector:
            return
        if self.dense is None:
            from .ann import DenseIndex

            self.dense = DenseIndex()
        positions = np.array([p for p, _ in with_vector], dtype=np.int64)
        self.dense.add(positions, np.vstack([v for _, v in with_vector]))

    def _settle(self) -> None:
        if len(self.tail_terms) >= TAIL_MAX:
            self.segments.append((self.tail_start, _segment(self.tail_terms, len(self.vocab))))
            self.tail_start, self.tail_terms, self.tail = len(self.texts), [], None
        small = [i for i, (_, seg) in enumerate(self.segments) if seg.n_docs < 20 * TAIL_MAX]
        if len(small) > MAX_SMALL_SEGMENTS and small == list(range(small[0], len(self.segments))):
            first = self.segments[small[0]][0]
            terms = [self.vocab.add(textlib.tokens(textlib.clean(t))) for t in self.texts[first : self.tail_start]]
            self.segments[small[0] :] = [(first, _segment(terms, len(self.vocab)))]

    # --- reads --------------------------------------------------------------------------------------------------

    def _all_segments(self) -> list[tuple[int, LexicalSegment]]:
        if self.tail_terms and self.tail is None:
            self.tail = _segment(self.tail_terms, len(self.vocab))
        return self.segments + ([(self.tail_start, self.tail)] if self.tail is not None and self.tail_terms else [])

    def candidates(
        self,
        query: str,
        vector: np.ndarray | None,
        *,
        lexical_k: int,
        dense_k: int,
        keep: int,
        allowed: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> Candidates:
        """The best of each retriever that `allowed` (positions → mask) lets through, cut to the `keep` best of their
        union by a first-stage score."""
        segments = self._all_segments()
        terms, weights = self._query_weights(query, segments)
        found: list[np.ndarray] = []
        if terms:
            found.append(self._lexical_top(segments, terms, weights, lexical_k))
        dense = vector is not None and self.dense is not None
        if dense:
            found.append(self.dense.search(vector, dense_k, self.alive)[0])
        positions = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
        positions = positions[self.alive[positions]]
        if allowed is not None:
            # Before the standing is taken: a document the caller cannot be shown (the query's own claim, another
            # kind) must not set the best score the others are measured against.
            positions = positions[allowed(positions)]
        bm25 = self._exact_bm25(segments, positions, terms, weights)
        cosine = self.dense.cosines(vector, positions) if dense else None
        standing = Standing.among(bm25, cosine)
        if len(positions) > keep:
            best = np.argpartition(-first_stage(bm25, cosine), keep)[:keep]
            positions, bm25, standing = positions[best], bm25[best], standing.subset(best)
            cosine = cosine[best] if cosine is not None else None
        return Candidates(positions, bm25, cosine, float(weights.sum()), standing)

    def _query_weights(self, query: str, segments: list) -> tuple[list[int], np.ndarray]:
        terms, counts = query_terms(self.vocab.known(textlib.tokens(textlib.clean(query))))
        if not terms:
            return [], np.zeros(0, dtype=np.float32)
        n_docs = sum(seg.n_docs for _, seg in segments)
        df = np.zeros(len(terms), dtype=np.float64)
        for _, seg in segments:
            df += [seg.df[t] if t < seg.vocab_size else 0 for t in terms]
        return terms, idf(df, n_docs) * counts

    def _lexical_top(self, segments: list, terms: list[int], weights: np.ndarray, k: int) -> np.ndarray:
        positions, scores = [], []
        total = sum(seg.n_docs for _, seg in segments) or 1
        for start, seg in segments:
            # Each segment reads its share of the postings budget: the best postings of a term are spread evenly.
            budget = max(64, -(-PER_TERM * seg.n_docs // total))
            local, score = seg.candidates(terms, weights, budget)
            positions.append(local + start)
            scores.append(score)
        all_positions, all_scores = np.concatenate(positions), np.concatenate(scores)
        live = self.alive[all_positions]
        all_positions, all_scores = all_positions[live], all_scores[live]
        if len(all_scores) > k:
            top = np.argpartition(-all_scores, k)[:k]
            all_positions = all_positions[top]
        return all_positions

    def _exact_bm25(self, segments: list, positions: np.ndarray, terms: list[int], weights: np.ndarray) -> np.ndarray:
        out = np.zeros(len(positions), dtype=np.float32)
        if not terms or not len(positions):
            return out
        starts = np.array([start for start, _ in segments])
        which = np.searchsorted(starts, positions, side="right") - 1
        for i, (start, seg) in enumerate(segments):
            mask = which == i
            if mask.any():
                out[mask] = seg.exact(positions[mask] - start, terms, weights)
        return out


def first_stage(bm25: np.ndarray, cosine: np.ndarray | None) -> np.ndarray:
    """Cheap agreement of both retrievers: BM25 as a share of the best, blended with the cosine where there is one."""
    best = float(bm25.max()) if len(bm25) else 0.0
    share = bm25 / best if best > 0 else np.zeros_like(bm25)
    return share if cosine is None else FIRST_STAGE_COSINE * cosine + (1 - FIRST_STAGE_COSINE) * share


def _segment(terms: list[list[int]], vocab_size: int) -> LexicalSegment:
    lengths = np.fromiter((len(t) for t in terms), dtype=np.int64, count=len(terms))
    offsets = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    flat = np.fromiter((t for doc in terms for t in doc), dtype=np.int32, count=int(offsets[-1]))
    return LexicalSegment(flat, offsets, vocab_size)
