"""Fitting the re-ranker on training queries: candidates as the matcher gathers them, labelled by the qrels.

Each query contributes every candidate of its pool (about 150) with label 1 for its gold claims. A seeded 80/20
split of the training queries chooses the regularisation; the model written is then fitted on all of them. Nothing
here looks at the development queries.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from . import clef, features, search
from .index import LanguageIndex
from .rerank import LinearModel

C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
SEED = 20200


@dataclass
class QueryTable:
    query_id: int
    doc_ids: list[int]
    labels: np.ndarray
    full: np.ndarray
    lexical_ids: list[int]
    lexical_labels: np.ndarray
    lexical: np.ndarray


def tables(
    index: LanguageIndex,
    queries: Mapping[int, str],
    qrels: Mapping[int, set[int]],
    vectors: Mapping[int, np.ndarray],
    ref_of: Callable[[int], tuple[str, int]],
    *,
    without_gold: bool = False,
) -> list[QueryTable]:
    """One table per query with qrels: features of each candidate under both models, and its label.

    With `without_gold`, the gold documents are left out of the pools (every label 0): a post whose claim was never
    checked, so the model learns that the best of unrelated candidates is still no match.
    """
    out = []
    for query_id, text in queries.items():
        if query_id not in qrels:
            continue
        gold = {ref_of(d) for d in qrels[query_id]}
        exclude = gold if without_gold else set()
        pool = search.gather(index, text, vectors.get(query_id), limit=5, exclude=exclude)
        lexical_pool = search.gather(index, text, None, limit=5, exclude=exclude)
        # Reference ids, which the qrels name; positions follow document ids, so ties break alike.
        doc_ids = [index.ref_ids[p] for p in pool.positions]
        # The lexical model learns on the lexical pool, which is what it ranks without the encoder.
        lexical_ids = [index.ref_ids[p] for p in lexical_pool.positions]
        out.append(
            QueryTable(
                query_id,
                doc_ids,
                np.array([(index.kinds[p], index.ref_ids[p]) in gold for p in pool.positions], dtype=np.int8),
                pool.matrix(index, text, features.FULL),
                lexical_ids,
                np.array([(index.kinds[p], index.ref_ids[p]) in gold for p in lexical_pool.positions], dtype=np.int8),
                lexical_pool.matrix(index, text, features.LEXICAL),
            )
        )
    return out


def fit(matrices: Sequence[np.ndarray], labels: Sequence[np.ndarray], names: Sequence[str], c: float) -> LinearModel:
    from sklearn.linear_model import LogisticRegression

    x = np.vstack(matrices).astype(np.float64)
    y = np.concatenate(labels)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit((x - mean) / scale, y)
    return LinearModel(tuple(names), mean, scale, model.coef_[0], float(model.intercept_[0]))


def map_at_5(model: LinearModel, rows: Sequence[QueryTable], qrels: Mapping[int, set[int]], lexical: bool) -> float:
    runs = {}
    for table in rows:
        matrix = table.lexical if lexical else table.full
        ids = table.lexical_ids if lexical else table.doc_ids
        scores = model.score(matrix)
        runs[table.query_id] = [ids[i] for i in sorted(range(len(ids)), key=lambda i: (-scores[i], ids[i]))]
    return clef.evaluate(runs, {t.query_id: qrels[t.query_id] for t in rows})["MAP@5"]


def split(rows: Sequence[QueryTable], held_out: float = 0.2) -> tuple[list[QueryTable], list[QueryTable]]:
    shuffled = list(rows)
    random.Random(SEED).shuffle(shuffled)
    cut = int(len(shuffled) * (1 - held_out))
    return shuffled[:cut], shuffled[cut:]


def train(
    rows: Sequence[QueryTable],
    unmatched: Sequence[QueryTable],
    qrels: Mapping[int, set[int]],
    log: Callable[[str], None],
) -> dict:
    """Both models, regularisation chosen on the held-out fifth, refitted on every training query.

    `unmatched` holds the same queries with their gold left out; they are fitted on (split like the rest) so that
    a high score needs a close candidate, not just the best of a poor lot.
    """
    fitted, report = {}, {}
    learn, held = split(rows)
    learn_ids = {t.query_id for t in learn}
    learn_unmatched = [t for t in unmatched if t.query_id in learn_ids]
    for kind, names, lexical in (("full", features.FULL, False), ("lexical", features.LEXICAL, True)):

        def parts(subset, lexical=lexical):
            if lexical:
                return [t.lexical for t in subset], [t.lexical_labels for t in subset]
            return [t.full for t in subset], [t.labels for t in subset]

        scores = {c: map_at_5(fit(*parts(learn + learn_unmatched), names, c), held, qrels, lexical) for c in C_GRID}
        best = max(C_GRID, key=lambda c: (scores[c], -abs(np.log(c))))
        log(f"{kind}: held-out MAP@5 by C: " + ", ".join(f"{c:g}={scores[c]:.4f}" for c in C_GRID) + f"; C={best:g}")
        fitted[kind] = fit(*parts(list(rows) + list(unmatched)), names, best)
        report[kind] = {"C": best, "held_out_map5": round(scores[best], 4)}
    return {"models": {kind: model.to_json() for kind, model in fitted.items()}, "validation": report}
