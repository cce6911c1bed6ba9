"""The API's approve and assign take what the caller read (the review's `submitted_at`, the active assignment's id):
someone else's move since is refused with 409; left out, they act as before."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from factcheck.record.models import FactCheck
from reviews.models import Assignment, AssignmentState
from reviews.services import assignments, verdicts

pytestmark = pytest.mark.django_db


def approve_url(claim) -> str:
    return f"/api/v1/claims/{claim.pk}/approve/"


def assign_url(claim) -> str:
    return f"/api/v1/claims/{claim.pk}/assign/"


def submitted_at(api, user, claim) -> str:
    return api(user).get(f"/api/v1/claims/{claim.pk}/review/").json()["submitted_at"]


def resubmitted_as_true(claim, editor, reviewer) -> None:
    verdicts.return_review(claim_id=claim.pk, editor=editor, note="Check the rating again.")
    verdicts.save_review(
        claim_id=claim.pk,
        reviewer=reviewer,
        rating="true",
        summary="It was five hours.",
        explanation="The minutes show five hours.",
        sources=[verdicts.SourceInput(url="https://gov.example.org/minutes", title="Minutes")],
    )
    verdicts.submit_review(claim_id=claim.pk, reviewer=reviewer)


def test_an_approval_of_a_review_submitted_again_since_is_refused(api, editor, other_editor, make_claim, desk):
    claim = make_claim()
    assignment = desk.awaiting_approval(claim)
    read = submitted_at(api, editor, claim)
    resubmitted_as_true(claim, other_editor, assignment.reviewer)

    stale = api(editor).post(approve_url(claim), {"note": "Checked.", "submitted_at": read}, format="json")

    assert stale.status_code == 409, stale.content
    assert stale.json()["detail"] == (
        "The review was submitted again since you opened this page: read it and approve again."
    )
    assert not FactCheck.objects.filter(claim=claim).exists()
    fresh = api(editor).post(
        approve_url(claim), {"note": "Checked.", "submitted_at": submitted_at(api, editor, claim)}, format="json"
    )
    assert fresh.status_code == 200, fresh.content
    assert FactCheck.objects.get(claim=claim).current_version.rating.slug == "true"


def test_an_approval_without_submitted_at_publishes_what_awaits_as_before(api, editor, other_editor, make_claim, desk):
    claim, other = make_claim(), make_claim("Trade rose by 12% last year")
    for each in (claim, other):
        resubmitted_as_true(each, other_editor, desk.awaiting_approval(each).reviewer)
    read = submitted_at(api, editor, other)

    answers = [
        api(editor).post(approve_url(claim), {"note": "Checked."}, format="json"),
        api(editor).post(approve_url(other), {"note": "Checked.", "submitted_at": read}, format="json"),
    ]

    assert [answer.status_code for answer in answers] == [200, 200]
    assert FactCheck.objects.filter(claim__in=[claim, other], current_version__rating__slug="true").count() == 2


def test_an_assignment_against_one_replaced_since_is_refused(
    api, editor, other_editor, make_claim, desk, reviewer, other_reviewer
):
    claim = make_claim()
    first = desk.assigned(claim)
    second = other_reviewer if first.reviewer == reviewer else reviewer
    since = assignments.assign_by_hand(claim_id=claim.pk, editor=other_editor, reviewer_id=second.pk)
    profile = first.reviewer.reviewer_profile.pk

    stale = api(editor).post(assign_url(claim), {"reviewer": profile, "based_on_assignment": first.pk}, format="json")
    none_then = api(editor).post(assign_url(claim), {"reviewer": profile, "based_on_assignment": None}, format="json")

    assert stale.status_code == 409, stale.content
    assert stale.json()["detail"].startswith(f"The claim was assigned to {second.get_username()} since you opened")
    assert none_then.status_code == 409, none_then.content
    since.refresh_from_db()
    assert since.state == AssignmentState.OFFERED
    fresh = api(editor).post(assign_url(claim), {"reviewer": profile, "based_on_assignment": since.pk}, format="json")
    assert fresh.status_code == 200, fresh.content
    assert Assignment.objects.active().get(claim=claim).reviewer == first.reviewer
    # Without the field, the assignment active now is released as before.
    again = api(editor).post(assign_url(claim), {"reviewer": second.reviewer_profile.pk}, format="json")
    assert again.status_code == 200, again.content
    assert Assignment.objects.active().get(claim=claim).reviewer == second


def test_the_schema_documents_the_fields_read_before_acting():
    schemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]

    assert "submitted again since" in schemas["ApproveInput"]["properties"]["submitted_at"]["description"]
    assert "reassigned the claim since" in schemas["AssignInput"]["properties"]["based_on_assignment"]["description"]
