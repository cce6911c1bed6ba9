"""The encoder's adapter by cosine alone: the CLEF 2020 dev tweets against the 10,375 verified claims, then with N
generated claims added (bench/matching_corpus.py), encoded with the adapter and without it.

    .venv/bin/python bench/encoder_adapter.py [--distractors 100000] [--without-packaged]

No database and no re-ranker: exact cosines only, so the figures say what the encoder alone does. The generated
claims' vectors come from the matching bench's cache (bench/.cache/, one set per encoder), or are encoded and
cached there. Prints, for each encoder and size, MAP@5 and the share of the gold in the top 5 and the top 100.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "benchmarks" / "clef2020-task2"
DEEPEST = 100
CHUNK = 200_000  # float16 documents widened at a time


def top(queries: np.ndarray, documents: list[np.ndarray]) -> np.ndarray:
    """The DEEPEST best document positions per query by exact inner product, over the concatenated blocks."""
    import faiss

    index = faiss.IndexFlatIP(queries.shape[1])
    for block in documents:
        for start in range(0, len(block), CHUNK):
            index.add(np.ascontiguousarray(block[start : start + CHUNK], dtype=np.float32))
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), DEEPEST)[1]


def measure(label: str, distractors: int) -> None:
    import matching

    from claims.matching import clef, encoder
    from claims.matching import text as textlib

    claims = clef.read_claims(DATA / "verified_claims.docs.tsv")
    queries = clef.read_queries(DATA / "dev" / "tweets.queries.tsv")
    qrels = clef.read_qrels(DATA / "dev" / "tweet-vclaim-pairs.qrels")
    ids = [c.id for c in claims]
    asked = [q for q in queries if q in qrels]
    documents = encoder.encode([textlib.clean(c.text) for c in claims], batch_size=128)
    posts = encoder.encode([textlib.clean(queries[q]) for q in asked], batch_size=128)
    blocks = {"10,375 claims": [documents]}
    if distractors:
        blocks[f"+ {distractors:,} generated"] = [documents, matching.generated_vectors(distractors)]
    for size, parts in blocks.items():
        best = top(posts, parts)
        runs = {q: [ids[j] if j < len(ids) else -j for j in best[row]] for row, q in enumerate(asked)}
        scores = clef.evaluate(runs, qrels)
        print(
            f"{label:<36}{size:<24}MAP@5 {scores['MAP@5']:.4f}  gold in top 5 {scores['R@5']:.4f}  "
            f"in top {DEEPEST} {scores['R@all']:.4f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--distractors", type=int, default=100_000, help="generated claims added (0: none)")
    parser.add_argument(
        "--without-packaged", action="store_true", help="measure the adapter only (no second million to encode)"
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from claims.matching import adapter, encoder

    measure(f"with the adapter ({adapter.identity().split('+')[-1]})", args.distractors)
    if args.without_packaged:
        return
    with adapter.suspended():
        measure(f"packaged ({encoder.identity()})", args.distractors)


if __name__ == "__main__":
    main()
