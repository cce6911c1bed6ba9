"""Approve and Assign from a page left open: what the page showed (the review's submission, the claim's active
assignment) travels with its form, so someone else's move since is refused with the typed note kept, instead of
publishing a review nobody read or silently withdrawing another editor's offer."""

import re

import pytest

from claims.models import ClaimStatus
from core.errors import EditedSince
from core.roles import Role
from factcheck.record.models import FactCheck
from reviews.models import Assignment, AssignmentState
from reviews.services import assignments, verdicts
from reviews.services.members import add_member
from tests.admin.desk import action, messages_of
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

APPROVE, ASSIGN = action("approve"), action("assign")
STALE_REVIEW = "The review was submitted again since you opened this page: read it and approve again."


def hidden(page, name: str) -> str:
    """The value a browser posts back for the page's hidden field."""
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', page.content.decode())
    assert found, f"no hidden {name} on the page"
    return found.group(1)


def resubmitted_as_true(claim, editor, reviewer) -> None:
    """Another editor returns the review; its reviewer rates it True and submits it again."""
    verdicts.return_review(claim_id=claim.pk, editor=editor, note="Check the rating again.")
    verdicts.save_review(
        claim_id=claim.pk,
        reviewer=reviewer,
        rating="true",
        summary="CHANGED: it was five hours.",
        explanation="The minutes show five hours.",
        sources=[verdicts.SourceInput(url="https://gov.example.org/minutes", title="Minutes")],
    )
    verdicts.submit_review(claim_id=claim.pk, reviewer=reviewer)


def test_the_approve_page_shows_the_verdict_it_publishes(as_editor, make_claim, desk):
    claim = make_claim()
    desk.awaiting_approval(claim)

    page = as_editor.get(APPROVE, {"ids": claim.pk, "back": "claim"})

    body = page.content.decode()
    assert page.status_code == 200
    assert '<span class="desk-rating">False</span>' in body
    assert '<dd dir="auto">It was four hours.</dd>' in body
    assert "The official schedule shows the talks ran from 10:00 to 14:00." in body
    assert "<dt>Sources</dt><dd>1</dd>" in body
    assert hidden(page, "submitted_at")


def test_a_stale_approve_page_is_refused_with_its_note_and_publishes_nothing(as_editor, other_editor, make_claim, desk):
    claim = make_claim()
    assignment = desk.awaiting_approval(claim)
    opened = as_editor.get(APPROVE, {"ids": claim.pk, "back": "claim"})
    resubmitted_as_true(claim, other_editor, assignment.reviewer)

    answer = as_editor.post(
        APPROVE,
        {"ids": claim.pk, "back": "claim", "note": "Well sourced.", "submitted_at": hidden(opened, "submitted_at")},
    )

    assert answer.status_code == 409
    form = answer.context["form"]
    assert form.non_field_errors() == [STALE_REVIEW]
    assert form["note"].value() == "Well sourced."
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AWAITING_APPROVAL
    assert not FactCheck.objects.filter(claim=claim).exists()
    # The page shown again shows the review as it is now, so approving from it publishes what was read there.
    assert "CHANGED: it was five hours." in answer.content.decode()
    again = as_editor.post(
        APPROVE,
        {"ids": claim.pk, "back": "claim", "note": "Well sourced.", "submitted_at": hidden(answer, "submitted_at")},
        follow=True,
    )
    assert messages_of(again)[0][0] == "success"
    assert FactCheck.objects.get(claim=claim).current_version.rating.slug == "true"


def test_an_approve_page_opened_on_the_current_submission_publishes(as_editor, make_claim, desk):
    claim = make_claim()
    desk.awaiting_approval(claim)
    opened = as_editor.get(APPROVE, {"ids": claim.pk, "back": "claim"})

    answer = as_editor.post(
        APPROVE,
        {"ids": claim.pk, "back": "claim", "note": "Thanks.", "submitted_at": hidden(opened, "submitted_at")},
        follow=True,
    )

    assert messages_of(answer)[0][0] == "success"
    assert FactCheck.objects.get(claim=claim).current_version.rating.slug == "false"


def test_the_service_refuses_an_approval_of_another_submission(editor, other_editor, make_claim, desk):
    claim = make_claim()
    assignment = desk.awaiting_approval(claim)
    read = claim.review.submitted_at
    resubmitted_as_true(claim, other_editor, assignment.reviewer)

    with pytest.raises(EditedSince, match="submitted again since you opened this page"):
        verdicts.approve_claim(claim_id=claim.pk, editor=editor, submitted_at=read)
    claim.review.refresh_from_db()
    fact_check = verdicts.approve_claim(claim_id=claim.pk, editor=editor, submitted_at=claim.review.submitted_at)
    assert fact_check.current_version.rating.slug == "true"


def test_a_stale_assign_page_is_refused_and_the_reassignment_since_stands(
    as_editor, other_editor, make_claim, desk, reviewer, other_reviewer
):
    third = add_member(username="rosa", role=Role.REVIEWER, password=PASSWORD, languages=["en"], capacity=3)
    claim = make_claim()
    first = desk.assigned(claim)
    opened = as_editor.get(ASSIGN, {"ids": claim.pk, "back": "claim"})
    assert hidden(opened, "based_on_assignment") == str(first.pk)
    second_reviewer = other_reviewer if first.reviewer == reviewer else reviewer
    since = assignments.assign_by_hand(claim_id=claim.pk, editor=other_editor, reviewer_id=second_reviewer.pk)

    answer = as_editor.post(
        ASSIGN,
        {
            "ids": claim.pk,
            "back": "claim",
            "reviewer": third.pk,
            "note": "Knows the ministry.",
            "based_on_assignment": hidden(opened, "based_on_assignment"),
        },
    )

    assert answer.status_code == 409
    form = answer.context["form"]
    assert form.non_field_errors()[0].startswith(
        f"The claim was assigned to {second_reviewer.get_username()} since you opened this page"
    )
    assert form["note"].value() == "Knows the ministry."
    since.refresh_from_db()
    assert since.state == AssignmentState.OFFERED
    assert not Assignment.objects.filter(claim=claim, reviewer=third).exists()
    # Told who holds it now, the editor may still reassign from the page shown again.
    assert hidden(answer, "based_on_assignment") == str(since.pk)
    again = as_editor.post(
        ASSIGN,
        {
            "ids": claim.pk,
            "back": "claim",
            "reviewer": third.pk,
            "note": "Knows the ministry.",
            "based_on_assignment": hidden(answer, "based_on_assignment"),
        },
        follow=True,
    )
    assert messages_of(again)[0][0] == "success"
    assert Assignment.objects.active().get(claim=claim).reviewer == third


def test_an_assign_page_opened_on_a_queued_claim_is_refused_once_it_was_offered(
    as_editor, other_editor, make_claim, desk, reviewer, other_reviewer
):
    claim = make_claim()
    claim_offer = desk.assigned(claim)
    # Declined, the claim is back in the queue (its rerouting, run on commit, does not run here).
    assignments.decline_assignment(assignment_id=claim_offer.pk, reviewer=claim_offer.reviewer)
    opened = as_editor.get(ASSIGN, {"ids": claim.pk, "back": "claim"})
    assert hidden(opened, "based_on_assignment") == "0"
    since = assignments.assign_by_hand(claim_id=claim.pk, editor=other_editor, reviewer_id=other_reviewer.pk)

    answer = as_editor.post(
        ASSIGN,
        {"ids": claim.pk, "back": "claim", "reviewer": reviewer.pk, "note": "", "based_on_assignment": "0"},
    )

    assert answer.status_code == 409
    since.refresh_from_db()
    assert since.state == AssignmentState.OFFERED


def test_an_assign_page_opened_on_the_current_assignment_reassigns(
    as_editor, make_claim, desk, reviewer, other_reviewer
):
    claim = make_claim()
    first = desk.assigned(claim)
    opened = as_editor.get(ASSIGN, {"ids": claim.pk, "back": "claim"})
    other = other_reviewer if first.reviewer == reviewer else reviewer

    answer = as_editor.post(
        ASSIGN,
        {
            "ids": claim.pk,
            "back": "claim",
            "reviewer": other.pk,
            "note": "",
            "based_on_assignment": hidden(opened, "based_on_assignment"),
        },
        follow=True,
    )

    assert messages_of(answer)[0][0] == "success"
    assert Assignment.objects.active().get(claim=claim).reviewer == other
