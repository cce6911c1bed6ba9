"""Idempotency-Key on creating POSTs: a retry gets the first answer and creates nothing; misuse of a key is refused."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import Claim, Report
from core.models import IdempotencyRecord
from factcheck.models import FactCheckVersion, WebhookEndpoint

CLAIMS = "/api/v1/claims/"
CLAIM = {"text": "Trade rose by 12% last year.", "language": "en"}


def send(client, url: str, body: dict, key: str | None = "key-0001"):
    """POST exact bytes, as a client retrying a request would send them again."""
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_it_replays_the_first_answer_to_a_retry(api, journalist):
    client = api(journalist)

    first = send(client, CLAIMS, CLAIM)
    retry = send(client, CLAIMS, CLAIM)

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert Claim.objects.count() == 1


def test_it_creates_one_object_per_request_without_a_key(api, journalist):
    client = api(journalist)

    send(client, CLAIMS, CLAIM, key=None)
    send(client, CLAIMS, CLAIM, key=None)

    assert Claim.objects.count() == 2


def test_it_refuses_the_same_key_with_another_body(api, journalist):
    client = api(journalist)
    send(client, CLAIMS, CLAIM)

    answer = send(client, CLAIMS, {**CLAIM, "text": "Trade fell by 12% last year."})

    assert answer.status_code == 422
    assert "different request" in answer.json()["detail"]
    assert list(Claim.objects.values_list("text", flat=True)) == [CLAIM["text"]]


def test_it_refuses_the_same_key_on_another_endpoint(api, journalist):
    client = api(journalist)
    send(client, CLAIMS, CLAIM)

    answer = send(client, "/api/v1/reports/", {"headline": "Trade figures", "language": "en", "body": "Text."})

    assert answer.status_code == 422
    assert not Report.objects.exists()


def test_it_answers_409_while_the_first_request_is_still_running(api, journalist):
    raw = json.dumps(CLAIM).encode()
    IdempotencyRecord.objects.create(
        user=journalist, key="key-0001", method="POST", path=CLAIMS, body_hash=hashlib.sha256(raw).hexdigest()
    )

    answer = send(api(journalist), CLAIMS, CLAIM)

    assert answer.status_code == 409
    assert "still in progress" in answer.json()["detail"]
    assert answer.headers["Retry-After"] == "1"
    assert not Claim.objects.exists()


def test_it_takes_over_a_key_whose_request_died(api, journalist):
    raw = json.dumps(CLAIM).encode()
    record = IdempotencyRecord.objects.create(
        user=journalist, key="key-0001", method="POST", path=CLAIMS, body_hash=hashlib.sha256(raw).hexdigest()
    )
    IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - timedelta(minutes=6))

    answer = send(api(journalist), CLAIMS, CLAIM)

    assert answer.status_code == 201
    assert Claim.objects.count() == 1
    assert IdempotencyRecord.objects.get().state == "done"


def test_it_keeps_keys_apart_per_user(api, journalist, other_journalist):
    mine = send(api(journalist), CLAIMS, CLAIM)
    theirs = send(api(other_journalist), CLAIMS, CLAIM)

    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.json()["submitted_by"] == "jim"
    assert Claim.objects.count() == 2


def test_it_releases_the_key_of_a_refused_request_so_the_fixed_one_can_use_it(api, journalist):
    client = api(journalist)

    refused = send(client, CLAIMS, {"language": "en"})
    fixed = send(client, CLAIMS, CLAIM)
    retry = send(client, CLAIMS, CLAIM)

    assert (refused.status_code, fixed.status_code, retry.status_code) == (400, 201, 201)
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert Claim.objects.count() == 1


def test_it_stores_nothing_for_a_request_the_desk_refuses(api, editor, make_claim):
    claim = make_claim()  # submitted, not published: a correction is an illegal transition
    client = api(editor)

    first = send(client, f"/api/v1/claims/{claim.pk}/corrections/", {"note": "Fixed a typo."})
    again = send(client, f"/api/v1/claims/{claim.pk}/corrections/", {"note": "Fixed a typo."})

    assert first.status_code == again.status_code == 409
    assert "Idempotent-Replayed" not in again.headers
    assert not IdempotencyRecord.objects.exists()


def test_it_forgets_keys_after_24_hours(api, journalist):
    client = api(journalist)
    send(client, CLAIMS, CLAIM)
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=24, minutes=1))

    later = send(client, CLAIMS, CLAIM)

    assert later.status_code == 201
    assert "Idempotent-Replayed" not in later.headers
    assert Claim.objects.count() == 2
    assert IdempotencyRecord.objects.count() == 1


@pytest.mark.parametrize("key", ["", "x" * 201, "two words", "tab\there"])
def test_it_refuses_a_malformed_key(api, journalist, key):
    answer = send(api(journalist), CLAIMS, CLAIM, key=key)

    assert answer.status_code == 400
    assert "Idempotency-Key" in answer.json()["detail"]
    assert not Claim.objects.exists()


def test_it_replays_a_report(api, journalist):
    client = api(journalist)
    report = {"headline": "Trade figures", "language": "en", "body": "Trade rose by 12% last year."}

    first, retry = send(client, "/api/v1/reports/", report), send(client, "/api/v1/reports/", report)

    assert first.status_code == retry.status_code == 201
    assert retry.json()["id"] == first.json()["id"]
    assert Report.objects.count() == 1


def test_it_replays_a_correction(api, editor, make_claim, desk):
    claim = make_claim()
    desk.published(claim)
    client = api(editor)
    correction = {"note": "The talks ran to 14:30.", "summary": "It was four and a half hours."}

    first = send(client, f"/api/v1/claims/{claim.pk}/corrections/", correction)
    retry = send(client, f"/api/v1/claims/{claim.pk}/corrections/", correction)

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert FactCheckVersion.objects.filter(fact_check__claim=claim).count() == 2


def test_it_replays_a_webhook_registration(api, editor):
    client = api(editor)
    hook = {
        "url": "https://93.184.215.14/hook",
        "secret": "receiver-shared-secret-0123",
        "events": ["factcheck.published"],
    }

    first, retry = send(client, "/api/v1/webhooks/", hook), send(client, "/api/v1/webhooks/", hook)

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert WebhookEndpoint.objects.count() == 1
