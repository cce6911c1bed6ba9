"""Webhooks as a receiver sees them: signed deliveries of each event after commit, retries with backoff and a log of
every attempt."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import app
from factcheck.integrations import webhook_sweep, webhooks
from factcheck.models import WebhookDelivery, WebhookEndpoint
from factcheck.tasks import emit_event
from tests.factcheck import webhook_receiver
from tests.factcheck.webhook_receiver import SECRET, Answer, Receiver, verify

# Shared fixtures, bound here so pytest finds them: a receiver on 127.0.0.1, registering it, approving a claim.
receiver, register, approve = webhook_receiver.receiver, webhook_receiver.register, webhook_receiver.approve


@pytest.fixture
def sweep_later(django_capture_on_commit_callbacks):
    """Run the webhook sweep as beat does, late enough that every retry is due: each run sends each waiting delivery
    once more."""

    def run(times: int) -> None:
        for _ in range(times):
            with django_capture_on_commit_callbacks(execute=True):
                webhook_sweep.sweep(now=timezone.now() + timedelta(hours=1))

    return run


def test_it_delivers_a_signed_event_that_the_receiver_can_verify(receiver, register, approve, make_claim):
    endpoint = register(receiver.url())
    claim = make_claim()

    fact_check = approve(claim)

    assert len(receiver.received) == 1
    request = receiver.received[0]
    event = verify(SECRET, request.headers, request.body)
    assert request.headers["X-Factcheck-Event"] == "factcheck.published"
    assert request.headers["Content-Type"] == "application/json"
    assert event["event"] == "factcheck.published"
    assert event["data"]["fact_check"]["slug"] == fact_check["slug"]
    assert event["data"]["fact_check"]["rating"]["slug"] == "false"
    assert event["data"]["version"]["number"] == 1
    assert event["data"]["claim"]["id"] == claim.pk
    assert event["event_id"] == f"factcheck.published:{claim.fact_check.current_version_id}"
    delivery = WebhookDelivery.objects.get(endpoint_id=endpoint["id"])
    assert request.headers["X-Factcheck-Delivery"] == str(delivery.pk) == str(event["delivery_id"])
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 1, 200)
    assert delivery.delivered_at is not None


def test_it_fails_verification_with_another_secret_or_a_changed_body(receiver, register, approve, make_claim):
    register(receiver.url())
    approve(make_claim())

    request = receiver.received[0]
    with pytest.raises(ValueError, match="bad signature"):
        verify("someone-elses-secret-0123456789", request.headers, request.body)
    with pytest.raises(ValueError, match="bad signature"):
        verify(SECRET, request.headers, request.body.replace(b'"false"', b'"true"'))


def test_it_signs_the_timestamp_so_an_old_delivery_cannot_be_replayed(receiver, register, approve, make_claim):
    register(receiver.url())
    approve(make_claim())
    request = receiver.received[0]

    replayed = {**request.headers, "X-Factcheck-Timestamp": str(int(time.time()) + 1)}
    with pytest.raises(ValueError, match="bad signature"):
        verify(SECRET, replayed, request.body)
    assert abs(int(request.headers["X-Factcheck-Timestamp"]) - time.time()) < 60


def test_it_sends_each_status_change_of_a_claim(
    receiver, register, make_claim, api, editor, reviewer, django_capture_on_commit_callbacks
):
    register(receiver.url(), events=["claim.status_changed"])
    claim = make_claim()

    with django_capture_on_commit_callbacks(execute=True):
        answer = api(editor).post(f"/api/v1/claims/{claim.pk}/triage/", {"decision": "accept"}, format="json")

    assert answer.status_code == 200
    moves = [verify(SECRET, r.headers, r.body)["data"] for r in receiver.received]
    # Accepting queues the claim; routing (after that commit) offers it to the reviewer.
    assert [(m["from"], m["to"]) for m in moves] == [("submitted", "queued"), ("queued", "assigned")]
    assert {m["claim"]["id"] for m in moves} == {claim.pk}
    assert "actor" not in moves[0] and "note" not in moves[0]


def test_it_sends_corrections_and_retractions(
    receiver, register, approve, make_claim, api, editor, django_capture_on_commit_callbacks
):
    register(receiver.url(), events=["factcheck.corrected", "factcheck.retracted"])
    claim = make_claim()
    approve(claim)
    assert receiver.received == []  # not subscribed to factcheck.published

    with django_capture_on_commit_callbacks(execute=True):
        corrected = api(editor).post(
            f"/api/v1/claims/{claim.pk}/corrections/",
            {"note": "The talks ran to 14:30.", "summary": "It was 4.5 hours."},
            format="json",
        )
        retracted = api(editor).post(
            f"/api/v1/claims/{claim.pk}/retract/", {"reason": "Wrong claimant."}, format="json"
        )

    assert (corrected.status_code, retracted.status_code) == (201, 200)
    assert receiver.events() == ["factcheck.corrected", "factcheck.retracted"]
    correction, retraction = (verify(SECRET, r.headers, r.body)["data"] for r in receiver.received)
    assert correction["version"] == {**correction["version"], "number": 2, "note": "The talks ran to 14:30."}
    assert retraction["fact_check"]["retracted"]["reason"] == "Wrong claimant."


def test_it_sends_nothing_to_an_inactive_endpoint(receiver, register, approve, make_claim):
    endpoint = register(receiver.url())
    WebhookEndpoint.objects.filter(pk=endpoint["id"]).update(active=False)

    approve(make_claim())

    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_it_retries_until_the_receiver_accepts(receiver, register, approve, make_claim, sweep_later):
    endpoint = register(receiver.url())
    receiver.answer(Answer(500, b"database down"), Answer(503, b"busy"))

    approve(make_claim())
    sweep_later(3)

    assert len(receiver.received) == 3
    assert len({r.headers["X-Factcheck-Delivery"] for r in receiver.received}) == 1
    for request in receiver.received:
        verify(SECRET, request.headers, request.body)  # every attempt is signed afresh
    delivery = WebhookDelivery.objects.get(endpoint_id=endpoint["id"])
    assert (delivery.status, delivery.attempts, delivery.last_status_code, delivery.last_error) == (
        "succeeded",
        3,
        200,
        "",
    )


def test_it_gives_up_after_the_last_attempt_and_keeps_the_answer(
    receiver, register, approve, make_claim, settings, sweep_later
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    endpoint = register(receiver.url())
    receiver.answer(*[Answer(500, b"x" * 10_000)] * 5)

    approve(make_claim())  # the editor's approval succeeds whatever the receiver does
    sweep_later(4)

    assert len(receiver.received) == 3
    delivery = WebhookDelivery.objects.get(endpoint_id=endpoint["id"])
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 3, 500)
    assert delivery.last_response == "x" * 2048  # only the start of the answer is read
    assert "HTTP 500" in delivery.last_error


def test_it_waits_longer_after_each_failure(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30

    waits = [webhooks.backoff_seconds(attempt) for attempt in range(1, 6)]

    assert waits == [30, 60, 120, 240, 480]
    assert max(waits) < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]


def test_it_records_a_receiver_that_cannot_be_reached(settings, register, approve, make_claim, sweep_later):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    with Receiver() as gone:
        url = gone.url()
    endpoint = register(url)  # the port is closed now: connections are refused

    approve(make_claim())
    sweep_later(2)

    delivery = WebhookDelivery.objects.get(endpoint_id=endpoint["id"])
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 2, None)
    assert "ConnectionRefusedError" in delivery.last_error


def test_it_sends_webhook_work_to_its_own_queue():
    for task in ("factcheck.emit_event", "factcheck.deliver_webhook", "factcheck.sweep_webhooks"):
        assert task in app.tasks  # registered in every process that loads Django
        assert app.amqp.router.route({}, task)["queue"].name == "webhooks"
    assert "webhooks" in {queue.name for queue in app.conf.task_queues}


def test_it_adds_no_second_delivery_when_an_event_is_emitted_again(editor, make_claim, desk):
    hook = WebhookEndpoint.objects.create(
        url="https://93.184.215.14/hook", secret=SECRET, events=["factcheck.published"], created_by=editor
    )
    version_id = desk.published(make_claim()).current_version_id

    emit_event.delay("factcheck.published", version_id)
    emit_event.delay("factcheck.published", version_id)  # the broker redelivers a message after a lost worker

    assert WebhookDelivery.objects.filter(endpoint=hook).count() == 1
