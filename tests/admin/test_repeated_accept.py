"""An action sent again after the claim has moved on (routing offered an accepted claim to a reviewer, a reviewer
took a returned review) says the action was already done, as information, and a bulk run counts it as done; the
claim's history decides, so a claim the action was never done to is still refused."""

import pytest

from claims.models import Claim, ClaimStatus
from reviews.services import assignments as desk_services
from reviews.services import verdicts
from tests.admin.desk import CLAIMS, action, messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def accept(as_editor, reviewer, other_reviewer, django_capture_on_commit_callbacks):
    """Posts the accept form as a browser does, routing running as the triage commits."""

    def post(data):
        with django_capture_on_commit_callbacks(execute=True):
            return as_editor.post(action("accept"), data, follow=True)

    return post


def test_accepting_again_after_routing_says_already_accepted_and_names_the_reviewer(accept, make_claim):
    claim = make_claim()
    data = {"ids": claim.pk, "priority": "normal", "reason": ""}

    accept(data)
    again = accept(data)

    ((level, text),) = messages_of(again)
    offered_to = claim.assignments.get().reviewer.get_username()
    link = f'<a href="{CLAIMS}{claim.pk}/change/">Claim «{claim.text}»</a>'
    assert (level, text) == ("info", f"{link} is already accepted (now assigned to {offered_to}).")
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.ASSIGNED
    assert claim.events.filter(to_status=ClaimStatus.QUEUED).count() == 1


def test_a_bulk_accept_sent_again_counts_the_claims_as_already_done(accept, as_editor, make_claim):
    claims = [make_claim(f"Claim number {n}") for n in range(4)]
    data = {"ids": [c.pk for c in claims], "priority": "normal", "back": "list"}
    rejected = make_claim("An opinion on the talks")
    as_editor.post(action("reject"), {"ids": rejected.pk, "reason": "An opinion."}, follow=True)

    accept(data)
    again = accept({**data, "ids": [*data["ids"], rejected.pk]})

    found = messages_of(again)
    assert [level for level, _ in found] == ["info"] * 4 + ["error", "warning"]
    assert all("is already accepted (now assigned to r" in text for _, text in found[:4])
    # Never accepted, the rejected claim is refused as before: its history shows a rejection, not an accept.
    assert found[4][1].endswith("A claim that is rejected cannot become queued.")
    assert found[5][1] == "0 done, 4 already done, 1 refused."


def test_opening_accept_on_a_claim_routing_took_says_already_accepted(accept, as_editor, make_claim):
    claim = make_claim()
    accept({"ids": claim.pk, "priority": "normal"})

    page = as_editor.get(action("accept"), {"ids": claim.pk}, follow=True)

    ((level, text),) = messages_of(page)
    offered_to = claim.assignments.get().reviewer.get_username()
    assert level == "info" and text.endswith(f"is already accepted (now assigned to {offered_to}).")


def test_route_now_sent_again_says_already_offered(as_editor, make_claim, reviewer):
    claim = make_claim()
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.QUEUED)

    as_editor.post(action("route"), {"ids": claim.pk}, follow=True)
    again = as_editor.post(action("route"), {"ids": claim.pk}, follow=True)

    ((level, text),) = messages_of(again)
    assert level == "info" and text.endswith("is already assigned.")
    assert claim.assignments.count() == 1


def test_a_return_sent_again_after_the_reviewer_gave_the_claim_back_says_already_returned(as_editor, make_claim, desk):
    claim = make_claim()
    assignment = desk.awaiting_approval(claim)
    as_editor.post(action("return"), {"ids": claim.pk, "note": "Cite the agenda, please."}, follow=True)
    # Submitted again, the review awaits approval anew: returning it is a new return, not the first one repeated.
    verdicts.submit_review(claim_id=claim.pk, reviewer=assignment.reviewer)
    assert as_editor.get(action("return"), {"ids": claim.pk}).status_code == 200
    second = as_editor.post(action("return"), {"ids": claim.pk, "note": "Still no agenda."}, follow=True)
    assert messages_of(second)[0][0] == "success"
    assignment.refresh_from_db()
    desk_services.return_to_queue(assignment, state="released", actor=assignment.reviewer)

    again = as_editor.post(action("return"), {"ids": claim.pk, "note": "Still no agenda."}, follow=True)

    ((level, text),) = messages_of(again)
    assert level == "info" and text.endswith("is already returned to its reviewer (now queued).")
    assert claim.events.filter(to_status=ClaimStatus.IN_REVIEW, actor__username="eddie").count() == 2


def test_assigning_the_same_reviewer_again_says_already_assigned(as_editor, make_claim, reviewer):
    claim = make_claim()
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.QUEUED)
    data = {"ids": claim.pk, "reviewer": reviewer.pk, "note": ""}

    as_editor.post(action("assign"), data, follow=True)
    again = as_editor.post(action("assign"), data, follow=True)

    ((level, text),) = messages_of(again)
    assert level == "info" and text.endswith("is already assigned to rita.")
    assert claim.assignments.count() == 1
