"""Idempotency-Key under real concurrency on PostgreSQL: duplicates collide on the database's unique constraint.

Each request runs in its own thread with its own connection, as two gunicorn workers would.
"""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from claims.models import Claim
from core.models import IdempotencyRecord

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CLAIMS = "/api/v1/claims/"
RAW = json.dumps({"text": "Trade rose by 12% last year.", "language": "en"})


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks: set DATABASE_URL")


def post_in_thread(user, key: str, barrier: threading.Barrier | None = None):
    """POST from a fresh thread (a fresh database connection), closing the connection afterwards."""

    def run():
        try:
            if barrier is not None:
                barrier.wait(timeout=10)
            client = APIClient()
            client.force_authenticate(user)
            return client.post(CLAIMS, RAW, content_type="application/json", headers={"Idempotency-Key": key})
        finally:
            connection.close()

    return run


def test_it_answers_409_to_a_duplicate_while_the_first_is_running(journalist):
    with ThreadPoolExecutor(max_workers=2) as pool:
        with transaction.atomic():
            # Hold inserts into claims until we say so: the first request stops inside its view, key claimed.
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE claims_claim IN EXCLUSIVE MODE")
            first = pool.submit(post_in_thread(journalist, "race-1"))
            deadline = time.monotonic() + 10
            while not IdempotencyRecord.objects.filter(key="race-1").exists():
                assert time.monotonic() < deadline, "the first request never claimed its key"
                time.sleep(0.02)

            duplicate = pool.submit(post_in_thread(journalist, "race-1")).result(timeout=10)

            assert duplicate.status_code == 409
            assert duplicate.headers["Retry-After"] == "1"
        original = first.result(timeout=10)  # the lock is gone with our transaction: the first one finishes

    assert original.status_code == 201
    retry = post_in_thread(journalist, "race-1")()
    assert retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json()["id"] == original.json()["id"]
    assert Claim.objects.count() == 1


def test_it_creates_one_claim_when_many_duplicates_arrive_at_once(journalist):
    threads = 8
    barrier = threading.Barrier(threads)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        answers = list(pool.map(lambda run: run(), [post_in_thread(journalist, "race-2", barrier)] * threads))

    assert Claim.objects.count() == 1
    claim_id = Claim.objects.get().pk
    codes = sorted(a.status_code for a in answers)
    assert set(codes) <= {201, 409}, codes
    created = [a for a in answers if a.status_code == 201 and "Idempotent-Replayed" not in a.headers]
    replayed = [a for a in answers if a.headers.get("Idempotent-Replayed") == "true"]
    assert len(created) == 1
    assert {a.json()["id"] for a in created + replayed} == {claim_id}
