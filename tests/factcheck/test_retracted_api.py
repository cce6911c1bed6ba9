"""A retracted verdict in the API is the tombstone its page shows: which claim, when and why it was withdrawn, and
nothing of the withdrawn verdict. Retracting twice, in a retry or in parallel, has one defined outcome."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient

from claims.models import ClaimStatus
from factcheck.record import services as publishing
from factcheck.record.selectors import public_fact_checks
from factcheck.record.serializers import FactCheckSerializer
from tests.factcheck.conftest import EXPLANATION, SUMMARY

TOMBSTONE_KEYS = {"slug", "url", "status", "claim", "claimant", "published_at", "updated_at", "retracted"}


def retract(fact_check, editor, reason="The schedule was forged."):
    return publishing.retract(claim_id=fact_check.claim_id, editor=editor, reason=reason)


def test_it_answers_a_retracted_verdict_in_the_tombstone_shape(api, make_claim, publish, editor):
    fact_check = retract(publish(make_claim()), editor)

    answer = api().get(f"/api/v1/fact-checks/{fact_check.slug}/")

    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == TOMBSTONE_KEYS
    assert body["status"] == "retracted"
    assert body["slug"] == fact_check.slug
    assert body["url"].endswith(f"/fact-checks/{fact_check.slug}/")
    assert body["claim"] == "The talks lasted more than five hours"
    assert body["retracted"]["reason"] == "The schedule was forged."
    assert body["retracted"]["at"].startswith(fact_check.retracted_at.date().isoformat())
    raw = answer.content.decode()
    for withdrawn in (SUMMARY, EXPLANATION, "gov.example.org/schedule", '"False"', "ClaimReview"):
        assert withdrawn not in raw


def test_it_lists_retracted_verdicts_as_tombstones_beside_standing_ones(api, make_claim, publish, editor):
    standing = publish(make_claim("Trade rose by 12% last year"))
    retracted = retract(publish(make_claim()), editor)

    results = {r["slug"]: r for r in api().get("/api/v1/fact-checks/").json()["results"]}

    assert set(results[retracted.slug]) == TOMBSTONE_KEYS
    assert results[standing.slug]["status"] == "published"
    assert results[standing.slug]["rating"]["label"] == "False"
    assert results[standing.slug]["retracted"] is None


def test_it_leaves_retracted_verdicts_out_of_a_rating_filter(api, make_claim, publish, editor):
    standing = publish(make_claim("Trade rose by 12% last year"), rating="false")
    retract(publish(make_claim(), rating="false"), editor)

    results = api().get("/api/v1/fact-checks/", {"rating": "false"}).json()["results"]

    # Listed under "false", a tombstone would tell which rating was withdrawn.
    assert [r["slug"] for r in results] == [standing.slug]


def test_it_describes_both_shapes_in_the_schema(api, db):
    schema = api().get("/api/v1/schema/", {"format": "json"}).json()

    components = schema["components"]["schemas"]
    either = components["PublicFactCheck"]
    assert either["discriminator"]["propertyName"] == "status"
    assert set(either["discriminator"]["mapping"]) == {"published", "retracted"}
    tombstone = either["discriminator"]["mapping"]["retracted"].rsplit("/", 1)[-1]
    assert set(components[tombstone]["properties"]) == TOMBSTONE_KEYS
    detail = schema["paths"]["/api/v1/fact-checks/{slug}/"]["get"]["responses"]["200"]
    assert detail["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PublicFactCheck"}
    page = components["FactCheckPage"]["properties"]["results"]
    assert page["items"] == {"$ref": "#/components/schemas/PublicFactCheck"}


def test_it_renders_the_tombstone_wherever_the_fact_check_serializer_is_used(make_claim, publish, editor):
    # Webhooks (factcheck.retracted) and the corrections endpoint render fact-checks with this serializer too.
    fact_check = retract(publish(make_claim()), editor)

    data = FactCheckSerializer(public_fact_checks().prefetch_related("versions").get(pk=fact_check.pk)).data

    assert set(data) == TOMBSTONE_KEYS


# Retracting twice


def test_it_answers_409_naming_the_status_to_a_second_retraction(api, make_claim, publish, editor):
    fact_check = publish(make_claim())
    url = f"/api/v1/claims/{fact_check.claim_id}/retract/"

    first = api(editor).post(url, {"reason": "The schedule was forged."}, format="json")
    second = api(editor).post(url, {"reason": "The schedule was forged."}, format="json")

    assert (first.status_code, second.status_code) == (200, 409)
    assert "retracted" in second.json()["detail"]
    fact_check.refresh_from_db()
    assert fact_check.retraction_reason == "The schedule was forged."
    assert fact_check.claim.events.filter(to_status=ClaimStatus.RETRACTED).count() == 1


def test_it_replays_a_retried_retraction_with_its_idempotency_key(api, make_claim, publish, editor):
    fact_check = publish(make_claim())
    client = api(editor)
    body = json.dumps({"reason": "The schedule was forged."})

    def send():
        return client.post(
            f"/api/v1/claims/{fact_check.claim_id}/retract/",
            body,
            content_type="application/json",
            headers={"Idempotency-Key": "retract-1"},
        )

    first, retry = send(), send()

    assert (first.status_code, retry.status_code) == (200, 200)
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert fact_check.claim.events.filter(to_status=ClaimStatus.RETRACTED).count() == 1


def post_from_threads(user, url: str, bodies: list[dict]) -> list:
    """POST each body at once from its own thread (its own database connection), as parallel workers would."""
    barrier = threading.Barrier(len(bodies))

    def run(body):
        try:
            client = APIClient()
            client.force_authenticate(user)
            barrier.wait(timeout=10)
            return client.post(url, body, format="json")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(run, bodies))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_retracts_once_when_retractions_arrive_in_parallel(make_claim, publish, editor):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks: set DATABASE_URL")
    fact_check = publish(make_claim())
    bodies = [{"reason": f"Reason {n}."} for n in range(4)]

    answers = post_from_threads(editor, f"/api/v1/claims/{fact_check.claim_id}/retract/", bodies)

    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409]
    assert all("retracted" in a.json()["detail"] for a in answers if a.status_code == 409)
    fact_check.refresh_from_db()
    winner = next(a for a in answers if a.status_code == 200)
    assert winner.json()["history"][-1]["note"] == fact_check.retraction_reason
    assert fact_check.claim.events.filter(to_status=ClaimStatus.RETRACTED).count() == 1
