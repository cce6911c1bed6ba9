"""The aggregator's search: `GET /api/v1/fact-checks/?query=…` in the shape of Google Fact Check Tools
claims:search, read the way an aggregator's client reads it."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from claims import services as claim_services
from factcheck.record import services as publishing
from reviews.services import verdicts as desk_verdicts

URL = "/api/v1/fact-checks/"


@pytest.fixture
def publish(desk, editor):
    def published(claim, rating="false"):
        assignment = desk.in_review(claim)
        desk_verdicts.save_review(
            claim_id=claim.pk,
            reviewer=assignment.reviewer,
            rating=rating,
            summary="It was four hours.",
            explanation="The schedule.",
            sources=[desk_verdicts.SourceInput(url="https://gov.example.org/s", title="Schedule")],
        )
        desk_verdicts.submit_review(claim_id=claim.pk, reviewer=assignment.reviewer)
        return desk_verdicts.approve_claim(claim_id=claim.pk, editor=editor)

    return published


@pytest.fixture
def verdicts(make_claim, publish):
    """Three published verdicts: two about trade (one in German), one about talks."""
    talks = publish(make_claim("The talks lasted more than five hours", claim_date=timezone.localdate()))
    trade = publish(make_claim("Trade rose by 12% last year", claimant="Minister Jane Roe"), rating="true")
    german = publish(make_claim("Der Handel wuchs um 12%", language="de", claimant=""), rating="mostly-false")
    return {"talks": talks, "trade": trade, "german": german}


def search(api, **params):
    response = api().get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_it_answers_a_query_in_googles_claims_search_shape(api, verdicts):
    fact_check = verdicts["talks"]

    answer = search(api, query="talks")

    assert answer == {
        "claims": [
            {
                "text": "The talks lasted more than five hours",
                "claimant": "Minister Jane Roe",
                "claimDate": f"{timezone.localdate().isoformat()}T00:00:00Z",
                "claimReview": [
                    {
                        "publisher": {
                            "name": settings.FACTCHECK_PUBLISHER_NAME,
                            "site": urlsplit(settings.SITE_URL).hostname,
                        },
                        "url": fact_check.public_url,
                        "title": "The talks lasted more than five hours",
                        "reviewDate": fact_check.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "textualRating": "False",
                        "languageCode": "en",
                    }
                ],
            }
        ]
    }


def test_it_needs_every_word_of_the_query_and_leaves_out_what_is_unknown(api, verdicts):
    assert [c["text"] for c in search(api, query="12%")["claims"]] == [
        "Der Handel wuchs um 12%",
        "Trade rose by 12% last year",
    ]
    assert [c["text"] for c in search(api, query="trade jane")["claims"]] == ["Trade rose by 12% last year"]
    assert search(api, query="trade talks")["claims"] == []
    german = search(api, query="Handel")["claims"][0]
    assert "claimant" not in german and "claimDate" not in german


def test_it_restricts_by_language_ignoring_the_region_as_google_does(api, verdicts):
    assert [c["text"] for c in search(api, query="12%", languageCode="de-AT")["claims"]] == ["Der Handel wuchs um 12%"]
    assert [c["claimReview"][0]["languageCode"] for c in search(api, query="12%", languageCode="en-US")["claims"]] == [
        "en"
    ]


def test_it_restricts_by_age_of_the_verdict_or_the_claim(api, make_claim, publish, verdicts):
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        old = publish(make_claim("Trade fell in 2020", claim_date=None))

    recent = [c["text"] for c in search(api, query="trade", maxAgeDays=7)["claims"]]
    everything = [c["text"] for c in search(api, query="trade", maxAgeDays=60)["claims"]]

    assert old.claim.text not in recent
    assert old.claim.text in everything


def test_it_pages_with_next_page_token_until_the_last_page(api, verdicts):
    first = search(api, query="e", pageSize=2)
    second = search(api, query="e", pageSize=2, pageToken=first["nextPageToken"])

    assert len(first["claims"]) == 2
    assert len(second["claims"]) == 1
    assert "nextPageToken" not in second
    texts = [c["text"] for c in first["claims"] + second["claims"]]
    assert sorted(texts) == sorted(fc.claim.text for fc in verdicts.values())


def test_it_leaves_out_retracted_verdicts(api, verdicts, editor):
    publishing.retract(claim_id=verdicts["trade"].claim_id, editor=editor, reason="Edited video.")

    assert [c["text"] for c in search(api, query="12%")["claims"]] == ["Der Handel wuchs um 12%"]


@pytest.mark.parametrize(
    "params",
    [
        {"query": ""},
        {"query": "trade", "pageSize": 0},
        {"query": "trade", "pageSize": 101},
        {"query": "trade", "maxAgeDays": -1},
        {"query": "trade", "pageToken": "not-a-token"},
        {"query": "trade", "pageToken": "WyJ4IiwgMV0"},  # base64 of ["x", 1]: decodes, but is no token of ours
    ],
)
def test_it_refuses_bad_search_parameters_with_400(api, verdicts, params):
    response = api().get(URL, params)

    assert response.status_code == 400
    assert set(response.json()) <= {"query", "pageSize", "maxAgeDays", "pageToken"}


def test_it_answers_the_normal_list_without_a_query(api, verdicts):
    answer = search(api, languageCode="de")

    assert set(answer) == {"next", "previous", "results"}
    assert len(answer["results"]) == 3


def test_it_finds_only_published_verdicts_in_one_query(api, verdicts, django_assert_num_queries, journalist):
    claim_services.submit_claim(user=journalist, text="Trade claim, not published", language="en")

    assert [c["text"] for c in search(api, query="trade")["claims"]] == ["Trade rose by 12% last year"]
    with django_assert_num_queries(1):
        api().get(URL, {"query": "e", "pageSize": 100})


def test_it_documents_both_answers_in_the_schema(api, db):
    schema = api().get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/fact-checks/"]["get"]

    names = {p["name"] for p in operation["parameters"]}
    assert {"query", "languageCode", "maxAgeDays", "pageSize", "pageToken", "cursor"} <= names
    answer = schema["components"]["schemas"]["FactCheckListOrClaimSearch"]
    assert answer["oneOf"] == [
        {"$ref": "#/components/schemas/FactCheckPage"},
        {"$ref": "#/components/schemas/ClaimSearch"},
    ]
