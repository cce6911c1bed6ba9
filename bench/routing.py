"""Routing benchmark on real services: PostgreSQL, Redis and `celery -A config worker` processes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/routing.py [--quick] [--claims N] [--workers N]

It never touches the databases it is pointed at: it (re)creates its own PostgreSQL database (factcheck_bench on the
server of DATABASE_URL) and uses its own Redis database number (15 on the server of REDIS_URL). See bench/README.md
for what each figure means.
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

QUEUES = ("default", "routing", "notifications")
UNACKED = "unacked"  # kombu's Redis hash of messages delivered to a worker and not yet acknowledged
ROUTING_GOAL = 0.5  # routed claims/s at least half the no-op ceiling
STEADY_P95_GOAL_S = 1.0


# --- arguments and environment ------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=10_000, help="claims routed in the burst (default 10000)")
    parser.add_argument("--noop-tasks", type=int, help="no-op tasks for the ceiling (default: as many as --claims)")
    parser.add_argument("--workers", type=int, default=2, help="worker pool processes, celery -c (default 2)")
    parser.add_argument("--reviewers", type=int, default=50, help="reviewers, language en (default 50)")
    parser.add_argument("--rate", type=float, default=50.0, help="steady load: claims triaged per second (50)")
    parser.add_argument("--duration", type=float, default=20.0, help="steady load: seconds (default 20)")
    parser.add_argument("--quick", action="store_true", help="1000 claims and no-ops, 10 s of steady load")
    parser.add_argument(
        "--keep-history",
        action="store_true",
        help="before the steady load, complete the burst's assignments instead of deleting them",
    )
    parser.add_argument("--db-name", default="factcheck_bench", help="PostgreSQL database to (re)create")
    parser.add_argument("--redis-db", type=int, default=15, help="Redis database number for the broker (15)")
    args = parser.parse_args(argv)
    if args.quick:
        args.claims, args.duration = 1_000, 10.0
    args.noop_tasks = args.noop_tasks or args.claims
    if min(args.claims, args.noop_tasks, args.workers, args.reviewers) < 1 or args.rate <= 0 or args.duration <= 0:
        parser.error("counts, rate and duration must be positive")
    return args


def with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


def recreate_database(server_url: str, name: str) -> str:
    """Drop and create `name` on the server of `server_url`; returns its URL."""
    import psycopg
    from psycopg import sql

    admin_db = urlsplit(server_url).path.lstrip("/") or "postgres"
    if admin_db == name:
        admin_db = "postgres"
    with psycopg.connect(with_path(server_url, f"/{admin_db}"), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return with_path(server_url, f"/{name}")


def bench_environment(db_url: str, redis_url: str) -> dict[str, str]:
    """What the bench process and the workers share: its own databases, no debug query log, quiet logs."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "EMAIL_URL": "console://",
    }


# --- the worker ---------------------------------------------------------------------------------------------------


class Worker:
    """One `celery -A config worker` with a prefork pool of `concurrency` processes, as in production."""

    def __init__(self, app: Any, env: dict[str, str], concurrency: int, log_path: Path) -> None:
        self.app, self.env, self.concurrency, self.log_path = app, env, concurrency, log_path
        self.name = f"bench-{os.getpid()}@{socket.gethostname()}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        cmd = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            ",".join(QUEUES),
            "-c",
            str(self.concurrency),
            "-n",
            self.name,
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ]
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                cmd,
                cwd=REPO,
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the worker exited with {self.proc.returncode}; see {self.log_path}")
            if self.app.control.ping(destination=[self.name], timeout=0.5):
                return
        raise RuntimeError(f"the worker did not answer a ping within 60 s; see {self.log_path}")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the worker and its pool processes, from /proc (Linux)."""
        if self.proc is None:
            return math.nan
        ticks = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # the process ended meanwhile, or /proc is not Linux's
            if int(fields[2]) == self.proc.pid:  # process group: the worker and its pool processes
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK") if ticks else math.nan

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    @contextmanager
    def paused(self, queue: str) -> Iterator[None]:
        """Stop consuming `queue` (to fill it); consuming resumes when the block ends."""
        self.app.control.cancel_consumer(queue, destination=[self.name], reply=True, timeout=5)
        time.sleep(1.5)  # a BRPOP sent before the cancel may still be waiting; kombu's brpop timeout is 1 s
        try:
            yield
        finally:
            self.app.control.add_consumer(queue, destination=[self.name], reply=True, timeout=5)


# --- measuring ----------------------------------------------------------------------------------------------------


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def wait_until(predicate: Callable[[], bool], timeout_s: float, poll_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(poll_s)
    return predicate()


def broker_pending(redis: Any) -> int:
    """Messages waiting in our queues plus messages delivered to the worker but not acknowledged yet.

    Tasks are acks_late: a message leaves `unacked` only once its task has finished, so 0 means all work is done.
    """
    pipe = redis.pipeline(transaction=False)
    for queue in QUEUES:
        pipe.llen(queue)
    pipe.hlen(UNACKED)
    return sum(pipe.execute())


def wait_for_drain(redis: Any, timeout_s: float, poll_s: float = 0.01) -> float | None:
    """The wall-clock time the broker was first seen empty, confirmed by a second look.

    Between a worker's BRPOP and its write to `unacked` a message is in neither place for an instant; the second
    look 50 ms later keeps that instant from ending the measurement early.
    """
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if broker_pending(redis) == 0:
            seen = time.time()
            time.sleep(0.05)
            if broker_pending(redis) == 0:
                return seen
        time.sleep(poll_s)
    return None


@dataclass
class Results:
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, figure: str, value: str, goal: str = "") -> None:
        self.rows.append((figure, value, goal))

    def print(self) -> None:
        widths = [max(len(row[i]) for row in [("figure", "value", "goal"), *self.rows]) for i in range(3)]
        line = "  ".join("-" * w for w in widths)
        print("\n" + "  ".join(h.ljust(w) for h, w in zip(("figure", "value", "goal"), widths, strict=True)))
        print(line)
        for row in self.rows:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        print(line)
        for note in self.notes:
            print(f"note: {note}")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- the desk ------------------------------------------------------------------------------------------------------


@dataclass
class Desk:
    journalist: Any
    editor: Any
    reviewer_ids: list[int]


def set_up_desk(reviewers: int, capacity: int) -> Desk:
    from claims.roles import Role
    from reviews.members import add_member

    journalist = add_member(username="bench-journalist", role=Role.JOURNALIST)
    editor = add_member(username="bench-editor", role=Role.EDITOR, email="editor@example.org")
    reviewer_ids = [
        add_member(
            username=f"bench-reviewer{n:03}",
            role=Role.REVIEWER,
            email=f"reviewer{n}@example.org",
            languages=["en"],
            capacity=capacity,
        ).pk
        for n in range(reviewers)
    ]
    return Desk(journalist, editor, reviewer_ids)


def bulk_queue_claims(desk: Desk, count: int, label: str) -> list[int]:
    """Setup only: queued claims and their audit rows written directly, so no routing task is enqueued."""
    from django.db import transaction

    from claims.models import Claim, ClaimEvent, ClaimStatus

    ids: list[int] = []
    with transaction.atomic():
        for start in range(0, count, 1000):
            batch = [
                Claim(text=f"{label} claim {n}", language="en", status=ClaimStatus.QUEUED, submitted_by=desk.journalist)
                for n in range(start, min(start + 1000, count))
            ]
            Claim.objects.bulk_create(batch)
            events = []
            for claim in batch:
                events.append(ClaimEvent(claim=claim, actor=desk.journalist, to_status=ClaimStatus.SUBMITTED))
                events.append(
                    ClaimEvent(
                        claim=claim, actor=desk.editor, from_status=ClaimStatus.SUBMITTED, to_status=ClaimStatus.QUEUED
                    )
                )
            ClaimEvent.objects.bulk_create(events)
            ids.extend(claim.pk for claim in batch)
    return ids


def assigned_times(claim_ids: Sequence[int]) -> dict[int, datetime]:
    from claims.models import ClaimEvent, ClaimStatus

    rows = ClaimEvent.objects.filter(claim_id__in=claim_ids, to_status=ClaimStatus.ASSIGNED).values_list(
        "claim_id", "at"
    )
    return dict(rows)


def count_assigned(claim_ids: Sequence[int]) -> int:
    from claims.models import Claim, ClaimStatus

    return Claim.objects.filter(pk__in=claim_ids).exclude(status=ClaimStatus.QUEUED).count()


def wait_for_routing(claim_ids: Sequence[int], stall_s: float = 30) -> int:
    """Poll until every claim is assigned or nothing moved for `stall_s` seconds; returns how many were assigned."""
    last, last_change = -1, time.monotonic()
    while True:
        done = count_assigned(claim_ids)
        if done == len(claim_ids):
            return done
        if done != last:
            last, last_change = done, time.monotonic()
        elif time.monotonic() - last_change > stall_s:
            return done
        time.sleep(0.25)


# --- the phases ---------------------------------------------------------------------------------------------------


@dataclass
class Ceiling:
    rate: float
    publish_rate: float
    worker_cpu_ms: float  # worker CPU time per task


def measure_ceiling(app: Any, worker: Worker, redis: Any, count: int) -> Ceiling:
    """No-op tasks published into a paused queue, then consumed: completed tasks per second."""
    noop = app.tasks["config.noop"]
    for _ in range(200):  # warm-up: pool processes started, connections open
        noop.delay()
    if wait_for_drain(redis, timeout_s=60) is None:
        raise RuntimeError("the warm-up no-op tasks did not drain within a minute")
    with worker.paused("default"):
        started = time.perf_counter()
        with app.producer_or_acquire() as producer:
            for _ in range(count):
                noop.apply_async(producer=producer)
        publish_rate = count / (time.perf_counter() - started)
        queued = redis.llen("default")
        if queued != count:
            raise RuntimeError(f"expected {count} no-ops waiting in the paused queue, found {queued}")
        cpu0, t0 = worker.cpu_seconds(), time.time()
    drained = wait_for_drain(redis, timeout_s=600)
    if drained is None:
        raise RuntimeError("the no-op tasks did not drain within 10 minutes")
    return Ceiling(count / (drained - t0), publish_rate, 1000 * (worker.cpu_seconds() - cpu0) / count)


@dataclass
class Burst:
    routed: int
    rate: float
    latencies: list[float]
    notify_drain_s: float
    worker_cpu_ms: float  # worker CPU time per routed claim


def measure_burst(app: Any, worker: Worker, redis: Any, claim_ids: list[int]) -> Burst:
    """route_claim for every queued claim, published into the paused routing queue, then consumed.

    Notifications stay paused during the measurement so it times routing alone; they drain afterwards.
    """
    route = app.tasks["reviews.route_claim"]
    with worker.paused("notifications"):
        with worker.paused("routing"), app.producer_or_acquire() as producer:
            for claim_id in claim_ids:
                route.apply_async((claim_id,), producer=producer)
            cpu0, t0 = worker.cpu_seconds(), time.time()  # every claim counts as queued at t0, when consuming resumes
        routed = wait_for_routing(claim_ids)
        cpu = worker.cpu_seconds() - cpu0
        times = assigned_times(claim_ids)
        notify_from = time.time()
    wait_for_drain(redis, timeout_s=600)
    notify_drain_s = time.time() - notify_from
    latencies = [at.timestamp() - t0 for at in times.values()]
    rate = routed / max(latencies) if latencies else 0.0
    return Burst(routed, rate, latencies, notify_drain_s, 1000 * cpu / max(routed, 1))


@dataclass
class Profile:
    routes: int
    queries_per_route: float
    ms_per_route: float
    db_ms_per_route: float
    top: list[tuple[str, float, float]]  # (statement kind, ms per route, share of the route's database time)


def _statement_kind(sql: str) -> str:
    words = sql.replace('"', "").split()
    verb = words[0].upper() if words else "?"
    anchor = {"SELECT": "FROM", "INSERT": "INTO", "UPDATE": "UPDATE", "DELETE": "FROM"}.get(verb)
    if anchor and anchor in (w.upper() for w in words):
        table = words[[w.upper() for w in words].index(anchor) + 1]
        return f"{verb} {table}" + (" FOR UPDATE" if sql.rstrip().endswith("FOR UPDATE") else "")
    return verb


def profile_routing(claim_ids: Sequence[int]) -> Profile:
    """route_claim in this process, every statement timed (the same code a worker runs, minus Celery)."""
    from django.db import connection

    from reviews.services import route_claim

    by_kind: dict[str, float] = defaultdict(float)
    queries = 0

    def timed(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries += 1
            by_kind[_statement_kind(sql)] += time.perf_counter() - started

    started = time.perf_counter()
    with connection.execute_wrapper(timed):
        for claim_id in claim_ids:
            route_claim(claim_id=claim_id)
    elapsed = time.perf_counter() - started
    n = len(claim_ids)
    db_time = sum(by_kind.values())
    top = sorted(by_kind.items(), key=lambda kv: kv[1], reverse=True)[:3]
    shares = [(kind, 1000 * seconds / n, seconds / db_time) for kind, seconds in top]
    return Profile(n, queries / n, 1000 * elapsed / n, 1000 * db_time / n, shares)


@dataclass
class Steady:
    sent: int
    achieved_rate: float
    routed: int
    latencies: list[float]


def measure_steady(desk: Desk, rate: float, duration: float) -> Steady:
    """Claims submitted beforehand, then triaged at a steady rate through the service, as an editor would: the
    routing task is published to Redis when each triage commits. Latency: ClaimEvent queued at → assigned at."""
    from claims import services as claim_services
    from claims.models import ClaimEvent, ClaimStatus

    count = max(1, round(rate * duration))
    claims = [
        claim_services.submit_claim(user=desk.journalist, text=f"Steady claim {n}", language="en") for n in range(count)
    ]
    started = time.perf_counter()
    for n, claim in enumerate(claims):
        delay = started + n / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        claim_services.triage_claim(claim_id=claim.pk, editor=desk.editor, decision="accept")
    achieved = count / (time.perf_counter() - started) if count > 1 else rate
    ids = [claim.pk for claim in claims]
    routed = wait_for_routing(ids)
    queued_at = dict(
        ClaimEvent.objects.filter(claim_id__in=ids, to_status=ClaimStatus.QUEUED).values_list("claim_id", "at")
    )
    latencies = [(at - queued_at[claim_id]).total_seconds() for claim_id, at in assigned_times(ids).items()]
    return Steady(count, achieved, routed, latencies)


def reset_claims(keep_history: bool) -> None:
    """Between the burst and the steady load: reviewers back to no load, with or without the burst's history."""
    from django.db import connection, transaction
    from django.utils import timezone

    from claims.models import Claim, ClaimStatus
    from reviews.models import ACTIVE_STATES, Assignment, AssignmentState

    if keep_history:
        with transaction.atomic():
            Assignment.objects.filter(state__in=ACTIVE_STATES).update(
                state=AssignmentState.COMPLETED, finished_at=timezone.now()
            )
            Claim.objects.filter(status=ClaimStatus.ASSIGNED).update(status=ClaimStatus.PUBLISHED)
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {Claim._meta.db_table} CASCADE")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# --- main ---------------------------------------------------------------------------------------------------------


def fmt_latency(values: Sequence[float]) -> str:
    return f"{percentile(values, 50) * 1000:.0f} / {percentile(values, 95) * 1000:.0f} ms"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if urlsplit(database_url).scheme not in ("postgres", "postgresql"):
        sys.exit("bench/routing.py needs DATABASE_URL=postgres://… (the server it creates its own database on)")
    if urlsplit(redis_url).scheme not in ("redis", "rediss"):
        sys.exit("bench/routing.py needs REDIS_URL=redis://… (it uses its own database number on that server)")

    load_at_start = os.getloadavg()[0]
    if load_at_start > 1:
        log(f"warning: load average {load_at_start:.1f} before starting; other work will distort the figures")
    log(f"recreating database {args.db_name}")
    env = bench_environment(recreate_database(database_url, args.db_name), with_path(redis_url, f"/{args.redis_db}"))
    os.environ.update(env)

    import django

    django.setup()
    import redis as redis_client
    from django.core.management import call_command
    from django.db import connection

    from config.celery import app

    log("migrating")
    call_command("migrate", interactive=False, verbosity=0)
    assert not app.conf.task_always_eager, "the bench must publish to Redis"
    redis = redis_client.Redis.from_url(env["REDIS_URL"])
    # Every declared queue: tasks the worker does not consume here (webhooks) must not pile up from run to run.
    broker_keys = {*QUEUES, *(queue.name for queue in app.conf.task_queues or ()), UNACKED, "unacked_index"}
    redis.delete(*broker_keys)

    capacity = max(200, math.ceil(2 * (args.claims + 100) / args.reviewers))
    desk = set_up_desk(args.reviewers, capacity)
    results = Results()
    log_dir = Path(tempfile.mkdtemp(prefix="bench-routing-"))
    worker = Worker(app, env, args.workers, log_dir / "worker.log")
    log(f"starting a worker with {args.workers} processes (log: {worker.log_path})")
    try:
        worker.start()
        log(f"a) ceiling: {args.noop_tasks} no-op tasks")
        ceiling = measure_ceiling(app, worker, redis, args.noop_tasks)
        results.add("a) no-op ceiling", f"{ceiling.rate:,.0f} tasks/s")

        profile_empty = profile_routing(bulk_queue_claims(desk, 50, "Profile (empty desk)"))

        log(f"b) routing burst: {args.claims} queued claims, {args.reviewers} reviewers of capacity {capacity}")
        burst = measure_burst(app, worker, redis, bulk_queue_claims(desk, args.claims, "Burst"))
        ratio = burst.rate / ceiling.rate
        results.add("b) routing throughput", f"{burst.rate:,.0f} claims/s ({burst.routed}/{args.claims} routed)")
        results.add(
            "b) routing ÷ no-op ceiling",
            f"{ratio:.0%}",
            f">= {ROUTING_GOAL:.0%}  {'met' if ratio >= ROUTING_GOAL else 'NOT MET'}",
        )
        results.add(
            "   worker CPU per task: no-op, routing",
            f"{ceiling.worker_cpu_ms:.2f} ms, {burst.worker_cpu_ms:.2f} ms"
            f" ({ceiling.worker_cpu_ms / burst.worker_cpu_ms:.0%})",
        )
        results.add("b) burst queued→assigned p50 / p95", fmt_latency(burst.latencies), "(backlog drain)")

        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM reviews_assignment")
            history = cursor.fetchone()[0]
        profile_full = profile_routing(bulk_queue_claims(desk, 50, "Profile (after burst)"))
        for label, profile in (("empty desk", profile_empty), (f"{history:,} assignments", profile_full)):
            top = ", ".join(f"{kind} {ms:.2f} ms ({share:.0%})" for kind, ms, share in profile.top[:2])
            results.add(
                f"   route_claim in-process, {label}",
                f"{profile.queries_per_route:.0f} queries, {profile.ms_per_route:.1f} ms"
                f" ({profile.db_ms_per_route:.1f} ms in SQL)",
                "",
            )
            results.notes.append(f"route_claim with {label}: slowest statements per route: {top}")

        reset_claims(args.keep_history)
        what = "completed (history kept)" if args.keep_history else "deleted"
        log(f"c) steady load: {args.rate:g} claims/s for {args.duration:g} s (burst assignments {what})")
        steady = measure_steady(desk, args.rate, args.duration)
        p95 = percentile(steady.latencies, 95)
        results.add("c) steady triage rate", f"{steady.achieved_rate:.1f} claims/s ({steady.routed}/{steady.sent})")
        results.add(
            "c) steady queued→assigned p50 / p95",
            fmt_latency(steady.latencies),
            f"p95 <= {STEADY_P95_GOAL_S:g} s  {'met' if p95 <= STEADY_P95_GOAL_S else 'NOT MET'}",
        )
    finally:
        worker.stop()
        redis.delete(*broker_keys)

    results.notes += [
        f"{args.workers} worker processes on {os.cpu_count()} CPUs; PostgreSQL, Redis and this process share them"
        f" (1-minute load average {load_at_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end)",
        f"publishing ran at {ceiling.publish_rate:,.0f} tasks/s, untimed (the queue was paused while it filled)",
        f"the burst's {burst.routed} offer notifications were held back, then drained in {burst.notify_drain_s:.1f} s",
    ]
    results.print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
