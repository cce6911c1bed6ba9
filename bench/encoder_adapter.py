"""The encoder's adapter by cosine alone: the CLEF 2020 dev tweets against the 10,375 verified claims, then with N
generated claims added (bench/matching_corpus.py), encoded with the adapter and without it.

    .venv/bin/python bench/encoder_adapter.py [--distractors 100000] [--without-packaged] [--adapter DIR] [--matcher]

No database and no re-ranker: exact cosines only, so the figures say what the encoder alone does. The generated
claims' vectors come from the matching bench's cache (bench/.cache/, one set per encoder), or are encoded and
cached there. Prints, for each encoder and size, MAP@5 and the share of the gold in the top 5 and the top 100.

--adapter DIR measures an adapter written by `manage.py tune_encoder --output DIR` instead of the shipped one.
--matcher also ranks through the whole matcher in memory (both retrievers, the shipped re-ranker; no database, so
its lexical segments are cut where the desk's would not be and figures may differ from `evaluate_matching` by a
query or two) and prints MAP@5 and the gold in the top 5, in the top 20 and among the re-ranker's candidates.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
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


def through_matcher(
    claims: list,
    documents: np.ndarray,
    generated: list[str],
    generated_vectors: np.ndarray | None,
    dev: Dev,
    posts: np.ndarray,
) -> str:
    """The dev tweets through the matcher's own index, candidates and re-ranker, without the database."""
    from claims.matching import clef, rerank, search
    from claims.matching.index import LanguageIndex, Row

    index = LanguageIndex()
    index.add([Row(i + 1, "claim", c.id, c.text, documents[i]) for i, c in enumerate(claims)])
    first = len(claims) + 1
    for start in range(0, len(generated), CHUNK):
        stop = min(start + CHUNK, len(generated))
        vectors = generated_vectors[start:stop].astype(np.float32)
        index.add([Row(first + j, "generated", 0, generated[j], vectors[j - start]) for j in range(start, stop)])
    model = rerank.model_for(dense=True)
    runs, among = {}, 0
    for row, q in enumerate(dev.asked):
        pool = search.gather(index, dev.queries[q], posts[row], limit=5)
        scores = model.score(pool.matrix(index, dev.queries[q], model.names))
        # A generated claim gets a reference no gold has; equal scores in document order, as the desk ranks.
        refs = [index.ref_ids[p] if index.kinds[p] == "claim" else -int(p) - 1 for p in pool.positions]
        order = sorted(range(len(refs)), key=lambda i: (-scores[i], int(pool.positions[i])))
        runs[q] = [refs[i] for i in order]
        among += bool(set(refs) & dev.qrels[q])
    found = clef.evaluate(runs, dev.qrels)
    top20 = np.mean([bool(set(runs[q][:20]) & dev.qrels[q]) for q in dev.asked])
    return (
        f"MAP@5 {found['MAP@5']:.4f}  gold in top 5 {found['R@5']:.4f}  in top 20 {top20:.4f}  "
        f"among the candidates {among / len(dev.asked):.4f}"
    )


@dataclass
class Dev:
    queries: dict[int, str]
    qrels: dict[int, set[int]]
    asked: list[int]


def dev_queries() -> Dev:
    from claims.matching import clef

    queries = clef.read_queries(DATA / "dev" / "tweets.queries.tsv")
    qrels = clef.read_qrels(DATA / "dev" / "tweet-vclaim-pairs.qrels")
    return Dev(queries, qrels, [q for q in queries if q in qrels])


def measure(label: str, distractors: int, matcher: bool = False) -> None:
    import matching
    from matching_corpus import sentences

    from claims.matching import clef, encoder
    from claims.matching import text as textlib

    claims = clef.read_claims(DATA / "verified_claims.docs.tsv")
    dev = dev_queries()
    ids = [c.id for c in claims]
    documents = encoder.encode([textlib.clean(c.text) for c in claims], batch_size=128)
    posts = encoder.encode([textlib.clean(dev.queries[q]) for q in dev.asked], batch_size=128)
    generated = matching.generated_vectors(distractors) if distractors else None
    sizes = {"10,375 claims": 0} | ({f"+ {distractors:,} generated": distractors} if distractors else {})
    for size, count in sizes.items():
        parts = [documents] + ([generated] if count else [])
        best = top(posts, parts)
        runs = {q: [ids[j] if j < len(ids) else -j for j in best[row]] for row, q in enumerate(dev.asked)}
        scores = clef.evaluate(runs, dev.qrels)
        print(
            f"{label:<36}{size:<24}MAP@5 {scores['MAP@5']:.4f}  gold in top 5 {scores['R@5']:.4f}  "
            f"in top {DEEPEST} {scores['R@all']:.4f}",
            flush=True,
        )
        if matcher:
            texts = list(sentences(count, matching.SEED)) if count else []
            found = through_matcher(claims, documents, texts, generated, dev, posts)
            print(f"{'':<36}{'':<24}through the matcher: {found}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--distractors", type=int, default=100_000, help="generated claims added (0: none)")
    parser.add_argument(
        "--without-packaged", action="store_true", help="measure the adapter only (no second million to encode)"
    )
    parser.add_argument("--adapter", type=Path, help="an adapter folder written by tune_encoder --output")
    parser.add_argument("--matcher", action="store_true", help="also rank through the whole matcher in memory")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from claims.matching import adapter, encoder

    if args.adapter:
        if not adapter._present(args.adapter.resolve()):
            parser.error(f"no {adapter.CONFIG} and {adapter.WEIGHTS} in {args.adapter}")
        adapter.FOLDER = args.adapter.resolve()
    measure(f"with the adapter ({adapter.identity().split('+')[-1]})", args.distractors, args.matcher)
    if args.without_packaged:
        return
    with adapter.suspended():
        measure(f"packaged ({encoder.identity()})", args.distractors, args.matcher)


if __name__ == "__main__":
    main()
