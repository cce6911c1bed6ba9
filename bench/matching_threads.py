"""What a matcher search costs in CPU, alone and beside another: the CLEF 2020 dev tweets against the CLEF claims.

    .venv/bin/python bench/matching_threads.py [--database URL] [--blas-threads N]

Loads the CLEF verified claims into their collection ("clef2020") when they are not there yet, then runs the 197 dev
tweets through the public search once in one thread and once split between two threads of one process (as two
requests in one web worker), and prints searches per second, median and p95 milliseconds, and the CPU seconds the
process used. `--blas-threads 2` lifts the one-thread cap the matcher puts on NumPy's BLAS, to compare.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import threading
import time

from benchkit import percentile
from matching import DATA, setup


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def search_all(texts: list[str], times: list[float]) -> None:
    from django.db import connection

    from claims.matching import evaluation, find_similar

    for text in texts:
        started = time.perf_counter()
        find_similar(text, language=evaluation.LANGUAGE, limit=5, collection=evaluation.COLLECTION)
        times.append((time.perf_counter() - started) * 1000)
    connection.close()


def run(label: str, texts: list[str], searchers: int) -> None:
    from claims.matching import encoder

    encoder.forget_remembered()
    times: list[float] = []
    threads = [threading.Thread(target=search_all, args=(texts[i::searchers], times)) for i in range(searchers)]
    wall, cpu = time.perf_counter(), cpu_seconds()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    print(
        f"{label:<16}{len(times) / wall:>8.1f} searches/s   median {statistics.median(times):5.1f} ms   "
        f"p95 {percentile(times, 95):5.1f} ms   CPU {cpu:4.1f} s in {wall:4.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="database URL (default: DATABASE_URL, else the SQLite file)")
    parser.add_argument("--blas-threads", type=int, help="NumPy's BLAS threads after the matcher has set them")
    args = parser.parse_args()
    setup(args.database)
    import threadpoolctl

    from claims.matching import clef, evaluation

    evaluation.load_claims(clef.read_claims(DATA / "verified_claims.docs.tsv"), progress=True)
    texts = list(clef.read_queries(DATA / "dev" / "tweets.queries.tsv").values())
    evaluation.rank_queries(dict(enumerate(texts[:3])))  # index and model loaded, as in a warm web worker
    if args.blas_threads:
        threadpoolctl.threadpool_limits(args.blas_threads, user_api="blas")
    print(f"{len(texts)} dev tweets against the CLEF claims")
    run("one searcher", texts, 1)
    run("two searchers", texts, 2)


if __name__ == "__main__":
    main()
