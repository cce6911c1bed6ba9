"""`POST claims/{id}/assign/` names the reviewer by the id `GET reviewers/` lists: the API shows no user ids, and an
assignment made with a profile's id once went to whichever user had that number."""

from claims import services as claim_services
from reviews.models import Assignment


def queued_claim(make_claim, editor, text):
    claim = make_claim(text)
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")  # routing not run yet
    return claim


def test_the_id_a_reviewer_is_listed_under_assigns_that_reviewer(
    api, make_claim, editor, journalist, other_journalist, reviewer, other_reviewer
):
    client = api(editor)
    listed = client.get("/api/v1/reviewers/").json()["results"]
    assert {row["username"] for row in listed} == {"rita", "rolf"}
    # The desk's first users are journalists, so a profile's id is also some other person's user id.
    assert {row["id"] for row in listed} != {reviewer.pk, other_reviewer.pk}

    for n, row in enumerate(listed):
        claim = queued_claim(make_claim, editor, f"The talks lasted more than {n + 5} hours")
        assert client.get(f"/api/v1/reviewers/{row['id']}/").json()["username"] == row["username"]

        answer = client.post(f"/api/v1/claims/{claim.pk}/assign/", {"reviewer": row["id"]}, format="json")

        assert answer.status_code == 200, answer.content
        assert answer.json()["reviewer"] == row["username"]
        assert Assignment.objects.get(claim=claim).reviewer.username == row["username"]


def test_an_id_no_reviewer_is_listed_under_is_refused(api, make_claim, editor, reviewer):
    claim = queued_claim(make_claim, editor, "The talks lasted more than five hours")
    unused = reviewer.reviewer_profile.pk + 1000

    answer = api(editor).post(f"/api/v1/claims/{claim.pk}/assign/", {"reviewer": unused}, format="json")

    assert answer.status_code == 400
    assert answer.json() == {"reviewer": ["No such reviewer: send an id from GET reviewers/."]}
    assert not Assignment.objects.filter(claim=claim).exists()
