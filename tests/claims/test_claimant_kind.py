"""Whether a claimant is a person or an organisation is said when the claim is submitted (API and service); a known
claimant keeps its kind, and a published verdict names the claim's author with that type in its ClaimReview."""

import pytest

from claims import services
from claims.models import Claimant
from core.errors import InvalidInput
from factcheck.record.selectors import claim_review_for

CLAIMS = "/api/v1/claims/"


def claim_body(report, **overrides) -> dict:
    body = {
        "text": "Trade rose by 12% last year",
        "report": report.pk,
        "quote": "Trade rose by 12% last year",
        "claimant": "Ministry of Trade",
        "language": "en",
    }
    return body | overrides


def test_the_api_creates_an_organisation(api, journalist, report):
    answer = api(journalist).post(CLAIMS, claim_body(report, claimant_kind="Organization"), format="json")

    assert answer.status_code == 201, answer.content
    assert Claimant.objects.get(name="Ministry of Trade").kind == "Organization"


def test_the_api_creates_a_person_when_the_kind_is_left_out(api, journalist, report):
    answer = api(journalist).post(CLAIMS, claim_body(report, claimant="Jane Roe"), format="json")

    assert answer.status_code == 201, answer.content
    assert Claimant.objects.get(name="Jane Roe").kind == "Person"


def test_the_api_refuses_an_unknown_kind(api, journalist, report):
    answer = api(journalist).post(CLAIMS, claim_body(report, claimant_kind="Robot"), format="json")

    assert answer.status_code == 400
    assert "claimant_kind" in answer.json()
    assert not Claimant.objects.exists()


def test_a_known_claimant_keeps_its_kind(api, journalist, report):
    Claimant.objects.create(name="Ministry of Trade", kind="Person")

    answer = api(journalist).post(
        CLAIMS, claim_body(report, claimant="MINISTRY OF TRADE", claimant_kind="Organization"), format="json"
    )

    assert answer.status_code == 201, answer.content
    assert list(Claimant.objects.values_list("name", "kind")) == [("Ministry of Trade", "Person")]


def test_an_edit_naming_a_new_claimant_sets_its_kind(api, journalist, make_claim):
    claim = make_claim()

    answer = api(journalist).patch(
        f"{CLAIMS}{claim.pk}/", {"claimant": "Geneva City Council", "claimant_kind": "Organization"}, format="json"
    )

    assert answer.status_code == 200, answer.content
    assert Claimant.objects.get(name="Geneva City Council").kind == "Organization"


def test_the_service_sets_the_kind_of_a_new_claimant(journalist, report):
    claim = services.submit_claim(
        user=journalist, text="Trade rose", language="en", claimant="Всемирный банк", claimant_kind="Organization"
    )

    assert (claim.claimant.name, claim.claimant.kind) == ("Всемирный банк", "Organization")


def test_the_service_refuses_an_unknown_kind(journalist):
    with pytest.raises(InvalidInput) as refused:
        services.submit_claim(user=journalist, text="Trade rose", language="en", claimant="X", claimant_kind="Cat")

    assert "claimant_kind" in refused.value.errors
    assert not Claimant.objects.exists()


def test_the_claimreview_names_an_organisation_as_the_claims_author(make_claim, desk):
    claim = make_claim(claimant="Ministry of Trade", claimant_kind="Organization")

    review = claim_review_for(desk.published(claim))

    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Ministry of Trade"}


def test_the_schema_documents_the_field(api):
    schema = api().get("/api/v1/schema/", {"format": "json"}).json()

    for name in ("ClaimInput", "PatchedClaimEditInput"):
        field = schema["components"]["schemas"][name]["properties"]["claimant_kind"]
        assert "Organization" in field["description"]
