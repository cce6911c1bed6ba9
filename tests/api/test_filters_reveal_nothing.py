"""Filtering a list by an id answers the same for an id that does not exist and one the caller may not see: an
empty page, never "not a valid choice" for one and an empty page for the other."""

import pytest

from claims import services as claim_services


@pytest.fixture
def janes_private_report(journalist):
    return claim_services.submit_report(
        user=journalist, headline="Notes", language="en", body="The mayor said rents fell by a third."
    )


def test_another_journalists_report_and_a_missing_one_look_alike(api, other_journalist, janes_private_report):
    client = api(other_journalist)

    hidden = client.get("/api/v1/claims/", {"report": janes_private_report.pk})
    missing = client.get("/api/v1/claims/", {"report": 999_999})

    assert (hidden.status_code, missing.status_code) == (200, 200)
    assert hidden.json()["results"] == missing.json()["results"] == []


def test_a_claim_filter_on_assignments_reveals_no_claim(api, reviewer, make_claim):
    hidden = make_claim()
    client = api(reviewer)

    answers = [client.get("/api/v1/assignments/", {"claim": claim_id}) for claim_id in (hidden.pk, 999_999)]

    assert [a.status_code for a in answers] == [200, 200]
    assert [a.json()["results"] for a in answers] == [[], []]


def test_the_filter_still_finds_a_visible_reports_claims(api, journalist, make_claim, report):
    claim = make_claim()

    found = api(journalist).get("/api/v1/claims/", {"report": report.pk}).json()["results"]

    assert [c["id"] for c in found] == [claim.pk]
    assert api(journalist).get("/api/v1/claims/", {"report": "abc"}).status_code == 400
