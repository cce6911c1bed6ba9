"""The CLEF 2020 CheckThat! Task 2 files and its measures (MAP@k as trectools' get_map(depth=k), MRR)."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class VerifiedClaim:
    id: int
    vclaim: str
    title: str

    @property
    def text(self) -> str:
        return f"{self.vclaim} {self.title}"


def _rows(path: str | Path) -> list[list[str]]:
    # The files quote fields as pandas writes them: a field may hold tabs, quotes and line breaks.
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t")
        next(reader, None)
        return [row for row in reader if row]


def read_claims(path: str | Path) -> list[VerifiedClaim]:
    return [VerifiedClaim(int(row[0]), row[1], row[2]) for row in _rows(path)]


def read_queries(path: str | Path) -> dict[int, str]:
    return {int(row[0]): row[1] for row in _rows(path)}


def read_qrels(path: str | Path) -> dict[int, set[int]]:
    relevant: dict[int, set[int]] = defaultdict(set)
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 4 and int(parts[3]) > 0:
                relevant[int(parts[0])].add(int(parts[2]))
    return dict(relevant)


def rank(scores: Mapping[int, float]) -> list[int]:
    """Claim ids best first; equal scores in claim id order, as the official scorer breaks ties."""
    return sorted(scores, key=lambda claim_id: (-scores[claim_id], claim_id))


def average_precision(ranked: Sequence[int], relevant: set[int], k: int) -> float:
    hits, total = 0, 0.0
    for position, claim_id in enumerate(ranked[:k], start=1):
        if claim_id in relevant:
            hits += 1
            total += hits / position
    return total / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: Sequence[int], relevant: set[int]) -> float:
    for position, claim_id in enumerate(ranked, start=1):
        if claim_id in relevant:
            return 1.0 / position
    return 0.0


def evaluate(runs: Mapping[int, Sequence[int]], qrels: Mapping[int, set[int]]) -> dict[str, float]:
    """MAP@1, MAP@5, MRR and recall of the gold in the top 5 / everything ranked, over the queries with qrels."""
    queries = [q for q in qrels if qrels[q]]
    if not queries:
        return {"MAP@1": 0.0, "MAP@5": 0.0, "MRR": 0.0, "R@5": 0.0, "R@all": 0.0}
    n = len(queries)

    def recall(ranked: Sequence[int], relevant: set[int]) -> float:
        return len(relevant.intersection(ranked)) / len(relevant)

    return {
        "MAP@1": sum(average_precision(runs.get(q, []), qrels[q], 1) for q in queries) / n,
        "MAP@5": sum(average_precision(runs.get(q, []), qrels[q], 5) for q in queries) / n,
        "MRR": sum(reciprocal_rank(runs.get(q, []), qrels[q]) for q in queries) / n,
        "R@5": sum(recall(list(runs.get(q, []))[:5], qrels[q]) for q in queries) / n,
        "R@all": sum(recall(runs.get(q, []), qrels[q]) for q in queries) / n,
    }
