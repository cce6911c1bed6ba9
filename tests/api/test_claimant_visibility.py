"""A claimant is seen with the claims that name it: by whoever may see one of those claims (editors all, the
submitter, the reviewers it is offered to), and by everyone signed in once a verdict on it is published."""

import pytest
from django.contrib.auth import get_user_model

from claims.models import Claim, Claimant, ClaimStatus

CLAIMANTS = "/api/v1/claimants/"
PRIVATE = "Anna Example-Private"


@pytest.fixture
def member(db):
    """Signed in, with no desk role."""
    return get_user_model().objects.create_user(username="guest", password="x" * 12)


@pytest.fixture
def private_claim(make_claim):
    return make_claim("The mayor hid the budget", claimant=PRIVATE)


def names(client, **params) -> list[str]:
    answer = client.get(CLAIMANTS, params)
    assert answer.status_code == 200, answer.content
    return [row["name"] for row in answer.json()["results"]]


def test_it_keeps_a_new_claims_claimant_from_other_members(api, private_claim, other_journalist, reviewer, member):
    claimant = private_claim.claimant
    for user in (other_journalist, reviewer, member):
        client = api(user)
        assert PRIVATE not in names(client)
        assert names(client, search="Anna") == []
        assert names(client, slug=claimant.slug) == []
        assert client.get(f"{CLAIMANTS}{claimant.pk}/").status_code == 404


def test_it_shows_a_claimant_to_the_submitter_and_to_editors(api, private_claim, journalist, editor):
    for user in (journalist, editor):
        assert names(api(user), search="Anna") == [PRIVATE]
        assert api(user).get(f"{CLAIMANTS}{private_claim.claimant.pk}/").status_code == 200


def test_it_shows_a_claimant_to_the_reviewer_the_claim_is_offered_to(api, private_claim, reviewer, desk):
    desk.assigned(private_claim)

    assert names(api(reviewer), search="Anna") == [PRIVATE]


def test_it_shows_a_published_verdicts_claimant_to_everyone_signed_in(api, private_claim, other_journalist, desk):
    desk.published(private_claim)

    assert names(api(other_journalist), search="Anna") == [PRIVATE]


def test_it_answers_404_to_a_non_editor_changing_a_claimant_they_cannot_see(api, private_claim, other_journalist):
    answer = api(other_journalist).patch(f"{CLAIMANTS}{private_claim.claimant.pk}/", {"name": "X"}, format="json")

    assert answer.status_code == 404
    assert Claimant.objects.get(pk=private_claim.claimant.pk).name == PRIVATE


def test_pages_give_each_visible_claimant_once_in_order(api, journalist, other_journalist):
    """Jane's claimants, each named on two claims (a join would repeat them): Jim sees the published ones."""
    statuses = [ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED, ClaimStatus.SUBMITTED] * 3
    for n, status in enumerate(statuses):
        claimant = Claimant.objects.create(name=f"Person {n:02}")
        for _ in range(2):
            Claim.objects.create(
                text="Trade fell", language="en", status=status, submitted_by=journalist, claimant=claimant
            )
    client = api(other_journalist)

    seen, page = [], client.get(CLAIMANTS, {"page_size": 2})
    while True:
        body = page.json()
        seen += [row["name"] for row in body["results"]]
        if body["next"] is None:
            break
        page = client.get(body["next"])

    assert seen == ["Person 00", "Person 01", "Person 03", "Person 04", "Person 06", "Person 07"]
