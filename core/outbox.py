"""The transactional outbox: an event that leaves the system is a row written in the same transaction as the change.

A rolled-back change leaves no row, and a committed change always has one, whatever happens afterwards to the broker
or a worker. After the commit, the event's task (core.names.Task.EMIT_EVENT, by name) is sent; the app that owns the
receivers (factcheck's webhooks) turns the pending row into deliveries and marks it handled in that same transaction,
and its beat sweep picks up rows still pending after a lost message, a broker outage or a killed worker.

When no receiver wants the event, the row is written already handled and nothing is sent to the broker. Core imports
no app, so the apps that have receivers say whether they want an event through `add_audience` at start-up.
"""

from collections.abc import Callable, Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from core.dispatch import enqueue_on_commit
from core.models import OutboxEvent
from core.names import Task

Audience = Callable[[str], bool]  # answers: does anyone want events of this name right now?

_audiences: list[Audience] = []


def add_audience(wants: Audience) -> None:
    if wants not in _audiences:
        _audiences.append(wants)


def is_wanted(name: str) -> bool:
    return any(wants(name) for wants in _audiences)


def record_event(name: str, object_id: int) -> None:
    """Write the event inside the caller's transaction; its delivery is sent after the commit when anyone wants it."""
    record_events(name, [object_id])


def record_events(name: str, object_ids: Sequence[int]) -> None:
    """`record_event` for many events of one name, recorded by one change: one INSERT whatever their number."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("events must be recorded inside the transaction of the change they report")
    wanted = is_wanted(name)
    state = OutboxEvent.State.PENDING if wanted else OutboxEvent.State.HANDLED
    handled_at = None if wanted else timezone.now()
    rows = [OutboxEvent(name=name, object_id=pk, state=state, handled_at=handled_at) for pk in object_ids]
    # An event is named by its row, so the same event recorded twice stays one row.
    OutboxEvent.objects.bulk_create(rows, ignore_conflicts=True)
    if wanted:
        for pk in object_ids:
            enqueue_on_commit(Task.EMIT_EVENT, name, pk)


def start_handling(name: str, object_id: int) -> bool:
    """Lock the event's row inside the handler's transaction; False when it was handled already.

    An event without a row (sent before the outbox existed) is handled too: handlers are idempotent per event.
    """
    row = OutboxEvent.objects.select_for_update().filter(name=name, object_id=object_id).first()
    return row is None or row.state == OutboxEvent.State.PENDING


def mark_handled(name: str, object_id: int) -> None:
    """In the same transaction as the work the event caused, so the two commit or roll back together."""
    OutboxEvent.objects.filter(name=name, object_id=object_id, state=OutboxEvent.State.PENDING).update(
        state=OutboxEvent.State.HANDLED, handled_at=timezone.now()
    )


def pending_before(moment: datetime, limit: int) -> list[tuple[int, str, int]]:
    """(id, name, object_id) of events still pending that were recorded before `moment`, oldest first."""
    rows = OutboxEvent.objects.filter(state=OutboxEvent.State.PENDING, created_at__lt=moment).order_by("created_at")
    return list(rows.values_list("pk", "name", "object_id")[:limit])
