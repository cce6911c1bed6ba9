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
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench_desk import (
    Desk,
    assigned_times,
    bulk_queue_claims,
    reset_claims,
    set_up_desk,
    wait_for_routing,
)
from benchkit import (
    QUEUES,
    UNACKED,
    Results,
    Worker,
    bench_environment,
    log,
    percentile,
    recreate_database,
    require_servers,
    wait_for_drain,
    with_path,
)
from routing_profile import profile_routing

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

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
        "--batch-size", type=int, default=50, help="claims per reviews.route_claims task in the batched burst (50)"
    )
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
    if (
        min(args.claims, args.noop_tasks, args.workers, args.reviewers, args.batch_size) < 1
        or args.rate <= 0
        or args.duration <= 0
    ):
        parser.error("counts, rate and duration must be positive")
    return args


# --- the desk ------------------------------------------------------------------------------------------------------


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
    return _timed_burst(
        app, worker, redis, claim_ids, lambda producer: [route.apply_async((i,), producer=producer) for i in claim_ids]
    )


def measure_batched(app: Any, worker: Worker, redis: Any, claim_ids: list[int], batch_size: int) -> Burst:
    """The same burst routed by reviews.route_claims tasks of `batch_size` ids each, published into the paused
    routing queue, then consumed. Notifications stay paused during the measurement, as in the burst above."""
    route = app.tasks["reviews.route_claims"]
    batches = [claim_ids[start : start + batch_size] for start in range(0, len(claim_ids), batch_size)]
    return _timed_burst(
        app, worker, redis, claim_ids, lambda producer: [route.apply_async((b,), producer=producer) for b in batches]
    )


def _timed_burst(app: Any, worker: Worker, redis: Any, claim_ids: list[int], publish: Callable[[Any], object]) -> Burst:
    """Publish with `publish(producer)` while routing is paused, then time the routing of `claim_ids`."""
    with worker.paused("notifications"):
        with worker.paused("routing"), app.producer_or_acquire() as producer:
            publish(producer)
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


# --- main ---------------------------------------------------------------------------------------------------------


def fmt_latency(values: Sequence[float]) -> str:
    return f"{percentile(values, 50) * 1000:.0f} / {percentile(values, 95) * 1000:.0f} ms"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    database_url, redis_url = require_servers("bench/routing.py")

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

    # Room for both bursts (one task per claim, then batched) and the profiles, so no one fills up.
    capacity = max(200, math.ceil(3 * (args.claims + 100) / args.reviewers))
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

        log(f"b2) batched burst: {args.claims} queued claims in reviews.route_claims tasks of {args.batch_size}")
        batched = measure_batched(app, worker, redis, bulk_queue_claims(desk, args.claims, "Batched"), args.batch_size)
        batched_ratio = batched.rate / ceiling.rate
        results.add(
            "b2) batched routing throughput",
            f"{batched.rate:,.0f} claims/s ({batched.routed}/{args.claims} routed, {args.batch_size} per task)",
        )
        results.add(
            "b2) batched routing ÷ no-op ceiling",
            f"{batched_ratio:.0%}",
            f">= {ROUTING_GOAL:.0%}  {'met' if batched_ratio >= ROUTING_GOAL else 'NOT MET'}",
        )
        results.add(
            "   worker CPU: per no-op, per batched claim",
            f"{ceiling.worker_cpu_ms:.2f} ms, {batched.worker_cpu_ms:.2f} ms"
            f" ({ceiling.worker_cpu_ms / batched.worker_cpu_ms:.0%})",
        )
        results.add("b2) batched queued→assigned p50 / p95", fmt_latency(batched.latencies), "(backlog drain)")

        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM reviews_assignment")
            history = cursor.fetchone()[0]
        profile_full = profile_routing(bulk_queue_claims(desk, 50, "Profile (after burst)"))
        profile_batch = profile_routing(bulk_queue_claims(desk, 50, "Profile (batch)"), batched=True)
        profiles = (
            ("route_claim", "empty desk", profile_empty),
            ("route_claim", f"{history:,} assignments", profile_full),
            ("route_claims, 50 in one batch", f"{history:,} assignments", profile_batch),
        )
        for name, label, profile in profiles:
            top = ", ".join(f"{kind} {ms:.2f} ms ({share:.0%})" for kind, ms, share in profile.top[:2])
            results.add(
                f"   {name} in-process, {label}",
                f"{profile.queries_per_route:.1f} queries, {profile.ms_per_route:.1f} ms"
                f" ({profile.db_ms_per_route:.1f} ms in SQL) per claim",
                "",
            )
            results.notes.append(f"{name} with {label}: slowest statements per claim: {top}")

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
        "b) publishes one reviews.route_claim per claim; each routes its claim and takes queued claims along"
        " (reviews/services/batch_routing.py), so most of them find their claim routed and return at once",
    ]
    results.print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
