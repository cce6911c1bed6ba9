"""Without a broker (the embedded default), a webhook receiver that never answers must not hold the request that
published the verdict: the delivery runs beside the request, and its outcome is still recorded."""

import socket
import threading
import time

import pytest

from core.names import Task
from factcheck.models import WebhookDelivery
from tests.factcheck import webhook_receiver

register = webhook_receiver.register


@pytest.fixture
def silent_receiver():
    """Accepts connections and never says a word: the worst receiver, one that only a read timeout ends."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/hook"
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    server.close()


def delivery_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == f"eager {Task.DELIVER_WEBHOOK}"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_answers_the_approval_while_a_silent_receiver_is_still_being_waited_for(
    settings, api, editor, desk, make_claim, register, silent_receiver, monkeypatch
):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    settings.EAGER_TASKS_IN_BACKGROUND = frozenset({Task.DELIVER_WEBHOOK})
    monkeypatch.setattr("factcheck.integrations.webhooks.TIMEOUT_SECONDS", 3)
    endpoint = register(silent_receiver)
    claim = make_claim()
    desk.awaiting_approval(claim)

    started = time.monotonic()
    answer = api(editor).post(f"/api/v1/claims/{claim.pk}/approve/", {}, format="json")
    took = time.monotonic() - started

    assert answer.status_code == 200, answer.content
    assert took < 2, f"the approval waited {took:.1f} s for the receiver"
    for thread in delivery_threads():
        thread.join(timeout=10)
    delivery = WebhookDelivery.objects.get(endpoint_id=endpoint["id"])
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.next_attempt_at is not None
