"""The development server on PostgreSQL, as the README's "Running on real services" starts it, holds no more database
connections than it has threads at work: 500 requests do not leave 500 connections behind.

`manage.py runserver` starts a thread per request. With persistent connections (CONN_MAX_AGE > 0) each thread's
connection outlives the thread, open and unused, until PostgreSQL refuses new clients.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.integration.conftest import _test_database_url

# Committed rows, so the server (another process) reads what the test database holds; the rating scale from the
# data migration is restored afterwards.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REQUESTS = 500
CLIENTS = 8  # requests in flight at once, so at most this many request threads
BATCH = 20  # requests between two counts: a leak is caught before it takes much of the shared server
PATHS = ["/api/v1/ratings/", "/api/v1/fact-checks/", "/fact-checks/", "/methodology/"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as answer:
        answer.read()
        return answer.status


@pytest.fixture
def dev_server(tmp_path: Path):
    """runserver with the development settings on the test database, tagged with its own application_name."""
    if connection.vendor != "postgresql":
        pytest.skip("the connection count needs PostgreSQL: set DATABASE_URL")
    name = f"conn-count-{uuid.uuid4().hex[:8]}"
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key not in {"CONN_MAX_AGE", "DJANGO_SETTINGS_MODULE"}}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"{_test_database_url()}?application_name={name}",
        "THROTTLE_ANON": "100000/min",
    }
    log = (tmp_path / "runserver.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(server, base, tmp_path / "runserver.log")
        yield base, name
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _wait_until_up(server: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            _get(base + PATHS[0])
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"runserver did not answer:\n{log.read_text(errors='replace')[-3000:]}")


def _open_connections(application_name: str) -> int:
    # Autocommit on a connection of our own: pg_stat_activity is a per-transaction snapshot.
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        autocommit=True,
    ) as stats:
        query = "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND datname = %s"
        return stats.execute(query, [application_name, db["NAME"]]).fetchone()[0]


def test_it_holds_no_more_connections_than_threads_in_use_after_500_requests(dev_server):
    base, application_name = dev_server
    # The request threads, and the server's main thread, which checked for unapplied migrations at start-up.
    most = CLIENTS + 1
    counts = []
    with ThreadPoolExecutor(max_workers=CLIENTS) as clients:
        for start in range(0, REQUESTS, BATCH):
            urls = [base + PATHS[n % len(PATHS)] for n in range(start, start + BATCH)]
            assert set(clients.map(_get, urls)) == {200}
            counts.append(_open_connections(application_name))
            assert counts[-1] <= most, f"{counts[-1]} connections open after {start + BATCH} requests: {counts}"

    assert len(counts) * BATCH == REQUESTS
    assert _open_connections(application_name) <= most
