"""Endpoints registered twice before the rule: the migration keeps every row and its log, pauses the later active
repeats of a receiver, and leaves one active endpoint per receiver."""

import pytest

from tests.migrating import migrate

BEFORE = [("factcheck", "0012_stored_search_vector")]
AFTER = [("factcheck", "0013_one_active_webhook_per_receiver")]
URL = "https://hooks.example.org/hooks/factcheck"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_keeps_every_endpoint_and_pauses_the_later_repeats():
    old = migrate(BEFORE)
    user = old.get_model("auth", "User").objects.create(username="eddie")
    endpoints = old.get_model("factcheck", "WebhookEndpoint").objects

    def add(url: str, active: bool = True) -> int:
        row = endpoints.create(url=url, secret="s" * 20, events=["factcheck.published"], active=active, created_by=user)
        return row.pk

    paused_first, oldest, repeat, spelled, other = (
        add(URL, active=False),
        add(URL),
        add(URL),
        add("HTTP://Hooks.Example.org/hooks/factcheck/"),
        add(f"{URL}/v2"),
    )
    deliveries = old.get_model("factcheck", "WebhookDelivery").objects
    deliveries.create(endpoint_id=repeat, event="factcheck.published", payload={"n": 1})

    new = migrate(AFTER)

    rows = new.get_model("factcheck", "WebhookEndpoint").objects
    assert dict(rows.values_list("pk", "active")) == {
        paused_first: False,
        oldest: True,
        repeat: False,
        spelled: False,
        other: True,
    }
    keys = {"hooks.example.org/hooks/factcheck", "hooks.example.org/hooks/factcheck/v2"}
    assert set(rows.values_list("url_key", flat=True)) == keys
    assert new.get_model("factcheck", "WebhookDelivery").objects.filter(endpoint_id=repeat).count() == 1
    migrate()
