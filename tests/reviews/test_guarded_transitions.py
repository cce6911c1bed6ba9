"""Every step that moves a claim names the statuses it may start from: anything else is a 409 that says where the
claim is, and changes nothing. A retried step answers 409 after the first 200, or replays it with an Idempotency-Key.
Calls that take no body refuse any key in one."""

import pytest
from django.db import transaction

from claims import services as claim_services
from claims.models import Claim, ClaimEvent, ClaimStatus
from core.errors import IllegalTransition
from reviews.models import AssignmentState
from reviews.services import assignments as desk_services
from reviews.services import verdicts

S = ClaimStatus


def set_status(claim, status: str) -> None:
    Claim.objects.filter(pk=claim.pk).update(status=status)


def status_of(claim) -> str:
    return Claim.objects.values_list("status", flat=True).get(pk=claim.pk)


# Each step an editor takes on a claim, and the statuses it may start from.
EDITOR_STEPS = {
    "triage accept": (
        (S.SUBMITTED,),
        lambda claim, editor, reviewer: claim_services.triage_claim(
            claim_id=claim.pk, editor=editor, decision="accept"
        ),
    ),
    "triage reject": (
        (S.SUBMITTED,),
        lambda claim, editor, reviewer: claim_services.triage_claim(
            claim_id=claim.pk, editor=editor, decision="reject", reason="An opinion."
        ),
    ),
    "edit": (
        (S.SUBMITTED,),
        lambda claim, editor, reviewer: claim_services.edit_claim(claim_id=claim.pk, user=editor, text="New words"),
    ),
    "assign": (
        (S.QUEUED,),
        lambda claim, editor, reviewer: desk_services.assign_by_hand(
            claim_id=claim.pk, editor=editor, reviewer_id=reviewer.pk
        ),
    ),
    "return": (
        (S.AWAITING_APPROVAL,),
        lambda claim, editor, reviewer: verdicts.return_review(claim_id=claim.pk, editor=editor, note="Add a source."),
    ),
    "approve": (
        (S.AWAITING_APPROVAL,),
        lambda claim, editor, reviewer: verdicts.approve_claim(claim_id=claim.pk, editor=editor),
    ),
}
REFUSED = [
    (step, status) for step, (allowed, _) in EDITOR_STEPS.items() for status in S.values if status not in allowed
]


@pytest.mark.parametrize(("step", "status"), REFUSED, ids=[f"{step} from {status}" for step, status in REFUSED])
def test_it_refuses_a_step_from_a_status_it_does_not_start_from_and_names_the_status(
    make_claim, editor, reviewer, step, status
):
    claim = make_claim()
    set_status(claim, status)
    events_before = ClaimEvent.objects.filter(claim=claim).count()

    with transaction.atomic(), pytest.raises(IllegalTransition) as refused:
        EDITOR_STEPS[step][1](claim, editor, reviewer)

    assert status in str(refused.value)
    assert status_of(claim) == status
    assert ClaimEvent.objects.filter(claim=claim).count() == events_before


def test_it_refuses_to_end_an_assignment_that_has_already_ended(make_claim, desk):
    claim = make_claim()
    offer = desk.assigned(claim)
    desk_services.decline_assignment(assignment_id=offer.pk, reviewer=offer.reviewer)
    offer.refresh_from_db()
    set_status(claim, S.ASSIGNED)  # as if the claim had been offered again meanwhile

    with transaction.atomic(), pytest.raises(IllegalTransition, match="declined"):
        desk_services.return_to_queue(offer, state=AssignmentState.RELEASED, note="Reassigned")

    assert status_of(claim) == S.ASSIGNED


def test_it_names_the_status_when_a_claim_is_assigned_again_to_its_reviewer(api, editor, make_claim, desk):
    claim = make_claim()
    offer = desk.assigned(claim)

    response = api(editor).post(
        f"/api/v1/claims/{claim.pk}/assign/", {"reviewer": offer.reviewer.reviewer_profile.pk}, format="json"
    )

    assert response.status_code == 409
    assert S.ASSIGNED in response.json()["detail"]


# Retries over the API: 200 once, then 409; with an Idempotency-Key, the first answer again.


def _triage(api, editor, claim, headers):
    return api(editor).post(
        f"/api/v1/claims/{claim.pk}/triage/", {"decision": "accept"}, format="json", headers=headers
    )


def _return(api, editor, claim, headers):
    return api(editor).post(
        f"/api/v1/claims/{claim.pk}/return/", {"note": "Add a source."}, format="json", headers=headers
    )


def _approve(api, editor, claim, headers):
    return api(editor).post(f"/api/v1/claims/{claim.pk}/approve/", {}, format="json", headers=headers)


def _assign(api, editor, claim, headers, reviewer):
    body = {"reviewer": reviewer.reviewer_profile.pk}
    return api(editor).post(f"/api/v1/claims/{claim.pk}/assign/", body, format="json", headers=headers)


@pytest.fixture
def at_step(make_claim, desk, editor, other_reviewer):
    """A claim ready for a step, and that step as an API call by the editor (or, to approve, another editor)."""

    def ready(step: str):
        claim = make_claim()
        if step == "triage":
            return claim, lambda api, headers: _triage(api, editor, claim, headers)
        if step == "assign":
            claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")  # routing not run
            return claim, lambda api, headers: _assign(api, editor, claim, headers, other_reviewer)
        desk.awaiting_approval(claim)
        call = _return if step == "return" else _approve
        return claim, lambda api, headers: call(api, editor, claim, headers)

    return ready


STEPS = ["triage", "assign", "return", "approve"]


@pytest.mark.parametrize("step", STEPS)
def test_it_answers_409_naming_the_status_to_a_repeated_step(api, at_step, step):
    claim, call = at_step(step)

    first = call(api, {})
    moved_to = status_of(claim)
    events = ClaimEvent.objects.filter(claim=claim).count()
    second = call(api, {})

    assert first.status_code == 200, first.content
    assert second.status_code == 409, second.content
    assert moved_to in second.json()["detail"]
    assert status_of(claim) == moved_to
    assert ClaimEvent.objects.filter(claim=claim).count() == events


@pytest.mark.parametrize("step", STEPS)
def test_it_replays_the_first_answer_to_a_repeated_step_with_the_same_idempotency_key(api, at_step, step):
    claim, call = at_step(step)
    key = {"Idempotency-Key": f"{step}-{claim.pk}"}

    first = call(api, key)
    events = ClaimEvent.objects.filter(claim=claim).count()
    again = call(api, key)

    assert first.status_code == 200, first.content
    assert again.status_code == 200, again.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert ClaimEvent.objects.filter(claim=claim).count() == events


def test_it_replays_a_reviewers_accept_with_the_same_idempotency_key(api, make_claim, desk):
    offer = desk.assigned(make_claim())
    client = api(offer.reviewer)
    url = f"/api/v1/assignments/{offer.pk}/accept/"

    first = client.post(url, {}, format="json", headers={"Idempotency-Key": "accept-1"})
    again = client.post(url, {}, format="json", headers={"Idempotency-Key": "accept-1"})
    unkeyed = client.post(url, {}, format="json")

    assert (first.status_code, again.status_code, unkeyed.status_code) == (200, 200, 409)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


# Strict bodies on the calls that take little or nothing


def test_it_refuses_an_unknown_key_when_accepting_an_offer(api, make_claim, desk):
    claim = make_claim()
    offer = desk.assigned(claim)

    response = api(offer.reviewer).post(
        f"/api/v1/assignments/{offer.pk}/accept/", {"state": "completed"}, format="json"
    )

    assert response.status_code == 400
    assert "state" in response.json()
    assert status_of(claim) == S.ASSIGNED


def test_it_puts_the_reason_for_accepting_into_the_history(api, make_claim, desk):
    claim = make_claim()
    offer = desk.assigned(claim)

    response = api(offer.reviewer).post(
        f"/api/v1/assignments/{offer.pk}/accept/", {"reason": "I covered these talks."}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["claim"]["history"][-1]["note"] == "I covered these talks."


def test_it_refuses_any_key_in_the_body_of_a_review_submission(api, make_claim, desk):
    claim = make_claim()
    assignment = desk.reviewed(claim)

    response = api(assignment.reviewer).post(
        f"/api/v1/claims/{claim.pk}/review/submit/", {"status": "published"}, format="json"
    )

    assert response.status_code == 400
    assert "status" in response.json()
    assert status_of(claim) == S.IN_REVIEW


def test_it_still_takes_a_review_submission_without_a_body(api, make_claim, desk):
    claim = make_claim()
    assignment = desk.reviewed(claim)

    response = api(assignment.reviewer).post(f"/api/v1/claims/{claim.pk}/review/submit/")

    assert response.status_code == 200
    assert response.json()["status"] == S.AWAITING_APPROVAL
