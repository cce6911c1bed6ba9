"""A real worker on the broker delivers a webhook to a receiver in this test, retrying after the backoff."""

import time

import pytest

from factcheck.models import WebhookDelivery
from tests.factcheck.webhook_receiver import Answer, Receiver, verify
from tests.integration.conftest import CeleryProcess

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SECRET = "receiver-shared-secret-0123456789"


@pytest.fixture
def webhook_worker(real_broker, tmp_path):
    # The receiver listens on 127.0.0.1, and a one-second backoff keeps the test short. The test settings make every
    # send eager, which inside a worker would run the deliveries the sweep sends in the sweep's own process; the base
    # settings send them through the broker, as production does.
    worker = CeleryProcess(
        tmp_path / "worker.log",
        "worker",
        "-c",
        "2",
        "--without-gossip",
        "--without-mingle",
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true",
            "WEBHOOK_RETRY_BASE_SECONDS": "1",
        },
    ).start()
    worker.wait_for_log(" ready.")
    # Retries are rows that the beat sweep sends once due; a one-second sweep keeps the test short.
    beat = CeleryProcess(
        tmp_path / "beat.log", "beat", "--schedule", str(tmp_path / "beat"), env={"WEBHOOK_SWEEP_SECONDS": "1"}
    ).start()
    yield worker
    beat.stop()
    worker.stop()


def wait_for(condition, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


def test_it_delivers_after_commit_on_the_webhooks_queue_and_retries_with_backoff(
    webhook_worker, api, editor, make_claim, settings
):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    with Receiver() as receiver:
        receiver.answer(Answer(503, b"deploying"))
        registered = api(editor).post(
            "/api/v1/webhooks/",
            {"url": receiver.url(), "secret": SECRET, "events": ["claim.status_changed"]},
            format="json",
        )
        assert registered.status_code == 201, registered.content
        claim = make_claim()

        rejected = api(editor).post(
            f"/api/v1/claims/{claim.pk}/triage/",
            {"decision": "reject", "reason": "An opinion, not a checkable claim."},
            format="json",
        )
        assert rejected.status_code == 200

        wait_for(lambda: WebhookDelivery.objects.filter(status="succeeded").exists())

    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.last_status_code) == (2, 200)
    first, second = receiver.received
    assert [verify(SECRET, r.headers, r.body)["data"]["to"] for r in (first, second)] == ["rejected", "rejected"]
    gap = int(second.headers["X-Factcheck-Timestamp"]) - int(first.headers["X-Factcheck-Timestamp"])
    assert gap >= 1  # the retry waited for its backoff instead of hammering the receiver
    assert "factcheck.deliver_webhook" in webhook_worker.log()
