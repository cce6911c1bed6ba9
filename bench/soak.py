"""Soak: readers, journalists, editors and reviewers at a modest steady pace for minutes, on gunicorn, a real Celery
worker, PostgreSQL and Redis. Prints every answer per role and endpoint, the memory (RSS) of the web and worker
processes after the warm-up and at the end, and what became of the claims submitted meanwhile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factcheck REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/soak.py [--duration 300] [--scale 20000] [--quick] [--beat]

DATABASE_URL and REDIS_URL name the servers only: the soak (re)creates its own database (factcheck_bench_soak) and
uses its own Redis database number (13) as broker and cache, emptied at the start and the end. Exits 0 when no call
failed, no log holds an ERROR line of its own, PostgreSQL saw no deadlock and no claim was published twice;
else 1. See bench/README.md, "Soak".
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import soak_roles as people
from benchkit import Worker, broker_pending, log, percentile, stop_process_group
from web import add_site_arguments, open_site, token_headers
from web_load import Gunicorn, Load, prime

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SOAK_REVIEWERS = 6  # soak-reviewer0..5 speak the soak's languages only: its claims never wait behind the backlog
# "flat": grew by less than both between the start and the end. Printed, never failed on.
FLAT_SHARE, FLAT_MB = 0.10, 50
ERROR_LINE = re.compile(r"\b(ERROR|CRITICAL)\b")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_site_arguments(parser, scale=20_000, db_name="factcheck_bench_soak", redis_db=13)
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of soak (300)")
    parser.add_argument("--warmup", type=float, default=60.0, help="seconds of the same load before it (60)")
    parser.add_argument("--quick", action="store_true", help="2,000 claims, 15 s of warm-up and 30 s of soak")
    parser.add_argument("--beat", action="store_true", help="run celery beat too (the sweeps; off by default)")
    parser.add_argument("--concurrency", type=int, default=2, help="Celery worker pool processes (2)")
    args = parser.parse_args(argv)
    if args.quick:
        args.scale, args.warmup, args.duration = 2_000, 15.0, 30.0
    if min(args.scale, args.workers, args.threads, args.concurrency) < 1 or args.duration <= 0 or args.warmup < 0:
        parser.error("counts and the duration must be positive")
    return args


# --- processes: memory and CPU from /proc -----------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    """VmRSS of one process in MB; 0 once it has gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0.0)


def process_table() -> list[tuple[int, int, int, int]]:
    """(pid, parent, process group, CPU ticks) of every process, from /proc/<pid>/stat."""
    table = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended meanwhile
        table.append((int(stat.parent.name), int(fields[1]), int(fields[2]), int(fields[11]) + int(fields[12])))
    return table


@dataclass(frozen=True)
class Memory:
    web: dict[int, float]  # gunicorn worker pid → MB
    worker_mb: float  # the Celery worker and its pool processes together
    cpu: tuple[float, float]  # CPU seconds so far: gunicorn (master and workers); the Celery worker and its pool


def memory(server: Gunicorn, worker: Worker) -> Memory:
    assert server.proc and worker.proc
    table, tick = process_table(), os.sysconf("SC_CLK_TCK")
    web = {pid: rss_mb(pid) for pid, parent, _, _ in table if parent == server.proc.pid}
    pool = tuple(sorted(pid for pid, _, group, _ in table if group == worker.proc.pid))
    cpu = tuple(sum(t for _, _, group, t in table if group == proc.pid) / tick for proc in (server.proc, worker.proc))
    return Memory(web, sum(rss_mb(pid) for pid in pool), (cpu[0], cpu[1]))


def growth(name: str, start: float, end: float) -> str:
    grew = end - start
    share = grew / start if start else 0.0
    word = "flat" if share < FLAT_SHARE and grew < FLAT_MB else "grew"
    return f"  {name:<34} {start:7.1f} MB -> {end:7.1f} MB  {grew:+7.1f} MB ({share:+.1%})  {word}"


def print_memory(first: Memory, last: Memory, seconds: float) -> None:
    print(f"\nRSS (VmRSS) after the warm-up and at the end; flat: grew less than {FLAT_SHARE:.0%} and {FLAT_MB} MB")
    for pid in sorted(first.web.keys() | last.web.keys()):
        if pid in first.web and pid in last.web:
            print(growth(f"gunicorn worker {pid}", first.web[pid], last.web[pid]))
        else:  # a worker that died or was restarted (gunicorn's timeout) between the two readings
            print(f"  gunicorn worker {pid}: {'gone at the end' if pid in first.web else 'new since the start'}")
    print(growth("celery worker, parent and pool", first.worker_mb, last.worker_mb))
    web, work = ((end - start) / seconds for start, end in zip(first.cpu, last.cpu, strict=True))
    print(f"CPU over the soak, in cores: gunicorn {web:.2f}, celery worker {work:.2f} (of {os.cpu_count()})")


def start_beat(env: dict[str, str], workdir: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "WARNING",
           "--schedule", str(workdir / "beat-schedule")]  # fmt: skip
    with (workdir / "beat.log").open("ab") as out:
        return subprocess.Popen(cmd, cwd=REPO, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip


def drain(broker: Any, timeout_s: float) -> bool:
    """Whether the worker emptied every queue (benchkit's three, and webhooks) within `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if broker_pending(broker) + broker.llen("webhooks") == 0:
            return True
        time.sleep(0.5)
    return False


# --- the data and the people ------------------------------------------------------------------------------------


def prepare_people() -> list[str]:
    """The soak's reviewers, added through the desk's own service."""
    from core.roles import Role as DeskRole
    from reviews.services.members import add_member

    names = [f"soak-reviewer{n}" for n in range(SOAK_REVIEWERS)]
    for name in names:
        add_member(username=name, role=DeskRole.REVIEWER, email=f"{name}@example.org", languages=people.SOAK_CODES,
                   capacity=20)  # fmt: skip
    return names


def token_of(username: str) -> dict[str, str]:
    """A token made in-process: the data's members other than the two who sign in have no password."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=get_user_model().objects.get(username=username))
    return {"Authorization": f"Token {token.key}"}


def cast(server: Gunicorn, shared: people.Shared, tally: people.Tally, soak_reviewers: list[str]) -> list[people.Role]:
    """The threads and whom each acts for. Paces are seconds between turns (a turn is one to seven calls)."""
    import web_data

    def clients(role: str, headers: list[dict[str, str]]) -> list[people.Client]:
        return [people.Client(server.port, role, tally, h) for h in headers]

    journalists = [token_headers(server, web_data.JOURNALIST, web_data.PASSWORD)]
    journalists += [token_of(f"bench-journalist{n}") for n in range(1, 5)]
    approvers = [token_headers(server, web_data.EDITOR, web_data.PASSWORD), token_of("bench-editor2")]
    soak = [token_of(name) for name in soak_reviewers]
    bench = [token_of(f"bench-reviewer{n}") for n in range(12)]
    return [
        *(people.Reader(clients("reader", [{}]), shared, 0.3, seed) for seed in range(3)),
        *(people.Journalist(clients("journalist", journalists[n::2]), shared, 2.0, 10 + n) for n in range(2)),
        people.TriageEditor(clients("editor", [token_of("bench-editor1")]), shared, 1.5, 20),
        *(people.ApprovingEditor(clients("editor", [h]), shared, 2.0, 21 + n) for n, h in enumerate(approvers)),
        *(people.Reviewer(clients("reviewer", soak[n::2]), shared, 1.0, 30 + n) for n in range(2)),
        people.Reviewer(clients("reviewer", bench), shared, 1.0, 32),
    ]


def prime_encoders(server: Gunicorn, args: argparse.Namespace, broker: Any) -> None:
    """Claims submitted at once load the matcher's encoder in every gunicorn worker; pasted reports, whose sentences
    a task matches, in every pool process (one takes a task while another loads it): memory is read after that."""
    import web_data

    headers = {**token_headers(server, web_data.JOURNALIST, web_data.PASSWORD), "Content-Type": "application/json"}
    claim = ('{"text": "El gasto subió un {n} por ciento", "language": "es"}',)
    prime(server, Load("POST", ("/api/v1/claims/",), headers=headers, bodies=claim), 2 * args.threads, timeout_s=900)
    report = ('{"language": "es", "body": "El gasto subió un 3 por ciento. El paro bajó ({n})."}',)
    prime(server, Load("POST", ("/api/v1/reports/",), headers=headers, bodies=report), args.concurrency, 900)
    if not drain(broker, timeout_s=900):
        raise RuntimeError("the worker did not finish the priming tasks within 900 s")


def deadlocks() -> int:
    """Deadlocks PostgreSQL has detected in the soak's database so far: a task that lost one retries unseen."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def flow(since: datetime) -> tuple[list[str], int]:
    """What became of the claims submitted since `since` (from the database), and how many were published twice."""
    from django.db.models import Count

    from claims.models import Claim, ClaimEvent
    from factcheck.record.models import FactCheck

    claims = Claim.objects.filter(created_at__gte=since)
    by_status = dict(claims.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    events = ClaimEvent.objects.filter(claim__in=claims, to_status="published")
    seconds = [(at - created).total_seconds() for at, created in events.values_list("at", "claim__created_at")]
    twice = events.values("claim").annotate(n=Count("id")).filter(n__gt=1).count()
    lines = [f"claims submitted during the soak: {sum(by_status.values()):,}; now " +
             ", ".join(f"{status} {n:,}" for status, n in sorted(by_status.items())),
             f"submitted -> published: {len(seconds):,} claims, p50 {percentile(seconds, 50):.1f} s, "
             f"p95 {percentile(seconds, 95):.1f} s; published twice: {twice}",
             f"verdicts published during the soak, the data's backlog too: "
             f"{FactCheck.objects.filter(published_at__gte=since).count():,}"]  # fmt: skip
    return lines, twice


# --- running and reporting --------------------------------------------------------------------------------------


def run_for(seconds: float, label: str, tally: people.Tally, server: Gunicorn, worker: Worker) -> None:
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        time.sleep(min(30.0, left))
        (requests, tolerated, errors), now = tally.totals(), memory(server, worker)
        rss = " ".join(f"{mb:.0f}" for mb in now.web.values())
        log(f"{label}: {requests:,} requests, {errors} errors, {tolerated} tolerated; RSS MB: gunicorn {rss}, "
            f"celery {now.worker_mb:.0f}; load {os.getloadavg()[0]:.1f}")  # fmt: skip


def error_lines(workdir: Path, names: Sequence[str]) -> list[str]:
    """ERROR and CRITICAL lines of these logs up to now: not those of the shutdown, where the process group's SIGTERM
    reaches the pool processes too and Celery reports the tasks they held as lost."""
    found = []
    for name in names:
        text = (workdir / name).read_text(errors="replace") if (workdir / name).exists() else ""
        found += [line for line in text.splitlines() if ERROR_LINE.search(line)]
    return found


def report(args: argparse.Namespace, tally: people.Tally, memories: tuple[Memory, Memory], seconds: float,
           logs: tuple[Path, list[str], list[str]], since: datetime, drained: bool, locked: int) -> int:  # fmt: skip
    tally.print_table(seconds + args.warmup)
    print_memory(*memories, seconds)
    lines, twice = flow(since)
    print("\n" + "\n".join(lines))
    workdir, worker_log, web_log = logs
    requests, tolerated, errors = tally.totals()
    # Each 5xx answer logs an ERROR line too: only the lines beyond those are errors of their own.
    web_only = max(0, len(web_log) - sum(n for x in tally.lines.values() for c, n in x.statuses.items() if c >= 500))
    print(f"\nrequests {requests:,} in {args.warmup:g} s of warm-up and {seconds:.0f} s of soak: {errors} errors, "
          f"{tolerated} tolerated; ERROR lines in the logs ({workdir}): worker {len(worker_log)}, "
          f"gunicorn {len(web_log)} ({web_only} without a 5xx answer); PostgreSQL deadlocks: {locked}")  # fmt: skip
    if not drained:
        print("note: the worker had not emptied its queues 120 s after the load stopped")
    for title, samples in (("errors", tally.samples["error"]), ("tolerated", tally.samples["tolerated"]),
                           ("worker log", worker_log[:10]), ("gunicorn log", web_log[:10])):  # fmt: skip
        for line in [f"first {title}:"] * bool(samples) + [f"  {sample[:400]}" for sample in samples]:
            print(line)
    beat = "on" if args.beat else "off"
    print(f"load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; celery beat {beat}")
    failed = {"failed answers": errors, "worker log ERROR lines": len(worker_log), "gunicorn ERROR lines without a "
              "5xx": web_only, "deadlocks": locked, "claims published twice": twice}  # fmt: skip
    verdict = ", ".join(f"{n} {what}" for what, n in failed.items() if n) or "0 errors"
    print(f"result: {verdict}")
    return 1 if any(failed.values()) else 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM cleans up as Ctrl-C does


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    site = open_site("bench/soak.py", "bench-soak-", args.db_name, args.redis_db, reuse=False)
    env, workdir, broker = site.env, site.workdir, site.redis
    import web_data

    from config.celery import app
    from factcheck.record.models import Rating

    scale = web_data.Scale.of(args.scale)
    log(f"generating {scale.claims:,} claims, {scale.fact_checks:,} fact-checks, {scale.claimants:,} claimants")
    web_data.generate(scale, progress=False)
    soak_reviewers = prepare_people()
    ratings = list(Rating.objects.filter(scale__is_default=True).values_list("slug", flat=True))
    server = Gunicorn(env, args.workers, args.threads, workdir / "gunicorn.log")
    worker = Worker(app, env, args.concurrency, workdir / "worker.log")
    beat: subprocess.Popen[bytes] | None = None
    tally, shared = people.Tally(), people.Shared("", ratings, web_data.sample_slugs(200))
    try:
        log(f"starting the Celery worker (-c {args.concurrency}) and gunicorn ({args.workers} x {args.threads})")
        worker.start()
        # benchkit's worker takes the benches' three queues; `make worker` consumes webhooks too.
        app.control.add_consumer("webhooks", destination=[worker.name], reply=True, timeout=5)
        server.start()
        roles = cast(server, shared, tally, soak_reviewers)
        log("priming: the matcher's encoder loads in every gunicorn worker and Celery pool process first")
        prime_encoders(server, args, broker)
        # After priming, whose end waits for empty queues: the first sweep over the data's backlog takes minutes.
        beat = start_beat(env, workdir) if args.beat else None
        since, locked = datetime.now(UTC), deadlocks()  # the roles' claims and deadlocks, not the priming's
        shared.started_iso = since.isoformat()
        for role in roles:
            role.thread.start()
        run_for(args.warmup, "warm-up", tally, server, worker)
        first, started = memory(server, worker), time.monotonic()
        run_for(args.duration, "soak", tally, server, worker)
        last, seconds = memory(server, worker), time.monotonic() - started
        shared.stop.set()
        for role in roles:
            role.thread.join(timeout=150)
        log("load stopped; waiting for the worker to finish its queue")
        drained = drain(broker, timeout_s=120)
        logs = (workdir, error_lines(workdir, ("worker.log", "beat.log")), error_lines(workdir, ("gunicorn.log",)))
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C must not cut the clean-up short
            signal.signal(signum, signal.SIG_IGN)
        shared.stop.set()
        server.stop()
        worker.stop()
        stop_process_group(beat)
        broker.flushdb()
    locked = deadlocks() - locked  # read once every process has left: a backend reports its count as it goes
    return report(args, tally, (first, last), seconds, logs, since, drained, locked)


if __name__ == "__main__":
    sys.exit(main())
