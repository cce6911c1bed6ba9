"""Plumbing for the benchmarks: a private database and broker, worker processes, waiting and printing."""

from __future__ import annotations

import math
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
QUEUES = ("default", "routing", "notifications")
UNACKED = "unacked"  # kombu's Redis hash of messages delivered to a worker and not yet acknowledged


def with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


def require_servers(script: str) -> tuple[str, str]:
    """DATABASE_URL and REDIS_URL, which name the servers a bench makes its own database on; exits when either is
    missing or names another kind of server."""
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if urlsplit(database_url).scheme not in ("postgres", "postgresql"):
        sys.exit(f"{script} needs DATABASE_URL=postgres://… (the server it creates its own database on)")
    if urlsplit(redis_url).scheme not in ("redis", "rediss"):
        sys.exit(f"{script} needs REDIS_URL=redis://… (it empties and uses its own database number there)")
    return database_url, redis_url


def database_exists(server_url: str, name: str) -> bool:
    """Whether the server of `server_url` holds a database `name`. Connects to the maintenance database "postgres":
    the one `server_url` names need not exist."""
    import psycopg

    with psycopg.connect(with_path(server_url, "/postgres"), autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def recreate_database(server_url: str, name: str) -> str:
    """Drop and create `name` on the server of `server_url`; returns its URL. Connects to the maintenance database
    "postgres": the one `server_url` names need not exist."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(with_path(server_url, "/postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return with_path(server_url, f"/{name}")


def create_database_if_missing(url: str) -> None:
    """Create the PostgreSQL database `url` names unless it exists (its rows are kept for a rerun); other URLs are
    left to Django."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme in ("postgres", "postgresql") and name and not database_exists(url, name):
        recreate_database(url, name)


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

    def __init__(
        self, app: Any, env: dict[str, str], concurrency: int, log_path: Path, queues: Sequence[str] = QUEUES
    ) -> None:
        self.app, self.env, self.concurrency, self.log_path, self.queues = app, env, concurrency, log_path, queues
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
            ",".join(self.queues),
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
        stop_process_group(self.proc)

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


def stop_process_group(proc: subprocess.Popen | None) -> None:
    """SIGTERM to a process started in its own group (and its children), SIGKILL if it has not left in 30 s."""
    if proc and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
