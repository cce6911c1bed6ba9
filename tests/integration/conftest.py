"""A real `celery -A config worker` process on the configured broker, against the test database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

REPO = Path(settings.BASE_DIR)


def _needs_real_services() -> None:
    if not settings.CELERY_BROKER_URL:
        pytest.skip("integration tests need a broker: set REDIS_URL (or CELERY_BROKER_URL)")
    if connection.vendor != "postgresql":
        pytest.skip("integration tests need PostgreSQL: set DATABASE_URL")


def _test_database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for_ping(deadline_s: float) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if celery_app.control.ping(timeout=0.5):
            return
    raise RuntimeError("the Celery worker did not answer a ping in time")


class WorkerProcess:
    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    def start(self, *, concurrency: int = 2) -> "WorkerProcess":
        env = {**os.environ, "DATABASE_URL": _test_database_url(), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
        cmd = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "default,routing,notifications",
               "-c", str(concurrency), "--loglevel", "INFO", "--without-gossip", "--without-mingle"]
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        _wait_for_ping(30)
        return self

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def real_broker():
    """Send tasks to the broker instead of running them in-process, for the duration of one test."""
    _needs_real_services()
    celery_app.control.purge()
    celery_app.conf.task_always_eager = False
    yield celery_app
    celery_app.conf.task_always_eager = True


@pytest.fixture
def celery_worker_process(real_broker, tmp_path):
    worker = WorkerProcess(tmp_path / "worker.log").start()
    yield worker
    worker.stop()
