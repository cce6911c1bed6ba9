"""Web benchmark: the public pages and the API under load, on PostgreSQL and Redis, against ceilings of the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/web.py [--quick] [--scale N]

DATABASE_URL and REDIS_URL name the servers only: the bench (re)creates its own database (factcheck_bench_web,
through the server's maintenance database "postgres") and empties and uses its own Redis database number (14) for
the page cache and the broker. gunicorn (config.settings.bench) serves on loopback; wrk loads it from its own
process. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from benchkit import Worker, database_exists, log, recreate_database, require_servers, with_path
from web_load import Gunicorn, Load, LoadResult, prime, require_wrk, run_wrk, server_cpu_s
from web_probe import Probe, page_pairs, probe
from web_texts import SEARCH_WORDS

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

WARMUP_LIMIT_S = 900

POST_BODIES = (
    {"text": "The budget doubled in two years {n}", "language": "en", "claimant": "Maria Rossi", "topics": []},
    {"text": "Бюджет школ вырос вдвое {n}", "language": "ru", "claimant": "Анна Иванова"},
    {"text": "تضاعفت الميزانية خلال عامين {n}", "language": "ar"},
    {"text": "预算在两年内翻了一番 {n}", "language": "zh-hans"},
    {"text": "दो साल में बजट दोगुना हो गया {n}", "language": "hi"},
)


def add_site_arguments(parser: argparse.ArgumentParser, scale: int, db_name: str, redis_db: int) -> None:
    """The options of the generated site that open_site serves (shared by this bench and the soak)."""
    parser.add_argument("--scale", type=int, default=scale, help=f"claims ({scale}); the rest follows")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (4)")
    parser.add_argument("--db-name", default=db_name, help=f"PostgreSQL database to (re)create ({db_name})")
    parser.add_argument("--redis-db", type=int, default=redis_db, help=f"Redis database number, emptied ({redis_db})")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_site_arguments(parser, scale=100_000, db_name="factcheck_bench_web", redis_db=14)
    parser.add_argument("--quick", action="store_true", help="2,000 claims, 5 s per load, 1 s warm-up")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of load per endpoint (15)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of unmeasured load first (3)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="turns each endpoint and its ceiling take, alternating, in --duration (3)"
    )
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (8)")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run if it has data")
    parser.add_argument(
        "--only", metavar="TEXT", action="append", help="measure only the endpoints whose name holds TEXT (repeatable)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.scale, args.duration, args.warmup = 2_000, 5.0, 1.0
    counts = (args.scale, args.connections, args.wrk_threads, args.workers, args.threads, args.rounds)
    if min(counts) < 1 or args.duration <= 0:
        parser.error("counts and durations must be positive")
    return args


# --- the database ---------------------------------------------------------------------------------------------------


def prepare_database(server_url: str, name: str, reuse: bool) -> tuple[str, bool]:
    """(URL of the bench database, whether it was kept). The database DATABASE_URL names need not exist."""
    if reuse and database_exists(server_url, name):
        return with_path(server_url, f"/{name}"), True
    return recreate_database(server_url, name), False


def environment(db_url: str, redis_url: str, static_root: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CACHE_URL": redis_url,
        "BENCH_STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
        "EMAIL_URL": "console://",
        # The bench primes each endpoint itself before measuring it; an index loading in the background would run
        # under the first endpoints' measurements instead (a minute of both CPUs at a million claims).
        "MATCHING_WARM_UP": "false",
    }


@dataclass(frozen=True)
class Site:
    env: dict[str, str]
    workdir: Path
    kept: bool  # the database of an earlier run was kept
    redis: Any  # the bench's Redis database, emptied


def open_site(script: str, prefix: str, db_name: str, redis_db: int, *, reuse: bool) -> Site:
    """A bench's own database (migrated) and Redis database (emptied), with Django set up on them in this process."""
    database_url, redis_url = require_servers(script)
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    log(f"preparing database {db_name} (logs in {workdir})")
    db_url, kept = prepare_database(database_url, db_name, reuse)
    env = environment(db_url, with_path(redis_url, f"/{redis_db}"), str(workdir / "static"))
    os.environ.update(env)

    import django

    django.setup()
    import redis as redis_client
    from django.core.management import call_command

    redis = redis_client.Redis.from_url(env["REDIS_URL"])
    redis.flushdb()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    return Site(env, workdir, kept, redis)


# --- endpoints ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str
    load: Load
    ceiling: Load | None  # None: a page, whose ceiling is a constant body of its size
    publishing_every_s: float | None = None  # during its load, a publication this often puts every page out of date


def endpoints(editor: dict[str, str], journalist: dict[str, str], slugs: list[str]) -> list[Endpoint]:
    json_type = {"Content-Type": "application/json"}
    bodies = tuple(json.dumps(body, ensure_ascii=False) for body in POST_BODIES)
    verdicts = tuple(f"/fact-checks/{slug}/" for slug in slugs)
    return [
        Endpoint("API fact-checks list (anonymous)", Load(paths=("/api/v1/fact-checks/",)),
                 Load(paths=("/bench/ceiling/fact-checks.json",))),
        Endpoint("API fact-checks list, uncached", Load(paths=("/api/v1/fact-checks/",), cold=True),
                 Load(paths=("/bench/ceiling/fact-checks.json",), cold=True)),
        Endpoint("API claims list (editor, token)", Load(paths=("/api/v1/claims/",), headers=editor),
                 Load(paths=("/bench/ceiling/claims.json",))),
        Endpoint("API claims ?status=queued (editor)", Load(paths=("/api/v1/claims/?status=queued",), headers=editor),
                 Load(paths=("/bench/ceiling/claims.json?status=queued",))),
        Endpoint("/fact-checks/ cold", Load(paths=("/fact-checks/",), cold=True), None),
        Endpoint("/fact-checks/ warm", Load(paths=("/fact-checks/",)), None),
        Endpoint("/fact-checks/?q=word cold",
                 Load(paths=tuple(f"/fact-checks/?q={quote(word)}" for word in SEARCH_WORDS), cold=True), None),
        Endpoint("/fact-checks/ warm, publishing", Load(paths=("/fact-checks/",)), None, publishing_every_s=0.5),
        Endpoint("verdict page cold", Load(paths=verdicts, cold=True), None),
        Endpoint("verdict page warm", Load(paths=verdicts[:1]), None),
        Endpoint("/sitemap.xml", Load(paths=("/sitemap.xml",)), None),
        Endpoint("Atom feed", Load(paths=("/feeds/fact-checks.atom",)), None),
        Endpoint("POST /api/v1/claims/ (journalist)",
                 Load("POST", ("/api/v1/claims/",), headers={**journalist, **json_type}, bodies=bodies),
                 Load("POST", ("/bench/ceiling/claims/",), headers=json_type, bodies=bodies)),
    ]  # fmt: skip


def chosen(every: list[Endpoint], only: list[str] | None) -> list[Endpoint]:
    """The endpoints whose name holds one of `only` (all without it); an `only` that names none is an error."""
    if not only:
        return every
    picked = [endpoint for endpoint in every if any(text in endpoint.name for text in only)]
    if not picked:
        raise SystemExit(f"--only {only} names no endpoint; names: " + ", ".join(e.name for e in every))
    return picked


def token_headers(server: Gunicorn, username: str, password: str) -> dict[str, str]:
    body = json.dumps({"username": username, "password": password}).encode()
    status, answer = server.request("POST", "/api/v1/auth/token/", body, {"Content-Type": "application/json"})
    if status != 200:
        raise RuntimeError(f"POST /api/v1/auth/token/ for {username} answered {status}: {answer[:300]!r}")
    return {"Authorization": f"Token {json.loads(answer)['token']}"}


# --- measuring ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    name: str
    result: LoadResult
    ceiling: LoadResult
    probe: Probe
    warmed_s: float  # warm-up time before the measured load


def measure(server: Gunicorn, endpoint: Endpoint, args: argparse.Namespace, site: Site) -> Row:
    workdir = site.workdir
    found = probe(endpoint.load)
    if found.status >= 400:
        raise RuntimeError(f"{endpoint.name}: {endpoint.load.paths[0]} answered {found.status}")
    ceiling = endpoint.ceiling or Load(paths=(f"/bench/ceiling/page?bytes={found.size}",))

    options = {"connections": args.connections, "threads": args.wrk_threads, "workdir": workdir}
    loads = (endpoint.load, ceiling)
    warmed: dict[int, float] = {}  # seconds of priming and warm-up before each load's first turn

    def load(which: int, seconds: float) -> LoadResult:
        if which not in warmed:
            started = time.monotonic()
            # The first submission in each gunicorn worker loads the matcher's sentence encoder and reads its
            # documents: far longer than a warm-up, so every endpoint is first primed by requests that are waited for.
            prime(server, loads[which], args.connections, timeout_s=WARMUP_LIMIT_S)
            if args.warmup > 0:
                run_wrk(server.base_url, loads[which], seconds=args.warmup, **options)
            warmed[which] = time.monotonic() - started
        cpu_before = server_cpu_s(server.pid)
        result = run_wrk(server.base_url, loads[which], seconds=seconds, **options)
        return replace(result, server_cpu_s=server_cpu_s(server.pid) - cpu_before)

    log(f"{endpoint.name}: {found.queries} queries, {found.size:,} bytes; loading it and its ceiling in turns")
    results: tuple[list[LoadResult], list[LoadResult]] = ([], [])
    with refreshing_worker(endpoint.publishing_every_s is not None, site):
        for which in turns(args.rounds):
            with publications(endpoint.publishing_every_s if which == 0 else None):
                results[which].append(load(which, args.duration / args.rounds))
    return Row(endpoint.name, combined(results[0]), combined(results[1]), found, warmed[0])


def turns(rounds: int) -> list[int]:
    """The order of the endpoint's (0) and the ceiling's (1) loads: 0 1 1 0 0 1..., so that a machine that slows
    down or speeds up during a row (a neighbour, a checkpoint) weighs on both alike, and the ratio measures the
    endpoint rather than the moment it ran."""
    order: list[int] = []
    for n in range(rounds):
        order += [0, 1] if n % 2 == 0 else [1, 0]
    return order


def combined(parts: list[LoadResult]) -> LoadResult:
    """One result of several turns: every request over every second; the median turn's p50 and the worst p99."""
    return LoadResult(
        requests=sum(part.requests for part in parts),
        seconds=sum(part.seconds for part in parts),
        p50_ms=statistics.median(part.p50_ms for part in parts),
        p99_ms=max(part.p99_ms for part in parts),
        errors=sum(part.errors for part in parts),
        server_cpu_s=sum(part.server_cpu_s for part in parts),
    )


@contextmanager
def refreshing_worker(wanted: bool, site: Site) -> Iterator[None]:
    """A Celery worker (one process, queue "default") for the tasks each publication sends: in production it counts
    the list's filter choices again after a publication, so that no reader does (core.freshness.lagging_value)."""
    if not wanted:
        yield
        return
    from config.celery import app

    app.control.purge()
    worker = Worker(app, site.env, 1, site.workdir / "worker.log", queues=("default",))
    log(f"starting a Celery worker for the publications' tasks (log: {worker.log_path})")
    worker.start()
    try:
        yield
    finally:
        worker.stop()


@contextmanager
def publications(every_s: float | None) -> Iterator[None]:
    """Put every public page out of date each `every_s` seconds while the block runs, as publishing a verdict does
    (core.freshness, through the cache gunicorn shares with this process)."""
    if every_s is None:
        yield
        return
    from core.freshness import invalidate_public_pages

    stop = threading.Event()

    def publish() -> None:
        while not stop.wait(every_s):
            invalidate_public_pages()  # outside a transaction: at once

    thread = threading.Thread(target=publish, name="publications", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def table_cells(row: Row) -> tuple[str, ...]:
    result, ceiling = row.result, row.ceiling
    latency = (f"{result.p50_ms:.1f}", f"{result.p99_ms:.1f}") if result.requests else ("-", "-")
    share = f"{result.rate / ceiling.rate:.0%}" if ceiling.rate else "-"
    cpu_share = f"{ceiling.cpu_ms / result.cpu_ms:.0%}" if result.cpu_ms and ceiling.cpu_ms else "-"
    return (row.name, f"{result.rate:,.0f}", *latency, str(result.errors), str(row.probe.queries),
            f"{ceiling.rate:,.0f}", share, f"{result.cpu_ms:.2f}", f"{ceiling.cpu_ms:.2f}", cpu_share)  # fmt: skip


def print_table(rows: list[Row]) -> None:
    head = ("endpoint", "req/s", "p50 ms", "p99 ms", "errors", "queries", "ceiling req/s", "of ceiling",
            "CPU ms", "ceiling CPU ms", "by CPU")  # fmt: skip
    cells = [table_cells(row) for row in rows]
    widths = [max(len(row[i]) for row in [head, *cells]) for i in range(len(head))]
    print("\n" + "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join([row[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True))]))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    require_wrk()
    load_at_start = os.getloadavg()[0]
    site = open_site("bench/web.py", "bench-web-", args.db_name, args.redis_db, reuse=args.reuse)
    env, workdir, kept, cache = site.env, site.workdir, site.kept, site.redis
    import web_data

    from claims.models import Claim

    scale = web_data.Scale.of(args.scale)
    notes = []
    if kept and Claim.objects.exists():
        notes.append(f"data kept from an earlier run: {Claim.objects.count():,} claims")
    else:
        log(f"generating {scale.claims:,} claims, {scale.fact_checks:,} fact-checks, {scale.claimants:,} claimants")
        started = time.perf_counter()
        written = web_data.generate(scale)
        seconds = time.perf_counter() - started
        total = sum(written.values())
        notes.append(f"data: {total:,} rows in {seconds:.0f} s ({total / seconds:,.0f} rows/s): " +
                     ", ".join(f"{table} {count:,}" for table, count in written.items()))  # fmt: skip
    generated_up_to = web_data.newest_claim_id()
    server = Gunicorn(env, args.workers, args.threads, workdir / "gunicorn.log")
    log(f"starting gunicorn: {args.workers} workers x {args.threads} threads (log: {server.log_path})")
    rows: list[Row] = []
    pages: list[tuple[str, Probe, Probe]] = []
    try:
        server.start()
        editor = token_headers(server, web_data.EDITOR, web_data.PASSWORD)
        journalist = token_headers(server, web_data.JOURNALIST, web_data.PASSWORD)
        for endpoint in chosen(endpoints(editor, journalist, web_data.sample_slugs(200)), args.only):
            rows.append(measure(server, endpoint, args, site))
        for name, first, last in page_pairs(editor):
            pages.append((name, probe(first), probe(last)))
    finally:
        server.stop()
        cache.flushdb()
        forgotten = web_data.forget_submissions(generated_up_to)
        notes.append(f"the {forgotten:,} claims the submission load wrote were deleted afterwards")
    print_table(rows)
    print("\nqueries per request, first page / last page (one request each, in-process):")
    for name, first, last in pages:
        print(f"  {name}: {first.queries} / {last.queries} queries ({first.ms:.0f} / {last.ms:.0f} ms)")
    notes.append(
        f"gunicorn {args.workers} x {args.threads} threads, wrk {args.wrk_threads} threads x {args.connections}"
        f" connections, {args.duration:g} s per load after {args.warmup:g} s of warm-up, on {os.cpu_count()} CPUs"
        f" shared with PostgreSQL, Redis and wrk (load average {load_at_start:.1f} at the start,"
        f" {os.getloadavg()[0]:.1f} at the end)"
    )
    for row in rows:
        if row.warmed_s > 3 * max(args.warmup, 1) + 5:
            notes.append(f"{row.name}: {row.warmed_s:.0f} s of warm-up before it answered steadily")
    for note in notes:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
