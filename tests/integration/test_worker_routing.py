"""The queue on real services: PostgreSQL, a broker and a separate `celery -A config worker` process."""

import time

import pytest

from claims.models import Claim
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _token_client(api, username):
    client = api()
    answer = client.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json")
    client.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    return client


def _wait_for_status(claim_id: int, status: str, timeout_s: float) -> Claim:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        claim = Claim.objects.get(pk=claim_id)
        if claim.status == status:
            return claim
        time.sleep(0.1)
    return Claim.objects.get(pk=claim_id)


def test_it_assigns_a_claim_queued_over_the_api_in_the_worker(celery_worker_process, api, journalist, editor, reviewer):
    as_journalist = _token_client(api, journalist.username)
    as_editor = _token_client(api, editor.username)
    created = as_journalist.post(
        "/api/v1/claims/", {"text": "The talks lasted more than five hours", "language": "en"}, format="json"
    )
    claim_id = created.json()["id"]

    started = time.monotonic()
    triaged = as_editor.post(f"/api/v1/claims/{claim_id}/triage/", {"decision": "accept"}, format="json")
    assert triaged.status_code == 200
    assert triaged.json()["status"] in {"queued", "assigned"}

    claim = _wait_for_status(claim_id, "assigned", timeout_s=10)
    assert claim.status == "assigned", celery_worker_process.log()[-3000:]
    assert time.monotonic() - started < 10
    assignment = claim.assignments.get()
    assert (assignment.reviewer, assignment.state) == (reviewer, "offered")
    # The worker process ran the routing task, not the web process.
    assert "reviews.route_claim" in celery_worker_process.log()
    # The task commits the assignment before it returns and the worker logs its success: the line may follow.
    celery_worker_process.wait_for_log("succeeded", timeout_s=10)


def test_it_reroutes_a_declined_offer_in_the_worker(
    celery_worker_process, api, journalist, editor, reviewer, other_reviewer, make_claim
):
    claim = make_claim()
    as_editor = _token_client(api, editor.username)
    as_editor.post(f"/api/v1/claims/{claim.pk}/triage/", {"decision": "accept"}, format="json")
    claim = _wait_for_status(claim.pk, "assigned", timeout_s=10)
    first = claim.assignments.get()

    as_reviewer = _token_client(api, first.reviewer.username)
    declined = as_reviewer.post(f"/api/v1/assignments/{first.pk}/decline/", {"reason": "Conflict"}, format="json")
    assert declined.status_code == 200

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not claim.assignments.filter(state="offered").exists():
        time.sleep(0.1)
    second = claim.assignments.get(state="offered")
    assert second.reviewer != first.reviewer
