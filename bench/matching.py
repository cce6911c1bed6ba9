"""The "already fact-checked?" matcher at scale: CLEF 2020 dev tweets against 10,375 claims, then against N documents.

    .venv/bin/python bench/matching.py [--scale 1000000] [--database URL]

N documents = the 10,375 CLEF verified claims plus generated claims (bench/matching_corpus.py, seeded). The generated
claims are encoded once and cached under bench/.cache/ in chunks, so a rerun (or a larger scale) skips what is
there. They are at most 40 word pieces long, so encoding them with max_seq_length 64 truncates nothing; batches are
length-sorted and use every torch thread. Rows go in with bulk INSERTs into their own collection ("bench") of the
database given (default: the configured one); the CLEF claims keep their collection ("clef2020"). Printed: load and
index times, memory, and for both sizes MAP@5, the gold's recall in the top 5 and top 20, and ms per query.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from benchkit import create_database_if_missing

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "benchmarks" / "clef2020-task2"
CACHE = Path(__file__).resolve().parent / ".cache"
CHUNK = 10_000
SEED = 2020
COLLECTION = "bench"
DEPTH = 20


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1_000_000, help="documents in the large setting")
    parser.add_argument("--database", help="database URL (default: DATABASE_URL, else the SQLite file)")
    parser.add_argument("--data", default=str(DATA), help="the clef2020-task2 folder")
    return parser.parse_args()


def setup(database: str | None) -> None:
    if database:
        os.environ["DATABASE_URL"] = database
    create_database_if_missing(os.environ.get("DATABASE_URL", ""))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()
    from django.db import connection

    if "claims_matchdocument" not in connection.introspection.table_names():
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def generated_vectors(count: int) -> np.ndarray:
    """Embeddings of the first `count` generated claims, from the cache or encoded now (and cached)."""
    from matching_corpus import sentences
    from tqdm import tqdm

    from claims.matching import encoder

    CACHE.mkdir(exist_ok=True)
    texts = list(sentences(count, SEED))
    parts, todo = [], 0
    chunks = range(0, count, CHUNK)
    for start in chunks:
        path = _cached(start)
        if not path.exists() or np.load(path, mmap_mode="r").shape[0] < min(CHUNK, count - start):
            todo += min(CHUNK, count - start)
    started = time.perf_counter()
    with tqdm(total=todo, desc="encode", unit="doc", disable=not todo) as bar:
        for start in chunks:
            path = _cached(start)
            end = min(start + CHUNK, count)
            if path.exists() and np.load(path, mmap_mode="r").shape[0] >= end - start:
                parts.append(np.load(path)[: end - start])
                continue
            block = texts[start : start + CHUNK] if end - start == CHUNK else texts[start:end]
            vectors = encoder.encode(block, batch_size=128, max_seq_length=64).astype(np.float16)
            np.save(path, vectors)
            parts.append(vectors)
            bar.update(len(block))
    if todo:
        seconds = time.perf_counter() - started
        print(f"encoded {todo:,} generated claims in {seconds:.0f} s: {todo / seconds:.0f} per second")
    return np.vstack(parts) if parts else np.zeros((0, encoder.DIMENSIONS), dtype=np.float16)


def _cached(start: int) -> Path:
    """The cache file of the chunk of generated claims from `start`, named after the encoder that wrote it."""
    from claims.matching import encoder

    return CACHE / f"generated-{encoder.identity()}-{SEED}-{start // CHUNK:04d}.npy"


def fill_collection(scale: int, clef_rows: list[tuple]) -> None:
    """The bench collection: the CLEF claims (their stored embeddings) plus generated claims, bulk-inserted."""
    from django.db import transaction
    from django.utils import timezone
    from matching_corpus import sentences
    from tqdm import tqdm

    from claims.matching.models import MatchDocument

    generated = max(0, scale - len(clef_rows))
    from claims.matching import encoder, stale_documents

    written_by = encoder.identity()
    held = MatchDocument.objects.filter(collection=COLLECTION).count()
    if held == len(clef_rows) + generated and not stale_documents(COLLECTION).exists():
        print(f"collection {COLLECTION!r} already holds {scale:,} documents")
        return
    vectors = generated_vectors(generated)
    started = time.perf_counter()
    delete_collection()
    now = timezone.now()
    clef_docs = [
        MatchDocument(
            collection=COLLECTION, kind=kind, ref_id=ref, language="en", text=text, embedding=emb, encoder=written_by
        )
        for kind, ref, text, emb in clef_rows
    ]
    MatchDocument.objects.bulk_create(clef_docs, batch_size=2000)
    batch = 5000
    texts = sentences(generated, SEED)
    with tqdm(total=generated, desc="insert", unit="doc") as bar:
        for start in range(0, generated, batch):
            end = min(start + batch, generated)
            docs = [
                MatchDocument(
                    collection=COLLECTION,
                    kind="claim",
                    ref_id=i + 1,
                    language="en",
                    text=next(texts),
                    embedding=vectors[i].astype("<f4").tobytes(),
                    encoder=written_by,
                    updated_at=now,
                )
                for i in range(start, end)
            ]
            with transaction.atomic():
                MatchDocument.objects.bulk_create(docs, batch_size=batch)
            bar.update(end - start)
    print(f"inserted {scale:,} rows in {time.perf_counter() - started:.0f} s")
    settle_table()


def delete_collection() -> None:
    """Empty the bench collection in one statement. The ORM's delete would first set to null the report sentences
    that point at these rows, passing every id as a parameter, which fails past 65,535 rows; no report sentence
    points at a bench row."""
    from django.db import connection

    from claims.matching.models import MatchDocument

    table = connection.ops.quote_name(MatchDocument._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE collection = %s", [COLLECTION])


def settle_table() -> None:
    """Vacuum and analyze the freshly written table, on PostgreSQL, before anything reads it: the cold load then finds
    every row's hint bits set instead of setting them itself (54 s instead of 91-103 s for a million rows), and the
    planner has statistics even where autovacuum is off."""
    from django.db import connection

    from claims.matching.models import MatchDocument

    if connection.vendor != "postgresql":
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(MatchDocument._meta.db_table)}")
    print(f"vacuumed and analyzed the table in {time.perf_counter() - started:.0f} s")


def measure(collection: str, queries: dict[int, str], qrels: dict[int, set[int]]) -> dict[str, float]:
    from claims.matching import clef, encoder, evaluation

    # The 10,375-claim pass encodes the same tweets: without this the larger pass would time searches without the
    # encoder, which is a third of a query.
    encoder.forget_remembered()
    run = evaluation.rank_queries(queries, collection=collection, depth=DEPTH)
    # Only the CLEF claims (kind external) can be gold; generated claims count as wrong answers.
    scores = clef.evaluate(run.ranked, qrels)
    ranked = {q: ids[:DEPTH] for q, ids in run.ranked.items()}
    return {
        **scores,
        "R@20": clef.evaluate(ranked, qrels)["R@all"],
        "pool": pool_recall(collection, queries, qrels),
        "median": run.median_ms,
        "p95": run.p95_ms,
    }


def pool_recall(collection: str, queries: dict[int, str], qrels: dict[int, set[int]]) -> float:
    """Share of gold claims among the candidates that BM25 and the dense index hand to the re-ranker."""
    from claims.matching import encoder, search, store
    from claims.matching import text as textlib

    index = store.collection_index(collection).languages["en"]
    ids = [q for q in queries if q in qrels]
    vectors = encoder.encode([textlib.clean(queries[q]) for q in ids])
    found = total = 0
    for query_id, vector in zip(ids, vectors, strict=True):
        pool = search.gather(index, queries[query_id], vector, limit=DEPTH)
        refs = {index.ref_ids[p] for p in pool.positions if index.kinds[p] == "external"}
        found += len(qrels[query_id] & refs)
        total += len(qrels[query_id])
    return found / total if total else 0.0


def main() -> None:
    args = parse_args()
    setup(args.database)
    from django.db import connection

    from claims.matching import clef, evaluation, store
    from claims.matching.models import MatchDocument

    data = Path(args.data)
    claims = clef.read_claims(data / "verified_claims.docs.tsv")
    queries = clef.read_queries(data / "dev" / "tweets.queries.tsv")
    qrels = clef.read_qrels(data / "dev" / "tweet-vclaim-pairs.qrels")
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; scale {args.scale:,}")
    print(f"machine: {evaluation.machine()}")
    evaluation.load_claims(claims, progress=True)
    small = measure(evaluation.COLLECTION, queries, qrels)
    clef_rows = list(
        MatchDocument.objects.filter(collection=evaluation.COLLECTION, active=True).values_list(
            "kind", "ref_id", "text", "embedding"
        )
    )
    fill_collection(args.scale, clef_rows)
    store.reset()
    before = rss_mb()
    started = time.perf_counter()
    store.collection_index(COLLECTION).sync(progress=True)
    load_seconds = time.perf_counter() - started
    grown = rss_mb() - before
    large = measure(COLLECTION, queries, qrels)
    print(f"cold load and index build of {args.scale:,} documents: {load_seconds:.0f} s, +{grown:,.0f} MB resident")
    print(f"{'dev queries (197)':<28}{'10,375 claims':>16}{f'{args.scale:,} docs':>16}")
    rows = (("MAP@5", "MAP@5"), ("R@5", "gold in top 5"), ("R@20", "gold in top 20"), ("pool", "gold among candidates"))
    for name, label in rows:
        print(f"{label:<28}{small[name]:>16.4f}{large[name]:>16.4f}")
    for name in ("median", "p95"):
        print(f"{'ms per query, ' + name:<28}{small[name]:>16.1f}{large[name]:>16.1f}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}; machine now: {evaluation.machine()}")


if __name__ == "__main__":
    main()
