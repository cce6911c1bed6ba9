"""The web benchmark's claims ceiling answers what the editor's claim list answers, so the bench's ratio measures
what the endpoint spends beyond reading the same rows, not the cost of a smaller answer."""

import pytest
from django.test import override_settings

CLAIMS = "/api/v1/claims/"


@pytest.mark.parametrize("query", ["", "?status=assigned"])
def test_the_claims_ceiling_answers_the_editors_claim_list_byte_for_byte(api, editor, claims_of_every_shape, query):
    listed = api(editor).get(f"{CLAIMS}{query}")
    with override_settings(ROOT_URLCONF="config.bench_urls"):
        ceiling = api().get(f"/bench/ceiling/claims.json{query}")

    assert listed.status_code == ceiling.status_code == 200
    results = listed.json()["results"]
    assert results and {row["status"] for row in results} >= ({"assigned"} if query else {"published", "submitted"})
    # The page's own links aside, the same bytes: history, topics, verdicts, dates and scripts alike.
    start = listed.content.index(b'"results":')
    assert ceiling.content == b"{" + listed.content[start:]
