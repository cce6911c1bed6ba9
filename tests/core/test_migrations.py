"""A database at the previous head, with rows in it, migrates forward without losing any of them."""

import pytest
from django.db import connection

from tests.migrating import migrate

# The head of each app before core existed (idempotency records then lived in claims).
OLD_HEAD = [
    ("claims", "0003_reader_tips_and_idempotency"),
    ("factcheck", "0003_webhooks_and_external_fact_checks"),
    ("reviews", "0002_assignment_latest_offer_index"),
    ("core", None),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_carries_idempotency_records_and_their_permissions_into_core():
    old = migrate(OLD_HEAD)
    user = old.get_model("auth", "User").objects.create(username="jane")
    old.get_model("claims", "IdempotencyRecord").objects.create(
        user=user,
        key="retry-1",
        method="POST",
        path="/api/v1/claims/",
        body_hash="ab" * 32,
        state="done",
        response_status=201,
        response_body={"id": 7},
    )
    content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="claims", model="idempotencyrecord"
    )[0]

    new = migrate()

    record = new.get_model("core", "IdempotencyRecord").objects.get(key="retry-1")
    assert (record.user_id, record.response_status, record.response_body) == (user.pk, 201, {"id": 7})
    moved = new.get_model("contenttypes", "ContentType").objects.get(pk=content_type.pk)
    assert moved.app_label == "core"
    assert "core_idempotencyrecord" in connection.introspection.table_names()
    assert "claims_idempotencyrecord" not in connection.introspection.table_names()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_migrates_back_to_the_old_head_with_the_rows():
    new = migrate()
    new.get_model("core", "IdempotencyRecord").objects.create(
        key="retry-2", method="POST", path="/api/v1/reports/", body_hash="cd" * 32
    )

    old = migrate(OLD_HEAD)

    assert old.get_model("claims", "IdempotencyRecord").objects.filter(key="retry-2").exists()
    migrate()
