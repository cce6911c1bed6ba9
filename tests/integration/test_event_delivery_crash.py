"""At-least-once events on PostgreSQL, Redis and real workers: 200 status changes reach a listening receiver although
the worker is killed with SIGKILL twice and Redis, keeping nothing on disk, is restarted in between.

Messages in flight are lost on the way; the outbox rows and the deliveries' next_attempt_at, read by the beat sweep,
are what bring every event to the receiver. The test runs its own Redis (port 6391), never the shared one.
"""

import signal

import pytest

from claims.models import ClaimEvent, ClaimStatus
from core.models import OutboxEvent
from factcheck.models import WebhookDelivery
from tests.factcheck.webhook_receiver import SECRET, Receiver, verify
from tests.integration.test_broker_outage import PrivateRedis, start_on, supervised, use_broker, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PORT = 6391
CHANGES = 200
EVENT = "claim.status_changed"


@pytest.fixture
def private_redis(real_broker, tmp_path):
    if not real_broker.conf.broker_url.startswith("redis"):
        pytest.skip("the Redis restart is exercised on Redis")
    shared = real_broker.conf.broker_url
    redis = PrivateRedis(PORT, tmp_path).start()
    use_broker(redis.url)
    yield redis
    use_broker(shared)
    redis.stop()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True  # the receiver listens on 127.0.0.1
    with Receiver() as running:
        yield running


def _worker(redis, log_path):
    return start_on(
        redis,
        log_path,
        "worker",
        "-c",
        "4",
        "--without-gossip",
        "--without-mingle",
        WEBHOOKS_ALLOW_PRIVATE_TARGETS="true",
    )


def test_it_delivers_every_event_at_least_once_through_worker_kills_and_a_redis_restart(
    private_redis, receiver, tmp_path, api, editor, make_claim
):
    answer = api(editor).post(
        "/api/v1/webhooks/", {"url": receiver.url(), "secret": SECRET, "events": [EVENT]}, format="json"
    )
    assert answer.status_code == 201, answer.content
    claims = [make_claim(text=f"The deficit fell by {n} billion") for n in range(CHANGES)]
    worker = _worker(private_redis, tmp_path / "worker-1.log")
    beat = start_on(
        private_redis, tmp_path / "beat.log", "beat", "--schedule", str(tmp_path / "beat"), WEBHOOK_SWEEP_SECONDS="1"
    )
    workers = [worker]
    try:
        for n, claim in enumerate(claims):
            rejected = api(editor).post(
                f"/api/v1/claims/{claim.pk}/triage/", {"decision": "reject", "reason": "Opinion."}, format="json"
            )
            assert rejected.status_code == 200, rejected.content
            if n in (60, 140):  # mid-stream, with events and deliveries in flight
                workers[-1].stop(signal.SIGKILL)
                workers.append(_worker(private_redis, tmp_path / f"worker-{len(workers) + 1}.log"))
            if n == 100:
                private_redis.restart()  # whatever the broker held is gone
                supervised(workers[-1])

        moves = ClaimEvent.objects.filter(claim__in=claims, to_status=ClaimStatus.REJECTED)
        wanted = {f"{EVENT}:{pk}" for pk in moves.values_list("pk", flat=True)}
        assert len(wanted) == CHANGES

        def received() -> set[str]:
            return {verify(SECRET, r.headers, r.body)["event_id"] for r in list(receiver.received)}

        def all_recorded() -> bool:
            return WebhookDelivery.objects.filter(status="succeeded").count() >= CHANGES

        def done() -> bool:
            return bool(supervised(workers[-1])) and wanted <= received() and all_recorded()

        assert wait_until(done, timeout_s=240, poll_s=0.5), (
            f"{len(wanted - received())} events never arrived\n{workers[-1].log()[-3000:]}\n{beat.log()[-2000:]}"
        )
    finally:
        beat.stop()
        for process in workers:
            process.stop()

    assert not OutboxEvent.objects.filter(state=OutboxEvent.State.PENDING).exists()
    deliveries = WebhookDelivery.objects.filter(event=EVENT)
    # One delivery per event, each recorded as delivered; every request the receiver saw belongs to one of them.
    assert deliveries.count() == CHANGES
    assert {d.payload["event_id"] for d in deliveries} == wanted
    assert set(deliveries.values_list("status", flat=True)) == {"succeeded"}
    assert not deliveries.filter(delivered_at=None).exists()
    assert {int(r.headers["X-Factcheck-Delivery"]) for r in receiver.received} == set(
        deliveries.values_list("pk", flat=True)
    )
