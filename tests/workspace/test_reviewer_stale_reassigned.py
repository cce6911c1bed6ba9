"""A review form left open while an editor reassigns the claim: saving it tells the reviewer what happened and shows
back what they typed, so they can copy it, instead of a 404 that loses it."""

from reviews.models import Review
from reviews.services import assignments as desk_services
from tests.workspace import test_reviewer
from tests.workspace.test_reviewer import form_url, review_fields

# The reviewer's fixtures, shared with the workspace's main tests.
offer, accepted, rita = test_reviewer.offer, test_reviewer.accepted, test_reviewer.rita

SUMMARY = "The talks took four hours, not five."
EXPLANATION = "The **official schedule** lists 10:00 to 14:00."
REASSIGNED = "An editor reassigned this claim to another reviewer, so your review can no longer be saved here."


def test_saving_after_the_claim_was_reassigned_says_so_and_shows_the_typed_text(
    rita, make_claim, accepted, editor, other_reviewer
):
    claim = make_claim()
    accepted(claim)
    desk_services.assign_by_hand(claim_id=claim.pk, editor=editor, reviewer_id=other_reviewer.pk)

    fields = review_fields(summary=SUMMARY, explanation=EXPLANATION, save="1")
    response = rita.post(form_url(claim), fields | {"source-title": "Official schedule"})

    assert response.status_code == 409
    page = response.content.decode()
    assert REASSIGNED in page
    assert "The talks took four hours, not five." in page
    assert "The **official schedule** lists 10:00 to 14:00." in page
    assert "Official schedule" in page
    assert "readonly" in page
    assert not Review.objects.filter(claim=claim).exists()


def test_a_reviewer_who_never_had_the_claim_still_finds_nothing_there(rita, make_claim, editor, other_reviewer, offer):
    claim = make_claim()
    offer(claim, other_reviewer)

    response = rita.post(form_url(claim), review_fields(summary=SUMMARY, save="1"))

    assert response.status_code == 404
    assert SUMMARY not in response.content.decode()


def test_opening_the_form_of_a_reassigned_claim_still_finds_nothing_there(
    rita, make_claim, accepted, editor, other_reviewer
):
    claim = make_claim()
    accepted(claim)
    desk_services.assign_by_hand(claim_id=claim.pk, editor=editor, reviewer_id=other_reviewer.pk)

    assert rita.get(form_url(claim)).status_code == 404
