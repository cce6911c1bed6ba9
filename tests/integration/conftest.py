"""Real `celery -A config worker` and `beat` processes on the configured broker, against the test database."""

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
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]


def _needs_real_services() -> None:
    if not settings.CELERY_BROKER_URL:
        pytest.skip("integration tests need a broker: set REDIS_URL (or CELERY_BROKER_URL)")
    if connection.vendor != "postgresql":
        pytest.skip("integration tests need PostgreSQL: set DATABASE_URL")


def _test_database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class CeleryProcess:
    """A worker or beat process of this project, in its own process group so it can be killed whole."""

    def __init__(self, log_path: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.log_path = log_path
        self.args = args
        self.env = env or {}
        self.proc: subprocess.Popen | None = None

    def start(self) -> "CeleryProcess":
        env = {
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            # Most tests start workers by the dozen and search nothing; test_worker_warm_up.py turns it back on.
            "MATCHING_WARM_UP": "false",
            **self.env,
        }
        cmd = [sys.executable, "-m", "celery", "-A", "config", *self.args, "--loglevel", "INFO"]
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def wait_for_log(self, text: str, timeout_s: float = 30) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if text in self.log():
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        self.stop(signal.SIGKILL)
        raise RuntimeError(f"celery {self.args[0]} did not log {text!r}:\n{self.log()[-3000:]}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def start_worker(log_path: Path, *, concurrency: int = 2, wait_ready: bool = True) -> CeleryProcess:
    worker = CeleryProcess(log_path, "worker", "-c", str(concurrency), "--without-gossip", "--without-mingle").start()
    if wait_ready:
        worker.wait_for_log(" ready.")
    return worker


def start_beat(log_path: Path, *, sweep_seconds: int = 1) -> CeleryProcess:
    schedule = log_path.with_suffix(".schedule")
    return CeleryProcess(
        log_path, "beat", "--schedule", str(schedule), env={"QUEUE_SWEEP_SECONDS": str(sweep_seconds)}
    ).start()


def restart_redis() -> None:
    """Stop the local Redis without saving (it keeps nothing on disk) and start it again, as an outage would."""
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave"], capture_output=True)
    Path("/var/lib/redis").mkdir(parents=True, exist_ok=True)
    Path("/var/log/redis").mkdir(parents=True, exist_ok=True)
    subprocess.run(REDIS_START, check=True, capture_output=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        ping = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"], capture_output=True, text=True)
        if ping.stdout.strip() == "PONG":
            return
        time.sleep(0.2)
    raise RuntimeError("Redis did not come back after a restart")


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
    worker = start_worker(tmp_path / "worker.log")
    yield worker
    worker.stop()
