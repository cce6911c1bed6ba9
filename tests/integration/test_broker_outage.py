"""The broker goes away during triage: every triage still answers success, and every accepted claim is routed once the
broker is back (the queue sweep reads waiting claims from the database, not from the broker).

The test runs its own Redis (port 6392, nothing on disk) so it can stop it without touching anyone else's.
"""

import subprocess
import time
from pathlib import Path

import pytest
from django.db.models import Count, Q

from claims.models import Claim, ClaimStatus
from config.celery import app as celery_app
from core.roles import Role
from reviews.models import ACTIVE_STATES
from reviews.services.members import add_member
from tests.integration.conftest import CeleryProcess

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PORT = 6392
CLAIMS = 24  # 8 before, 8 during and 8 after the outage


class PrivateRedis:
    """A redis-server of this test alone, keeping nothing on disk, that the test may stop and start again."""

    def __init__(self, port: int, folder: Path) -> None:
        self.port, self.folder, self.proc = port, folder, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> "PrivateRedis":
        cmd = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        log = (self.folder / f"redis-{self.port}.log").open("ab")
        self.proc = subprocess.Popen([*cmd, "--dir", str(self.folder)], stdout=log, stderr=subprocess.STDOUT)
        if not wait_until(self.answers, timeout_s=10):
            raise RuntimeError(f"redis-server on port {self.port} did not start")
        return self

    def stop(self) -> None:
        """Like a crash or an outage: everything it held is gone."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()

    def answers(self) -> bool:
        ping = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True)
        return ping.stdout.strip() == "PONG"


def wait_until(condition, timeout_s: float, poll_s: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(poll_s)
    return False


def use_broker(url: str) -> None:
    """Point this process's Celery app at another broker; its connection pools are rebuilt on the next send."""
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def private_redis(real_broker, tmp_path):
    """A Redis of this test's own, as the broker of this process and of the workers the test starts."""
    if not real_broker.conf.broker_url.startswith("redis"):
        pytest.skip("the broker outage is exercised on Redis")
    shared = real_broker.conf.broker_url
    redis = PrivateRedis(PORT, tmp_path).start()
    use_broker(redis.url)
    yield redis
    use_broker(shared)
    redis.stop()


def start_on(redis: PrivateRedis, log_path: Path, *args: str, **env: str) -> CeleryProcess:
    return CeleryProcess(log_path, *args, env={"CELERY_BROKER_URL": redis.url, **env}).start()


def supervised(process: CeleryProcess) -> CeleryProcess:
    """Start the process again if it has exited, as a process supervisor (systemd, a container's restart policy)
    does: a Celery worker may exit when Redis goes away under it (kombu's "Unrecoverable error" on reconnection)."""
    if process.proc.poll() is not None:
        process.start()
    return process


def _triage_all(api, editor, claims) -> list[int]:
    return [
        api(editor).post(f"/api/v1/claims/{claim.pk}/triage/", {"decision": "accept"}, format="json").status_code
        for claim in claims
    ]


def test_it_answers_every_triage_and_routes_each_claim_once_the_broker_is_back(
    private_redis, tmp_path, api, editor, make_claim
):
    for n in range(3):
        add_member(username=f"router{n}", role=Role.REVIEWER, languages=["en"], capacity=CLAIMS)
    claims = [make_claim(text=f"The budget grew by {n} percent") for n in range(CLAIMS)]
    worker = start_on(
        private_redis, tmp_path / "worker.log", "worker", "-c", "2", "--without-gossip", "--without-mingle"
    )
    worker.wait_for_log(" ready.")
    beat = start_on(
        private_redis, tmp_path / "beat.log", "beat", "--schedule", str(tmp_path / "beat"), QUEUE_SWEEP_SECONDS="1"
    )
    try:
        before = _triage_all(api, editor, claims[:8])
        private_redis.stop()
        during = _triage_all(api, editor, claims[8:16])
        private_redis.start()
        supervised(worker)
        after = _triage_all(api, editor, claims[16:])

        assert before + during + after == [200] * CLAIMS  # no committed triage answered 500
        routed = Claim.objects.filter(pk__in=[c.pk for c in claims], status=ClaimStatus.ASSIGNED)
        assert wait_until(lambda: supervised(worker) and routed.count() == CLAIMS, timeout_s=90), (
            f"{routed.count()} of {CLAIMS} routed\n{worker.log()[-3000:]}\n{beat.log()[-2000:]}"
        )
    finally:
        beat.stop()
        worker.stop()
    active = Claim.objects.filter(pk__in=[c.pk for c in claims]).annotate(
        active=Count("assignments", filter=Q(assignments__state__in=ACTIVE_STATES))
    )
    assert sorted({claim.active for claim in active}) == [1]  # each routed once, none twice
