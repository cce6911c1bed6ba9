"""The status flow: every legal move through the real services leaves one audit row; illegal moves answer 409."""

from datetime import timedelta

import pytest
from django.db import transaction

from claims import services as claim_services
from claims.models import Claim, ClaimEvent, ClaimStatus
from claims.transitions import ALLOWED, transition_claim
from core.errors import IllegalTransition, InvalidInput
from factcheck.models import FactCheck
from factcheck.record import services as publishing
from reviews.models import Assignment, AssignmentState
from reviews.services import assignments as desk_services
from reviews.services import profiles, sla, verdicts

S = ClaimStatus


def audit(claim):
    return [(e.from_status, e.to_status, e.actor, e.note) for e in ClaimEvent.objects.filter(claim=claim)]


def last_event(claim):
    return audit(claim)[-1]


def status_of(claim):
    return Claim.objects.get(pk=claim.pk).status


# Legal transitions, one by one


def test_it_records_the_submission(journalist, make_claim):
    claim = make_claim()

    assert claim.status == S.SUBMITTED
    assert audit(claim) == [("", S.SUBMITTED, journalist, "")]


def test_it_queues_a_claim_an_editor_accepts_in_triage(editor, make_claim):
    claim = make_claim()

    claim_services.triage_claim(
        claim_id=claim.pk, editor=editor, decision="accept", reason="Checkable figure", priority="high"
    )

    claim.refresh_from_db()
    assert (claim.status, claim.priority) == (S.QUEUED, "high")
    assert last_event(claim) == (S.SUBMITTED, S.QUEUED, editor, "Checkable figure")
    assert len(audit(claim)) == 2


def test_it_rejects_a_claim_with_the_reason_in_the_audit(editor, make_claim):
    claim = make_claim()

    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="reject", reason="An opinion")

    assert status_of(claim) == S.REJECTED
    assert last_event(claim) == (S.SUBMITTED, S.REJECTED, editor, "An opinion")


def test_it_needs_a_reason_to_reject(editor, make_claim):
    claim = make_claim()

    with pytest.raises(InvalidInput) as raised:
        claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="reject", reason="  ")

    assert "reason" in raised.value.errors
    assert status_of(claim) == S.SUBMITTED
    assert len(audit(claim)) == 1


def test_it_routes_a_queued_claim_after_triage_commits(make_claim, reviewer, desk):
    claim = make_claim()

    desk.queue(claim)

    assignment = Assignment.objects.get(claim=claim)
    assert (assignment.reviewer, assignment.state, assignment.assigned_by) == (reviewer, "offered", None)
    assert status_of(claim) == S.ASSIGNED
    assert last_event(claim) == (S.QUEUED, S.ASSIGNED, None, "Offered to rita")


def test_it_does_not_route_before_triage_commits(editor, reviewer, make_claim):
    claim = make_claim()

    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")

    assert status_of(claim) == S.QUEUED
    assert not Assignment.objects.filter(claim=claim).exists()


def test_it_routes_by_calling_the_service_directly(editor, reviewer, make_claim):
    claim = make_claim()
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")

    assignment = desk_services.route_claim(claim_id=claim.pk)

    assert assignment.reviewer == reviewer
    assert status_of(claim) == S.ASSIGNED
    assert last_event(claim) == (S.QUEUED, S.ASSIGNED, None, "Offered to rita")


def test_it_records_the_editor_who_assigns_by_hand(editor, reviewer, make_claim):
    claim = make_claim()
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")

    assignment = desk_services.assign_by_hand(claim_id=claim.pk, editor=editor, reviewer_id=reviewer.pk)

    assert (assignment.reviewer, assignment.assigned_by, assignment.state) == (reviewer, editor, "offered")
    assert status_of(claim) == S.ASSIGNED
    assert last_event(claim) == (S.QUEUED, S.ASSIGNED, editor, "Offered to rita")


def test_it_moves_to_in_review_when_the_reviewer_accepts(make_claim, desk):
    claim = make_claim()
    offer = desk.assigned(claim)

    accepted = desk_services.accept_assignment(assignment_id=offer.pk, reviewer=offer.reviewer)

    assert accepted.state == AssignmentState.ACCEPTED
    assert accepted.accepted_at is not None
    assert status_of(claim) == S.IN_REVIEW
    assert last_event(claim) == (S.ASSIGNED, S.IN_REVIEW, offer.reviewer, "")


def test_it_requeues_a_declined_claim(make_claim, desk):
    claim = make_claim()
    offer = desk.assigned(claim)

    declined = desk_services.decline_assignment(assignment_id=offer.pk, reviewer=offer.reviewer, reason="Conflict")

    assert (declined.state, declined.reason) == (AssignmentState.DECLINED, "Conflict")
    assert status_of(claim) == S.QUEUED
    assert last_event(claim) == (S.ASSIGNED, S.QUEUED, offer.reviewer, "Conflict")


def test_it_notes_a_decline_without_a_reason_as_declined(make_claim, desk):
    claim = make_claim()
    offer = desk.assigned(claim)

    desk_services.decline_assignment(assignment_id=offer.pk, reviewer=offer.reviewer)

    assert last_event(claim) == (S.ASSIGNED, S.QUEUED, offer.reviewer, "Declined")


def test_it_requeues_an_offer_that_expires(make_claim, desk):
    claim = make_claim()
    offer = desk.assigned(claim)

    assert sla.expire_offers(offer.accept_by + timedelta(seconds=1)) == 1

    offer.refresh_from_db()
    assert offer.state == AssignmentState.EXPIRED
    assert status_of(claim) == S.QUEUED
    assert last_event(claim) == (S.ASSIGNED, S.QUEUED, None, "Offer expired")


def test_it_does_not_expire_an_offer_before_its_deadline(make_claim, desk):
    claim = make_claim()
    offer = desk.assigned(claim)

    assert sla.expire_offers(offer.accept_by - timedelta(seconds=1)) == 0

    assert status_of(claim) == S.ASSIGNED


def test_it_requeues_the_offers_of_a_reviewer_an_editor_deactivates(editor, make_claim, desk):
    claim = make_claim()
    offer = desk.assigned(claim)

    profiles.update_profile(profile_id=offer.reviewer.reviewer_profile.pk, actor=editor, active=False)

    offer.refresh_from_db()
    assert offer.state == AssignmentState.RELEASED
    assert status_of(claim) == S.QUEUED
    assert last_event(claim) == (S.ASSIGNED, S.QUEUED, editor, "rita is unavailable")


def test_it_requeues_a_claim_in_review_when_an_editor_reassigns_it(editor, reviewer, other_reviewer, make_claim, desk):
    claim = make_claim()
    first = desk.in_review(claim)
    assert first.reviewer == reviewer

    second = desk_services.assign_by_hand(
        claim_id=claim.pk, editor=editor, reviewer_id=other_reviewer.pk, note="Rita is on leave"
    )

    first.refresh_from_db()
    assert (first.state, first.reason) == (AssignmentState.RELEASED, "Rita is on leave")
    assert second.reviewer == other_reviewer
    assert audit(claim)[-2:] == [
        (S.IN_REVIEW, S.QUEUED, editor, "Rita is on leave"),
        (S.QUEUED, S.ASSIGNED, editor, "Offered to rolf: Rita is on leave"),
    ]


def test_it_awaits_approval_once_the_reviewer_submits(make_claim, desk):
    claim = make_claim()
    assignment = desk.reviewed(claim)

    verdicts.submit_review(claim_id=claim.pk, reviewer=assignment.reviewer)

    assert status_of(claim) == S.AWAITING_APPROVAL
    assert last_event(claim) == (S.IN_REVIEW, S.AWAITING_APPROVAL, assignment.reviewer, "")
    assert claim.review.submitted_at is not None


def test_it_returns_a_review_to_in_review_with_the_editors_comments(editor, make_claim, desk):
    claim = make_claim()
    desk.awaiting_approval(claim)

    verdicts.return_review(claim_id=claim.pk, editor=editor, note="Add the press statement as a source.")

    assert status_of(claim) == S.IN_REVIEW
    assert last_event(claim) == (S.AWAITING_APPROVAL, S.IN_REVIEW, editor, "Add the press statement as a source.")


def test_it_lets_the_reviewer_resubmit_after_a_return(editor, make_claim, desk):
    claim = make_claim()
    assignment = desk.awaiting_approval(claim)
    verdicts.return_review(claim_id=claim.pk, editor=editor, note="Tighten the summary.")

    verdicts.submit_review(claim_id=claim.pk, reviewer=assignment.reviewer)

    assert status_of(claim) == S.AWAITING_APPROVAL
    assert [(f, t) for f, t, _, _ in audit(claim)][-3:] == [
        (S.IN_REVIEW, S.AWAITING_APPROVAL),
        (S.AWAITING_APPROVAL, S.IN_REVIEW),
        (S.IN_REVIEW, S.AWAITING_APPROVAL),
    ]


def test_it_publishes_when_another_editor_approves(other_editor, make_claim, desk):
    claim = make_claim()
    assignment = desk.awaiting_approval(claim)

    fact_check = verdicts.approve_claim(claim_id=claim.pk, editor=other_editor, note="Good work")

    assert status_of(claim) == S.PUBLISHED
    assert last_event(claim) == (S.AWAITING_APPROVAL, S.PUBLISHED, other_editor, "Good work")
    assert fact_check.current_version.number == 1
    assert fact_check.current_version.rating.slug == "false"
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.COMPLETED


def test_it_retracts_a_published_verdict(editor, make_claim, desk):
    claim = make_claim()
    desk.published(claim)

    publishing.retract(claim_id=claim.pk, editor=editor, reason="The schedule we cited was a draft.")

    assert status_of(claim) == S.RETRACTED
    assert last_event(claim) == (S.PUBLISHED, S.RETRACTED, editor, "The schedule we cited was a draft.")
    fact_check = FactCheck.objects.get(claim=claim)
    assert fact_check.retracted_at is not None
    assert fact_check.retraction_reason == "The schedule we cited was a draft."


def test_it_keeps_a_corrected_claim_published_and_adds_version_two(editor, make_claim, desk):
    claim = make_claim()
    desk.published(claim)
    events_before = audit(claim)

    version = publishing.correct(
        claim_id=claim.pk,
        editor=editor,
        note="Fixed the end time of the talks.",
        summary="It was four hours and ten minutes.",
    )

    assert status_of(claim) == S.PUBLISHED
    assert audit(claim) == events_before  # a correction is not a status change
    assert (version.number, version.note) == (2, "Fixed the end time of the talks.")
    fact_check = FactCheck.objects.get(claim=claim)
    assert fact_check.current_version == version
    assert [v.number for v in fact_check.versions.order_by("number")] == [1, 2]
    assert version.summary == "It was four hours and ten minutes."
    assert version.rating.slug == "false"  # unchanged parts carry over


def test_it_keeps_the_whole_history_of_a_claim_in_order(editor, other_editor, reviewer, make_claim, desk):
    claim = make_claim()
    desk.awaiting_approval(claim)
    verdicts.approve_claim(claim_id=claim.pk, editor=other_editor)

    assert [(f, t) for f, t, _, _ in audit(claim)] == [
        ("", S.SUBMITTED),
        (S.SUBMITTED, S.QUEUED),
        (S.QUEUED, S.ASSIGNED),
        (S.ASSIGNED, S.IN_REVIEW),
        (S.IN_REVIEW, S.AWAITING_APPROVAL),
        (S.AWAITING_APPROVAL, S.PUBLISHED),
    ]


def test_it_shows_the_history_in_the_api(api, journalist, editor, make_claim):
    claim = make_claim()
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept", reason="Worth a look")

    history = api(journalist).get(f"/api/v1/claims/{claim.pk}/").json()["history"]

    assert [(h["from"], h["to"], h["actor"], h["note"]) for h in history] == [
        ("", "submitted", "jane", ""),
        ("submitted", "queued", "eddie", "Worth a look"),
    ]


# The table itself


def test_it_refuses_every_move_the_table_does_not_allow(db, make_claim):
    claim = make_claim()
    refused = 0
    for current in S.values:
        for target in S.values:
            if target in ALLOWED[current]:
                continue
            Claim.objects.filter(pk=claim.pk).update(status=current)
            claim.refresh_from_db()
            with transaction.atomic(), pytest.raises(IllegalTransition):
                transition_claim(claim, to=target)
            refused += 1
            assert status_of(claim) == current
    assert refused == len(S.values) ** 2 - sum(len(targets) for targets in ALLOWED.values())
    assert ClaimEvent.objects.filter(claim=claim).count() == 1


def test_it_honours_the_narrower_expected_start(db, make_claim):
    claim = make_claim()
    Claim.objects.filter(pk=claim.pk).update(status=S.IN_REVIEW)
    claim.refresh_from_db()

    # in_review → queued is in the table, but a step that expects `assigned` may not take it.
    with transaction.atomic(), pytest.raises(IllegalTransition):
        transition_claim(claim, to=S.QUEUED, expect=(S.ASSIGNED,))

    assert status_of(claim) == S.IN_REVIEW


def test_it_refuses_to_transition_outside_a_transaction():
    claim = Claim(text="Outside any transaction", language="en", status=S.SUBMITTED)

    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        transition_claim(claim, to=S.QUEUED)

    assert claim.status == S.SUBMITTED


# Illegal transitions over the API: 409 and nothing changes


def assert_conflict(response, claim, status_before):
    assert response.status_code == 409, response.content
    assert "detail" in response.json()
    assert status_of(claim) == status_before


def test_it_answers_409_to_approving_a_submitted_claim(api, editor, make_claim):
    claim = make_claim()

    response = api(editor).post(f"/api/v1/claims/{claim.pk}/approve/", {}, format="json")

    assert_conflict(response, claim, S.SUBMITTED)
    assert not FactCheck.objects.filter(claim=claim).exists()
    assert len(audit(claim)) == 1


def test_it_answers_409_to_triaging_a_queued_claim_again(api, editor, make_claim):
    claim = make_claim()
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")

    response = api(editor).post(
        f"/api/v1/claims/{claim.pk}/triage/", {"decision": "reject", "reason": "Dup"}, format="json"
    )

    assert_conflict(response, claim, S.QUEUED)
    assert len(audit(claim)) == 2


def test_it_answers_409_to_triaging_a_rejected_claim(api, editor, make_claim):
    claim = make_claim()
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="reject", reason="Opinion")

    response = api(editor).post(f"/api/v1/claims/{claim.pk}/triage/", {"decision": "accept"}, format="json")

    assert_conflict(response, claim, S.REJECTED)


def accept_in_triage_again(api, editor, claim):
    return api(editor).post(f"/api/v1/claims/{claim.pk}/triage/", {"decision": "accept"}, format="json")


def test_it_answers_409_to_a_repeated_accept_on_an_assigned_claim_and_keeps_the_offer(api, editor, make_claim, desk):
    claim = make_claim()
    offer = desk.assigned(claim)

    response = accept_in_triage_again(api, editor, claim)

    assert_conflict(response, claim, S.ASSIGNED)
    assert S.ASSIGNED in response.json()["detail"]
    offer.refresh_from_db()
    assert offer.state == AssignmentState.OFFERED
    desk_services.accept_assignment(assignment_id=offer.pk, reviewer=offer.reviewer)
    assert status_of(claim) == S.IN_REVIEW


def test_it_answers_409_to_a_repeated_accept_on_a_claim_in_review_and_keeps_the_work(api, editor, make_claim, desk):
    claim = make_claim()
    assignment = desk.in_review(claim)

    response = accept_in_triage_again(api, editor, claim)

    assert_conflict(response, claim, S.IN_REVIEW)
    assert S.IN_REVIEW in response.json()["detail"]
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACCEPTED


def test_it_answers_409_to_accepting_an_accepted_assignment(api, make_claim, desk):
    claim = make_claim()
    assignment = desk.in_review(claim)

    response = api(assignment.reviewer).post(f"/api/v1/assignments/{assignment.pk}/accept/")

    assert_conflict(response, claim, S.IN_REVIEW)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACCEPTED


def test_it_answers_409_to_declining_an_accepted_assignment(api, make_claim, desk):
    claim = make_claim()
    assignment = desk.in_review(claim)

    response = api(assignment.reviewer).post(
        f"/api/v1/assignments/{assignment.pk}/decline/", {"reason": "Busy"}, format="json"
    )

    assert_conflict(response, claim, S.IN_REVIEW)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACCEPTED


def test_it_answers_409_to_submitting_a_review_twice(api, make_claim, desk):
    claim = make_claim()
    assignment = desk.reviewed(claim)
    client = api(assignment.reviewer)

    first = client.post(f"/api/v1/claims/{claim.pk}/review/submit/")
    second = client.post(f"/api/v1/claims/{claim.pk}/review/submit/")

    assert first.status_code == 200
    assert first.json()["status"] == "awaiting_approval"
    assert_conflict(second, claim, S.AWAITING_APPROVAL)
    assert [t for _, t, _, _ in audit(claim)].count(S.AWAITING_APPROVAL) == 1


def test_it_answers_409_to_retracting_an_unpublished_claim(api, editor, make_claim, desk):
    claim = make_claim()
    desk.awaiting_approval(claim)

    response = api(editor).post(f"/api/v1/claims/{claim.pk}/retract/", {"reason": "Oops"}, format="json")

    assert_conflict(response, claim, S.AWAITING_APPROVAL)


def test_it_answers_409_to_retracting_twice(api, editor, make_claim, desk):
    claim = make_claim()
    desk.published(claim)
    client = api(editor)

    first = client.post(f"/api/v1/claims/{claim.pk}/retract/", {"reason": "Wrong source"}, format="json")
    second = client.post(f"/api/v1/claims/{claim.pk}/retract/", {"reason": "Again"}, format="json")

    assert first.status_code == 200
    assert first.json()["status"] == "retracted"
    assert_conflict(second, claim, S.RETRACTED)


def test_it_answers_409_to_returning_a_claim_that_is_not_awaiting_approval(api, editor, make_claim, desk):
    claim = make_claim()
    desk.in_review(claim)

    response = api(editor).post(f"/api/v1/claims/{claim.pk}/return/", {"note": "Redo"}, format="json")

    assert_conflict(response, claim, S.IN_REVIEW)


def test_it_answers_409_to_correcting_an_unpublished_claim(api, editor, make_claim, desk):
    claim = make_claim()
    desk.awaiting_approval(claim)

    response = api(editor).post(f"/api/v1/claims/{claim.pk}/corrections/", {"note": "Fix"}, format="json")

    assert_conflict(response, claim, S.AWAITING_APPROVAL)


def test_it_answers_409_to_approving_a_published_claim_again(api, editor, other_editor, make_claim, desk):
    claim = make_claim()
    desk.published(claim)

    response = api(other_editor).post(f"/api/v1/claims/{claim.pk}/approve/", {}, format="json")

    assert_conflict(response, claim, S.PUBLISHED)
    assert FactCheck.objects.get(claim=claim).versions.count() == 1
