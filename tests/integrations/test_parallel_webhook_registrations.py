"""Editors registering one receiver at the same moment on PostgreSQL: one endpoint, and every other request a 400
naming it (the unique constraint decides, not a 500)."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from factcheck.models import WebhookEndpoint

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

THREADS = 6
URL = "https://93.184.215.14/hooks/factcheck"


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL: set DATABASE_URL")


def test_parallel_registrations_of_one_receiver_make_one_endpoint(editor):
    barrier, answers = threading.Barrier(THREADS), []
    spellings = [URL, f"{URL}/", URL.upper().replace("/HOOKS/FACTCHECK", "/hooks/factcheck")]

    def register(n: int) -> None:
        try:
            client = APIClient()
            client.force_authenticate(editor)
            body = {"url": spellings[n % len(spellings)], "secret": "s" * 20, "events": ["factcheck.published"]}
            barrier.wait(timeout=10)
            answers.append(client.post("/api/v1/webhooks/", body, format="json"))
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    endpoint = WebhookEndpoint.objects.get()
    assert sorted(a.status_code for a in answers) == [201] + [400] * (THREADS - 1)
    refusals = [a.json()["url"][0] for a in answers if a.status_code == 400]
    assert all(f"Webhook endpoint {endpoint.pk} " in message for message in refusals)
