"""Nearest neighbours by cosine over one language's embeddings, keyed by the language index's positions.

The search never gives up early the way a graph index does for queries unlike the stored documents (tweets against
claims: HNSW kept the gold in its top 100 for 136 of 197 dev queries at 510,000 vectors, exact search for 178). It
runs in two steps:
- the sign bits of every vector (48 bytes each) are compared with the query's by Hamming distance (faiss, one
  thread: 6-9 ms at a million vectors);
- the closest by bits (RESCORE_PER_RESULT per result wanted, at least RESCORE) are rescored by exact cosine from
  float16 copies of the vectors.
Sign bits are a coarse measure: at a million vectors the bits' top 4,000 hold 85 % of the exact top 100 and their top
8,000 92 %. For the 200 that search.py asks for, the bits' top 4,000 are rescored: rescoring 16,000 for a list of
1,000 put no more gold in the top 5 (bench/README.md). Below RESCORE
vectors the cosine is computed for all of them. Vectors are never removed from the arrays (the language index never
reuses a position and drops dead ones from every answer), so an add is an append.
"""

from __future__ import annotations

import functools
import logging

import numpy as np

from .encoder import DIMENSIONS

RESCORE_PER_RESULT = 16
RESCORE = 4_000
_GROWTH = 1.5


def _faiss():
    # Its loader logs, at INFO, each CPU-specific build it looked for before the one it loads.
    logging.getLogger("faiss.loader").setLevel(logging.WARNING)
    import faiss

    # A second thread waiting for a busy CPU costs 10-20x: one scan per request thread is the fast path here.
    faiss.omp_set_num_threads(1)
    _blas_on_one_thread()
    return faiss


@functools.cache
def _blas_on_one_thread() -> None:
    """NumPy's OpenBLAS split the rescoring's matrix-vector product over both cores and left its helper thread
    spinning after it: on one thread a search takes as long and half the CPU time (bench/README.md), which
    concurrent requests then have."""
    import threadpoolctl

    threadpoolctl.threadpool_limits(1, user_api="blas")


class DenseIndex:
    def __init__(self) -> None:
        self.bits = _faiss().IndexBinaryFlat(DIMENSIONS)
        # Counting distances instead of keeping a heap of the best: for the thousands of bits' neighbours rescored,
        # 11-18 % faster at a million vectors, the same neighbours (bench/README.md).
        self.bits.use_heap = False
        self.vectors = np.zeros((0, DIMENSIONS), dtype=np.float16)  # by slot, the order of addition
        self.position_of = np.zeros(0, dtype=np.int64)  # slot -> language index position
        self.slot_of = np.zeros(0, dtype=np.int64)  # language index position -> slot, -1 without a vector
        self.size = 0

    def __len__(self) -> int:
        return self.size

    @property
    def memory_bytes(self) -> int:
        return self.vectors.nbytes + self.position_of.nbytes + self.slot_of.nbytes + self.size * DIMENSIONS // 8

    def add(self, positions: np.ndarray, vectors: np.ndarray) -> None:
        if not len(positions):
            return
        vectors = np.asarray(vectors, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = vectors / np.where(norms > 0, norms, 1.0)
        end = self.size + len(positions)
        self._reserve(end, int(positions.max()) + 1)
        self.vectors[self.size : end] = vectors
        self.position_of[self.size : end] = positions
        self.slot_of[positions] = np.arange(self.size, end)
        self.bits.add(np.packbits(vectors > 0, axis=1))
        self.size = end

    def _reserve(self, slots: int, positions: int) -> None:
        if slots > len(self.vectors):
            grown = max(slots, int(len(self.vectors) * _GROWTH))
            self.vectors = np.resize(self.vectors, (grown, DIMENSIONS))
            self.position_of = np.resize(self.position_of, grown)
        if positions > len(self.slot_of):
            old = len(self.slot_of)
            self.slot_of = np.resize(self.slot_of, max(positions, int(old * _GROWTH)))
            self.slot_of[old:] = -1

    def search(self, query: np.ndarray, count: int, alive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions and cosines of the `count` nearest live vectors, nearest first."""
        if not self.size or count <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        query = np.asarray(query, dtype=np.float32)
        if self.size <= RESCORE:
            slots = np.arange(self.size)
        else:
            code = np.packbits(query > 0).reshape(1, -1)
            _, found = self.bits.search(code, min(max(RESCORE, count * RESCORE_PER_RESULT), self.size))
            slots = found[0][found[0] >= 0]
        slots = slots[alive[self.position_of[slots]]]
        cosines = self.vectors[slots].astype(np.float32) @ query
        if len(slots) > count:
            top = np.argpartition(-cosines, count)[:count]
            slots, cosines = slots[top], cosines[top]
        order = np.argsort(-cosines, kind="stable")
        return self.position_of[slots[order]], cosines[order]

    def cosines(self, query: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """Cosine of the query with each position's vector; 0 for positions without one."""
        out = np.zeros(len(positions), dtype=np.float32)
        if not len(positions):
            return out
        inside = positions < len(self.slot_of)
        slots = np.full(len(positions), -1, dtype=np.int64)
        slots[inside] = self.slot_of[positions[inside]]
        has = slots >= 0
        out[has] = self.vectors[slots[has]].astype(np.float32) @ np.asarray(query, dtype=np.float32)
        return out
