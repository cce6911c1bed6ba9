"""Bodies that are not what the API takes get a clear 4xx with a JSON message, never a 500 or an HTML page:
malformed JSON, wrong types, oversized bodies, unknown fields and text that is not valid UTF-8."""

import json

import pytest
from django.conf import settings

from claims.models import Claim

CLAIMS = "/api/v1/claims/"
LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def post_raw(client, url: str, raw: bytes, content_type: str = "application/json", **headers):
    return client.post(url, raw, content_type=content_type, headers=headers)


def assert_clear(answer, code: int) -> dict:
    assert answer.status_code == code, answer.content
    assert answer["Content-Type"] == "application/json"
    return answer.json()


# Malformed JSON


@pytest.mark.parametrize("raw", [b'{"text": "Trade rose", ', b"{'text': 'single quotes'}", b'{"a": NaN}', b""])
def test_it_answers_400_to_malformed_json(api, journalist, raw):
    answer = post_raw(api(journalist), CLAIMS, raw)

    detail = assert_clear(answer, 400)
    assert detail  # either the parse error or, for an empty body, the required fields
    assert not Claim.objects.exists()


def test_it_names_the_parse_error(api, journalist):
    detail = assert_clear(post_raw(api(journalist), CLAIMS, b'{"text": "Trade rose", '), 400)

    assert detail["detail"].startswith("JSON parse error")


def test_it_answers_415_to_a_body_that_is_not_json(api, journalist):
    answer = post_raw(api(journalist), CLAIMS, b"text=Trade rose", content_type="text/plain")

    assert "Unsupported media type" in assert_clear(answer, 415)["detail"]


# Wrong types


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": {"nested": "object"}}, "text"),
        ({"text": ["a", "list"]}, "text"),
        ({"topics": "economy"}, "topics"),
        ({"topics": [{"slug": "economy"}]}, "topics"),
        ({"report": "the first one"}, "report"),
        ({"claim_date": 20240101}, "claim_date"),
        ({"claim_date": "yesterday"}, "claim_date"),
        ({"language": ["en"]}, "language"),
    ],
)
def test_it_answers_400_naming_a_field_of_the_wrong_type(api, journalist, fields, field):
    body = {"text": "Trade rose by 12% last year.", "language": "en", **fields}

    errors = assert_clear(api(journalist).post(CLAIMS, body, format="json"), 400)

    assert field in errors
    assert not Claim.objects.exists()


@pytest.mark.parametrize("raw", [b"[1, 2]", b'"a string"', b"42", b"null"])
def test_it_answers_400_when_the_body_is_not_an_object(api, journalist, raw):
    errors = assert_clear(post_raw(api(journalist), CLAIMS, raw), 400)

    assert "non_field_errors" in errors


# Oversized bodies


def test_it_answers_413_to_a_body_over_the_limit(api, journalist):
    raw = json.dumps({"text": "x" * LIMIT, "language": "en"}).encode()

    detail = assert_clear(post_raw(api(journalist), CLAIMS, raw), 413)

    assert f"limit of {LIMIT} bytes" in detail["detail"]
    assert not Claim.objects.exists()


def test_it_answers_413_to_an_oversized_body_sent_with_an_idempotency_key(api, journalist):
    raw = json.dumps({"text": "x" * LIMIT, "language": "en"}).encode()

    answer = post_raw(api(journalist), CLAIMS, raw, **{"Idempotency-Key": "big-1"})

    assert_clear(answer, 413)


def test_it_answers_413_to_an_oversized_form(api, journalist):
    answer = api(journalist).post(CLAIMS, {"text": "x" * LIMIT, "language": "en"})  # multipart

    assert_clear(answer, 413)


def test_it_takes_a_body_just_under_the_limit(api, journalist, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200
    raw = json.dumps({"text": "Trade rose by 12% last year.", "language": "en"}).encode()
    assert len(raw) < 200

    assert post_raw(api(journalist), CLAIMS, raw).status_code == 201
    assert post_raw(api(journalist), CLAIMS, raw + b" " * 200).status_code == 413


# Unknown fields


def test_it_refuses_unknown_fields_and_lists_them(api, journalist):
    body = {
        "text": "Trade rose by 12% last year.",
        "language": "en",
        "status": "published",
        "submitted_by": 1,
        "langauge": "de",
    }

    errors = assert_clear(api(journalist).post(CLAIMS, body, format="json"), 400)

    assert set(errors) == {"status", "submitted_by", "langauge"}
    assert "Unknown field" in errors["status"][0]
    assert "language" in errors["langauge"][0]  # the message lists the accepted fields
    assert not Claim.objects.exists()


def test_it_refuses_unknown_fields_in_a_form_too(api, journalist):
    errors = assert_clear(
        api(journalist).post(CLAIMS, {"text": "Trade rose.", "language": "en", "priority": "high"}), 400
    )

    assert set(errors) == {"priority"}


def test_it_refuses_unknown_fields_on_an_action(api, editor, make_claim):
    claim = make_claim()

    errors = assert_clear(
        api(editor).post(f"/api/v1/claims/{claim.pk}/triage/", {"decision": "accept", "reviewer": 3}, format="json"),
        400,
    )

    assert set(errors) == {"reviewer"}
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_it_refuses_unknown_fields_inside_a_list_of_sources(api, reviewer, make_claim, desk):
    claim = make_claim()
    desk.in_review(claim)
    body = {
        "rating": "false",
        "summary": "s",
        "explanation": "e",
        "sources": [{"url": "https://gov.example.org/a", "title": "A", "stars": 5}],
    }

    errors = assert_clear(api(reviewer).put(f"/api/v1/claims/{claim.pk}/review/", body, format="json"), 400)

    assert "Unknown field" in json.dumps(errors["sources"])  # keyed by the source's position
    assert "stars" in json.dumps(errors["sources"])


# Text that is not UTF-8


def test_it_answers_400_to_a_body_that_is_not_utf8(api, journalist):
    raw = b'{"text": "Caf\xe9 prices rose", "language": "en"}'  # Latin-1, not UTF-8

    detail = assert_clear(post_raw(api(journalist), CLAIMS, raw), 400)

    assert "JSON parse error" in detail["detail"]
    assert not Claim.objects.exists()


def test_it_answers_400_to_an_unpaired_surrogate(api, journalist):
    raw = b'{"text": "Trade rose \\ud800 by 12%", "language": "en"}'  # valid JSON, not storable Unicode

    detail = assert_clear(post_raw(api(journalist), CLAIMS, raw), 400)

    assert "surrogate" in detail["detail"]
    assert not Claim.objects.exists()


def test_it_answers_400_to_a_nul_character(api, journalist):
    raw = b'{"text": "Trade rose \\u0000 by 12%", "language": "en"}'

    errors = assert_clear(post_raw(api(journalist), CLAIMS, raw), 400)

    assert "text" in errors


def test_it_still_takes_non_ascii_text(api, journalist):
    raw = json.dumps({"text": "Les prix du café ont augmenté de 12 % 📈", "language": "fr"}).encode()

    assert post_raw(api(journalist), CLAIMS, raw).status_code == 201
    assert Claim.objects.get().text.endswith("📈")
