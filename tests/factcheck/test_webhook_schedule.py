"""Webhook retries are rows the beat sweep acts on (next_attempt_at), never broker countdowns: one attempt after the
commit, the next one only once its backoff has passed, a lost message sent again after its lease. Also the receiver
port check, the one outbound client shared with page fetching, and the admin import handed to a worker."""

import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import app
from core import dispatch, netguard
from core.fetching import fetch_html
from core.names import Task
from factcheck.integrations import webhook_sweep, webhooks
from factcheck.models import ExternalFactCheck, WebhookDelivery
from tests.factcheck import webhook_receiver
from tests.factcheck.local_http import LocalWeb
from tests.factcheck.webhook_receiver import SECRET, WEBHOOKS, Answer, Receiver

receiver, register, approve = webhook_receiver.receiver, webhook_receiver.register, webhook_receiver.approve


@pytest.fixture
def sweep_at(django_capture_on_commit_callbacks):
    """Run the webhook sweep as beat would at `later` from now; what it sends runs in-process (eager Celery)."""

    def run(later: timedelta) -> webhook_sweep.SweepReport:
        with django_capture_on_commit_callbacks(execute=True):
            return webhook_sweep.sweep(now=timezone.now() + later)

    return run


def test_it_attempts_once_after_the_commit_and_schedules_the_retry_after_the_backoff(
    receiver, register, approve, make_claim, settings
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    endpoint = register(receiver.url())
    receiver.answer(Answer(503, b"busy"), Answer(503, b"busy"))
    before = timezone.now()

    approve(make_claim())  # no broker: the first attempt runs here, and only the first

    assert len(receiver.received) == 1
    delivery = WebhookDelivery.objects.get(endpoint_id=endpoint["id"])
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert before + timedelta(seconds=30) <= delivery.next_attempt_at <= timezone.now() + timedelta(seconds=30)


def test_it_does_not_hold_the_request_on_a_receiver_that_cannot_be_reached(settings, register, approve, make_claim):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    with Receiver() as gone:
        url = gone.url()
    endpoint = register(url)  # connections are refused from now on

    approve(make_claim())

    delivery = WebhookDelivery.objects.get(endpoint_id=endpoint["id"])
    assert (delivery.status, delivery.attempts) == ("pending", 1)  # not six attempts back to back in the request
    assert "ConnectionRefusedError" in delivery.last_error


def test_it_sends_a_retry_only_once_it_is_due(receiver, register, approve, make_claim, settings, sweep_at):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    endpoint = register(receiver.url())
    receiver.answer(Answer(500, b"down"))
    approve(make_claim())

    early = sweep_at(timedelta(seconds=20))
    assert (early.deliveries, len(receiver.received)) == (0, 1)

    due = sweep_at(timedelta(seconds=31))
    assert (due.deliveries, len(receiver.received)) == (1, 2)
    delivery = WebhookDelivery.objects.get(endpoint_id=endpoint["id"])
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("succeeded", 2, None)


def test_it_sends_again_a_delivery_whose_message_was_lost(
    receiver, register, make_claim, desk, sweep_at, django_capture_on_commit_callbacks
):
    endpoint = register(receiver.url())
    fact_check = desk.published(make_claim())
    with django_capture_on_commit_callbacks(execute=False):  # fanned out, but the delivery's message never arrives
        webhooks.fan_out("factcheck.published", fact_check.current_version_id)
    delivery = WebhookDelivery.objects.get(endpoint_id=endpoint["id"])

    assert sweep_at(timedelta(seconds=5)).deliveries == 0  # still within its lease: a worker may be on it
    assert sweep_at(webhooks.LEASE + timedelta(seconds=1)).deliveries == 1

    assert [r.headers["X-Factcheck-Delivery"] for r in receiver.received] == [str(delivery.pk)]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 1)


def test_it_ignores_a_message_redelivered_after_its_attempt_started(receiver, register, make_claim, desk):
    endpoint = register(receiver.url())
    fact_check = desk.published(make_claim())
    (delivery_id,) = webhooks.fan_out("factcheck.published", fact_check.current_version_id)

    first = webhooks.attempt_delivery(delivery_id, 0)
    again = webhooks.attempt_delivery(delivery_id, 0)  # the broker hands the same message out a second time

    assert (first.result, again.result) == (webhooks.Result.SUCCEEDED, webhooks.Result.SKIPPED)
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.get(endpoint_id=endpoint["id"]).attempts == 1


def test_it_skips_a_delivery_that_breaks_the_sweep_and_sends_the_others(
    receiver, register, make_claim, desk, sweep_at, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    register(receiver.url())
    with django_capture_on_commit_callbacks(execute=False):  # two deliveries whose messages were lost
        bad, good = (
            webhooks.fan_out("factcheck.published", desk.published(make_claim(text=text)).current_version_id)[0]
            for text in ("The talks lasted five hours", "The talks lasted six hours")
        )
    real_resend = webhook_sweep._resend

    def resend(delivery_id, attempts, now):
        if delivery_id == bad:
            raise RuntimeError("poisoned row")
        return real_resend(delivery_id, attempts, now)

    monkeypatch.setattr(webhook_sweep, "_resend", resend)

    report = sweep_at(webhooks.LEASE + timedelta(seconds=1))

    assert (report.deliveries, report.failed) == (1, 1)
    assert [r.headers["X-Factcheck-Delivery"] for r in receiver.received] == [str(good)]
    assert f"delivery {bad} failed" in caplog.text


@pytest.mark.parametrize("port", ["0", "65536", "99999"])
def test_it_refuses_a_webhook_url_whose_port_is_not_from_1_to_65535(api, editor, port):
    url = f"https://93.184.215.14:{port}/hook"

    answer = api(editor).post(
        WEBHOOKS, {"url": url, "secret": SECRET, "events": ["factcheck.published"]}, format="json"
    )

    assert answer.status_code == 400
    assert "url" in answer.json()


def test_it_accepts_a_webhook_url_with_a_port_in_range(api, editor):
    url = "https://93.184.215.14:65535/hook"

    answer = api(editor).post(
        WEBHOOKS, {"url": url, "secret": SECRET, "events": ["factcheck.published"]}, format="json"
    )

    assert answer.status_code == 201, answer.content


def test_it_fetches_pages_and_delivers_webhooks_through_one_pinned_client(
    receiver, register, approve, make_claim, settings, monkeypatch
):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    connected = []

    def open_connection(ip, port, timeout):
        connected.append(port)
        return socket.create_connection((str(ip), port), timeout=timeout)

    monkeypatch.setattr(netguard, "open_connection", open_connection)
    register(receiver.url())
    with LocalWeb() as web:
        page = web.serve("/story", "<html><body>A story</body></html>")

        fetch_html(page)
        approve(make_claim())

    assert connected == [web.port, receiver.port]


def test_it_sends_the_sweep_and_the_import_to_the_webhooks_queue_and_schedules_the_sweep(settings):
    for task in (Task.SWEEP_WEBHOOKS, Task.IMPORT_CLAIMREVIEW):
        assert task in app.tasks
        assert app.amqp.router.route({}, task)["queue"].name == "webhooks"
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert Task.SWEEP_WEBHOOKS in scheduled


ADMIN_IMPORT = "/admin/factcheck/externalfactcheck/import/"


def test_it_runs_the_admin_import_in_a_task_and_says_it_was_queued(client, editor, monkeypatch, settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    sent = []
    monkeypatch.setattr(dispatch, "send", lambda name, *args: sent.append((name, *args)) or True)
    client.force_login(editor)
    with LocalWeb() as web:
        url = web.serve("/fc/moon", "<html><body>No review yet</body></html>")

        answer = client.post(ADMIN_IMPORT, {"urls": url}, follow=True)

    assert sent == [(Task.IMPORT_CLAIMREVIEW, [url], editor.pk)]
    assert web.requests == []  # nothing was fetched inside the admin's request
    assert not ExternalFactCheck.objects.exists()
    (message,) = [str(m) for m in answer.context["messages"]]
    assert message.startswith("Import of 1 page(s) queued")


def test_it_tells_the_editor_when_the_import_could_not_be_queued(client, editor, monkeypatch):
    monkeypatch.setattr(dispatch, "send", lambda name, *args: False)
    client.force_login(editor)

    answer = client.post(ADMIN_IMPORT, {"urls": "https://checkers.example.org/fc"}, follow=True)

    assert [str(m) for m in answer.context["messages"]] == [
        "The import could not be queued (the task queue is down); try again."
    ]
