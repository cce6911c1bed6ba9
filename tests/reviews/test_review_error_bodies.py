"""A refused review body says what is wrong where a client looks for it: a source's refusal under the source's index,
whichever check refused it, and a call without body fields says that it takes none."""

import pytest

PUBLIC = {"url": "https://stats.example.org/trade-2025", "title": "Trade statistics 2025"}


@pytest.fixture
def claim(make_claim, desk):
    claim = make_claim()
    desk.in_review(claim)
    return claim


def put_review(api, reviewer, claim, sources):
    body = {"rating": "false", "summary": "S.", "explanation": "E.", "sources": sources}
    return api(reviewer).put(f"/api/v1/claims/{claim.pk}/review/", body, format="json")


def test_a_private_source_link_is_refused_under_its_index_like_a_malformed_one(api, reviewer, claim):
    malformed = put_review(api, reviewer, claim, [PUBLIC, {"url": "not a link", "title": "B"}])
    private = put_review(api, reviewer, claim, [PUBLIC, {"url": "http://10.0.0.5/", "title": "B"}])

    assert (malformed.status_code, private.status_code) == (400, 400)
    assert list(malformed.json()) == list(private.json()) == ["sources"]
    assert list(malformed.json()["sources"]) == list(private.json()["sources"]) == ["1"]
    assert list(private.json()["sources"]["1"]) == ["url"]
    (message,) = private.json()["sources"]["1"]["url"]
    assert "10.0.0.5, a private or local address" in message


def test_every_refused_source_is_named_with_each_of_its_fields(api, reviewer, claim):
    answer = put_review(
        api,
        reviewer,
        claim,
        [
            {"url": "http://localhost/", "title": "A"},
            PUBLIC,
            {"url": "https://gov.example.org/a", "title": "C", "archive_url": "http://10.0.0.5/copy"},
        ],
    )

    assert answer.status_code == 400
    errors = answer.json()["sources"]
    assert {index: sorted(fields) for index, fields in errors.items()} == {"0": ["url"], "2": ["archive_url"]}


def test_a_private_source_added_alone_is_refused_under_its_field(api, reviewer, claim):
    answer = api(reviewer).post(
        f"/api/v1/claims/{claim.pk}/review/sources/", {"url": "http://10.0.0.5/", "title": "B"}, format="json"
    )

    assert answer.status_code == 400
    assert list(answer.json()) == ["url"]


def test_submitting_with_a_body_field_says_the_call_takes_none(api, reviewer, claim):
    answer = api(reviewer).post(f"/api/v1/claims/{claim.pk}/review/submit/", {"x": 1}, format="json")

    assert answer.status_code == 400
    assert answer.json() == {"x": ["Unknown field: this call takes no body fields (send no body, or {})."]}
