"""The transactional outbox: every event that leaves the system is a row written with the change it reports, sent to
the broker only when someone listens, handled once, and found again by the sweep when its message is lost. A broker
that cannot take a message never turns the committed change into an error."""

import logging
from datetime import timedelta

import celery.app.task
import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from claims.models import ClaimEvent
from claims.transitions import lock_claim, transition_claim
from config.celery import app
from core import dispatch
from core.models import OutboxEvent
from core.names import Event, Task
from factcheck.integrations import webhook_sweep, webhooks
from factcheck.models import WebhookDelivery, WebhookEndpoint
from factcheck.tasks import emit_event
from tests.factcheck import webhook_receiver
from tests.factcheck.webhook_receiver import SECRET, verify

receiver, register = webhook_receiver.receiver, webhook_receiver.register
STATUS_CHANGED = Event.CLAIM_STATUS_CHANGED.value


@pytest.fixture
def listening(editor):
    """An endpoint that wants status changes, at a public address nothing here ever connects to."""
    return WebhookEndpoint.objects.create(
        url="https://93.184.215.14/hook", secret=SECRET, events=[STATUS_CHANGED], created_by=editor
    )


@pytest.fixture
def sent(monkeypatch):
    """What would go to the broker after each commit, by task name and arguments (nothing runs)."""
    messages = []
    monkeypatch.setattr(dispatch, "send", lambda name, *args: messages.append((name, *args)) or True)
    return messages


def reject(api, editor, claim):
    answer = api(editor).post(f"/api/v1/claims/{claim.pk}/triage/", {"decision": "reject", "reason": "Opinion."})
    assert answer.status_code == 200, answer.content
    return ClaimEvent.objects.filter(claim=claim).latest("pk")


class Boom(Exception):
    pass


def test_it_writes_the_event_in_the_same_transaction_as_the_status_change(listening, make_claim, editor):
    claim = make_claim()
    with pytest.raises(Boom), transaction.atomic():
        transition_claim(lock_claim(claim.pk), to="queued", actor=editor)
        raise Boom  # the change rolls back, and its event with it

    assert not OutboxEvent.objects.exists()

    with transaction.atomic():
        transition_claim(lock_claim(claim.pk), to="queued", actor=editor)

    moved = ClaimEvent.objects.get(claim=claim, to_status="queued")
    assert list(OutboxEvent.objects.values_list("name", "object_id", "state")) == [
        (STATUS_CHANGED, moved.pk, "pending")
    ]


def test_it_sends_the_event_to_the_broker_after_the_commit_when_an_endpoint_listens(
    listening, make_claim, api, editor, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moved = reject(api, editor, make_claim())

    assert sent == [(Task.EMIT_EVENT, STATUS_CHANGED, moved.pk)]


def test_it_sends_no_task_when_no_endpoint_listens_and_marks_the_event_handled(
    make_claim, api, editor, sent, django_capture_on_commit_callbacks
):
    WebhookEndpoint.objects.create(
        url="https://93.184.215.14/hook", secret=SECRET, events=["factcheck.published"], created_by=editor
    )
    with django_capture_on_commit_callbacks(execute=True):
        moved = reject(api, editor, make_claim())

    assert sent == []
    event = OutboxEvent.objects.get(object_id=moved.pk)
    assert (event.state, event.handled_at is not None) == ("handled", True)


def test_it_fans_an_event_out_once_and_marks_it_handled_with_its_deliveries(listening, make_claim, api, editor, sent):
    moved = reject(api, editor, make_claim())

    emit_event.delay(STATUS_CHANGED, moved.pk)
    emit_event.delay(STATUS_CHANGED, moved.pk)  # the message is delivered again after a lost worker

    assert WebhookDelivery.objects.filter(endpoint=listening).count() == 1
    assert OutboxEvent.objects.get(object_id=moved.pk).state == "handled"


def test_it_leaves_the_event_pending_when_its_fan_out_fails(listening, make_claim, api, editor, sent, monkeypatch):
    moved = reject(api, editor, make_claim())

    def broken(object_id):
        raise Boom

    monkeypatch.setitem(webhooks._BUILDERS, STATUS_CHANGED, broken)
    with pytest.raises(Boom):
        webhooks.fan_out(STATUS_CHANGED, moved.pk)

    assert OutboxEvent.objects.get(object_id=moved.pk).state == "pending"  # rolled back with the deliveries
    assert not WebhookDelivery.objects.exists()


def test_it_fans_out_an_event_whose_message_was_lost(
    receiver, register, make_claim, api, editor, django_capture_on_commit_callbacks
):
    register(receiver.url(), events=[STATUS_CHANGED])
    moved = reject(api, editor, make_claim())  # committed, but its message never reached a worker

    with django_capture_on_commit_callbacks(execute=True):
        report = webhook_sweep.sweep(now=timezone.now() + timedelta(minutes=1))

    assert (report.events, report.failed) == (1, 0)
    (request,) = receiver.received
    assert verify(SECRET, request.headers, request.body)["event_id"] == f"{STATUS_CHANGED}:{moved.pk}"
    assert OutboxEvent.objects.get(object_id=moved.pk).state == "handled"


def test_it_skips_a_poisoned_event_and_fans_out_the_others(
    listening, make_claim, api, editor, sent, monkeypatch, caplog
):
    poisoned = reject(api, editor, make_claim(text="The talks lasted five hours"))
    fine = reject(api, editor, make_claim(text="The talks lasted six hours"))
    real = webhooks._BUILDERS[STATUS_CHANGED]

    def build(object_id):
        if object_id == poisoned.pk:
            raise Boom("broken row")
        return real(object_id)

    monkeypatch.setitem(webhooks._BUILDERS, STATUS_CHANGED, build)

    report = webhook_sweep.sweep(now=timezone.now() + timedelta(minutes=1))

    assert (report.events, report.failed) == (1, 1)
    assert [d.payload["event_id"] for d in WebhookDelivery.objects.all()] == [f"{STATUS_CHANGED}:{fine.pk}"]
    row = OutboxEvent.objects.get(object_id=poisoned.pk)
    assert row.state == "pending"  # tried again at the next sweep
    assert f"outbox event {row.pk}" in caplog.text


@pytest.fixture
def broker_down(monkeypatch):
    """Every send to the broker fails the way kombu reports a Redis that refuses connections."""

    def refuse(self, *args, **kwargs):
        raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(celery.app.task.Task, "apply_async", refuse)
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def test_it_answers_success_for_a_triage_the_broker_cannot_route_and_logs_the_send(
    broker_down, reviewer, make_claim, api, editor, caplog, django_capture_on_commit_callbacks
):
    claim = make_claim()
    with caplog.at_level(logging.ERROR, logger="core.dispatch"), django_capture_on_commit_callbacks(execute=True):
        answer = api(editor).post(f"/api/v1/claims/{claim.pk}/triage/", {"decision": "accept"}, format="json")

    assert answer.status_code == 200, answer.content
    claim.refresh_from_db()
    assert claim.status == "queued"  # committed; the queue sweep routes it once the broker is back
    assert f"Could not send {Task.ROUTE_CLAIM}({claim.pk},)" in caplog.text
