"""Many events of one change go to the outbox as one INSERT, with the same rules as one event: pending and sent after
the commit when someone listens, handled at once and never sent when nobody does."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core import dispatch, outbox
from core.models import OutboxEvent
from core.names import Event, Task

NAME = Event.CLAIM_STATUS_CHANGED.value


@pytest.fixture
def sent(monkeypatch):
    messages = []
    monkeypatch.setattr(dispatch, "send", lambda name, *args: messages.append((name, *args)) or True)
    return messages


def listen(monkeypatch, wanted: bool) -> None:
    monkeypatch.setattr(outbox, "_audiences", [lambda name: wanted])


def test_it_writes_every_event_in_one_insert_and_sends_each_after_the_commit(
    db, monkeypatch, sent, django_capture_on_commit_callbacks
):
    listen(monkeypatch, wanted=True)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            outbox.record_events(NAME, [11, 12, 13])
        assert sent == []  # nothing leaves before the commit

    assert len(queries) == 1
    assert sorted(OutboxEvent.objects.values_list("object_id", "state")) == [
        (11, "pending"),
        (12, "pending"),
        (13, "pending"),
    ]
    assert sent == [(Task.EMIT_EVENT, NAME, pk) for pk in (11, 12, 13)]


def test_events_nobody_wants_are_written_handled_and_not_sent(
    db, monkeypatch, sent, django_capture_on_commit_callbacks
):
    listen(monkeypatch, wanted=False)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox.record_events(NAME, [21, 22])

    rows = OutboxEvent.objects.order_by("object_id")
    assert [(row.object_id, row.state, row.handled_at is not None) for row in rows] == [
        (21, "handled", True),
        (22, "handled", True),
    ]
    assert sent == []


def test_the_same_event_recorded_twice_stays_one_row(db, monkeypatch, sent):
    listen(monkeypatch, wanted=False)

    with transaction.atomic():
        outbox.record_event(NAME, 31)
        outbox.record_events(NAME, [31, 32])

    assert sorted(OutboxEvent.objects.values_list("object_id", flat=True)) == [31, 32]


def test_it_refuses_events_outside_the_transaction_of_their_change(monkeypatch, sent):
    # No database here: a test's database access runs inside a transaction.
    listen(monkeypatch, wanted=True)

    with pytest.raises(RuntimeError, match="inside the transaction"):
        outbox.record_events(NAME, [41])

    assert sent == []
