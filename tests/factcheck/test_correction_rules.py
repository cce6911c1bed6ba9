"""A correction is held to what publishing asked for: a second person (the verdict's reviewer, also an editor, may
not correct it alone) and a complete verdict (a summary, an explanation and at least one source)."""

import pytest

from core.roles import Role, grant_role
from factcheck.record.models import FactCheckVersion


def corrections_url(fact_check) -> str:
    return f"/api/v1/claims/{fact_check.claim_id}/corrections/"


def versions_of(fact_check) -> list[int]:
    return list(FactCheckVersion.objects.filter(fact_check=fact_check).values_list("number", flat=True))


def test_the_verdicts_reviewer_may_not_correct_it_even_as_an_editor(api, make_claim, publish, reviewer, other_editor):
    fact_check = publish(make_claim())
    grant_role(reviewer, Role.EDITOR)
    change = {"note": "Changed my mind.", "rating": "true"}

    refused = api(reviewer).post(corrections_url(fact_check), change, format="json")
    accepted = api(other_editor).post(corrections_url(fact_check), change, format="json")

    assert refused.status_code == 403
    assert "another editor" in refused.json()["detail"]
    assert accepted.status_code == 201, accepted.content
    assert versions_of(fact_check) == [1, 2]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sources": []}, "sources"),
        ({"summary": " \u200b "}, "summary"),
        ({"explanation": "\ufeff"}, "explanation"),
    ],
)
def test_a_correction_may_not_leave_the_verdict_incomplete(api, make_claim, publish, other_editor, change, field):
    fact_check = publish(make_claim())

    answer = api(other_editor).post(corrections_url(fact_check), {"note": "Tidied up.", **change}, format="json")

    assert answer.status_code == 400, answer.content
    assert field in answer.json()
    assert versions_of(fact_check) == [1]


def test_a_refused_new_source_is_named_by_its_place_in_the_list(api, make_claim, publish, other_editor):
    fact_check = publish(make_claim())
    sources = [
        {"url": "https://stats.example.org/trade-2025", "title": "Trade statistics 2025"},
        {"url": "http://10.0.0.5/memo", "title": "Memo"},
        {"url": "https://gov.example.org/a", "title": "\u200b"},
    ]

    answer = api(other_editor).post(
        corrections_url(fact_check), {"note": "More sources.", "sources": sources}, format="json"
    )

    assert answer.status_code == 400, answer.content
    errors = answer.json()["sources"]
    assert {index: sorted(fields) for index, fields in errors.items()} == {"1": ["url"], "2": ["title"]}
    assert "10.0.0.5, a private or local address" in errors["1"]["url"][0]
    assert versions_of(fact_check) == [1]
