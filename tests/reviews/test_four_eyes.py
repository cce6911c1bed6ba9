"""Four eyes and one active assignment per claim: nobody reviews their own claim or approves their own review."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims import services as claim_services
from claims.models import ClaimStatus
from core.roles import Role
from factcheck.models import FactCheck
from reviews.models import Assignment, AssignmentState
from reviews.services import assignments as desk_services
from reviews.services.members import add_member

PASSWORD = "another-horse-battery"


@pytest.fixture
def journalist_reviewer(db):
    """Someone who both submits claims and reviews them (the most attractive candidate: an expert on economy)."""
    add_member(username="jo", role=Role.JOURNALIST, password=PASSWORD)
    return add_member(username="jo", role=Role.REVIEWER, languages=["en"], topics=["economy"], capacity=5)


@pytest.fixture
def own_claim(journalist_reviewer):
    return claim_services.submit_claim(
        user=journalist_reviewer,
        text="Trade rose by 12% last year.",
        language="en",
        topics=["economy"],
    )


def queue(claim, editor, capture):
    with capture(execute=True):
        claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")
    claim.refresh_from_db()
    return claim


# Routing


def test_it_never_routes_a_claim_to_the_reviewer_who_submitted_it(
    journalist_reviewer, own_claim, editor, other_reviewer, django_capture_on_commit_callbacks
):
    # jo has the lower id and the topic: the policy would pick jo if four eyes did not exclude the submitter.
    assert journalist_reviewer.pk < other_reviewer.pk

    queue(own_claim, editor, django_capture_on_commit_callbacks)

    offer = Assignment.objects.get(claim=own_claim)
    assert offer.reviewer == other_reviewer
    assert own_claim.status == ClaimStatus.ASSIGNED


def test_it_leaves_a_claim_queued_when_its_submitter_is_the_only_reviewer(
    own_claim, editor, django_capture_on_commit_callbacks
):
    queue(own_claim, editor, django_capture_on_commit_callbacks)

    assert own_claim.status == ClaimStatus.QUEUED
    assert not Assignment.objects.filter(claim=own_claim).exists()


def test_it_still_routes_other_claims_to_a_journalist_who_reviews(
    journalist_reviewer, make_claim, editor, django_capture_on_commit_callbacks
):
    claim = make_claim(topics=["economy"])

    queue(claim, editor, django_capture_on_commit_callbacks)

    assert Assignment.objects.get(claim=claim).reviewer == journalist_reviewer


# Assigning by hand


def test_it_answers_403_when_an_editor_assigns_the_submitter_by_hand(
    api, journalist_reviewer, own_claim, editor, django_capture_on_commit_callbacks
):
    queue(own_claim, editor, django_capture_on_commit_callbacks)

    response = api(editor).post(
        f"/api/v1/claims/{own_claim.pk}/assign/", {"reviewer": journalist_reviewer.reviewer_profile.pk}, format="json"
    )

    # Four eyes forbids this person, not this step: 403, as the README documents.
    assert response.status_code == 403, response.content
    assert "submitted" in response.json()["detail"]
    own_claim.refresh_from_db()
    assert own_claim.status == ClaimStatus.QUEUED
    assert not Assignment.objects.filter(claim=own_claim).exists()


def test_it_lets_an_editor_assign_someone_else_by_hand(
    api, own_claim, editor, reviewer, django_capture_on_commit_callbacks
):
    reviewer_profile = reviewer.reviewer_profile
    reviewer_profile.active = False  # keep routing away so the claim waits in the queue
    reviewer_profile.save()
    queue(own_claim, editor, django_capture_on_commit_callbacks)
    assert own_claim.status == ClaimStatus.QUEUED

    response = api(editor).post(
        f"/api/v1/claims/{own_claim.pk}/assign/", {"reviewer": reviewer.reviewer_profile.pk}, format="json"
    )

    assert response.status_code == 200, response.content
    assert (response.json()["reviewer"], response.json()["state"]) == ("rita", "offered")
    own_claim.refresh_from_db()
    assert own_claim.status == ClaimStatus.ASSIGNED


# Approving


def test_it_answers_403_when_the_reviewer_who_is_also_an_editor_approves(api, reviewer, make_claim, desk):
    claim = make_claim()
    assignment = desk.awaiting_approval(claim)
    assert assignment.reviewer == reviewer
    reviewing_editor = add_member(username=reviewer.username, role=Role.EDITOR)

    response = api(reviewing_editor).post(f"/api/v1/claims/{claim.pk}/approve/", {}, format="json")

    assert response.status_code == 403, response.content
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AWAITING_APPROVAL
    assert not FactCheck.objects.filter(claim=claim).exists()


def test_it_lets_a_different_editor_approve(api, reviewer, other_editor, make_claim, desk):
    claim = make_claim()
    desk.awaiting_approval(claim)
    add_member(username=reviewer.username, role=Role.EDITOR)

    response = api(other_editor).post(f"/api/v1/claims/{claim.pk}/approve/", {"note": "Checked"}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["claim"]["status"] == "published"
    assert body["fact_check"]["slug"] == FactCheck.objects.get(claim=claim).slug
    assert body["claim"]["history"][-1]["actor"] == "erin"


# One active assignment per claim


def add_assignment(claim, reviewer, state=AssignmentState.OFFERED):
    now = timezone.now()
    return Assignment.objects.create(claim=claim, reviewer=reviewer, state=state, accept_by=now, due_at=now)


@pytest.mark.parametrize("state", [AssignmentState.OFFERED, AssignmentState.ACCEPTED])
def test_it_refuses_a_second_active_assignment_in_the_database(state, make_claim, desk, other_reviewer):
    claim = make_claim()
    desk.assigned(claim)

    with pytest.raises(IntegrityError), transaction.atomic():
        add_assignment(claim, other_reviewer, state)

    assert Assignment.objects.filter(claim=claim).count() == 1


@pytest.mark.parametrize(
    "state", [AssignmentState.DECLINED, AssignmentState.EXPIRED, AssignmentState.RELEASED, AssignmentState.COMPLETED]
)
def test_it_allows_a_new_offer_next_to_finished_assignments(state, make_claim, desk, other_reviewer):
    claim = make_claim()
    offer = desk.assigned(claim)
    Assignment.objects.filter(pk=offer.pk).update(state=state)

    add_assignment(claim, other_reviewer)

    assert Assignment.objects.filter(claim=claim).active().count() == 1


def test_it_creates_nothing_when_routing_an_assigned_claim_again(make_claim, desk, other_reviewer):
    claim = make_claim()
    offer = desk.assigned(claim)
    events_before = claim.events.count()

    assert desk_services.route_claim(claim_id=claim.pk) is None

    assert list(Assignment.objects.filter(claim=claim)) == [offer]
    assert claim.events.count() == events_before


def test_it_creates_nothing_when_routing_a_claim_in_review_again(make_claim, desk, other_reviewer):
    claim = make_claim()
    desk.in_review(claim)

    assert desk_services.route_claim(claim_id=claim.pk) is None

    assert Assignment.objects.filter(claim=claim).count() == 1


@pytest.mark.parametrize("step", ["assigned", "in_review"])
def test_it_keeps_one_active_assignment_when_an_editor_reassigns_by_hand(
    api, step, editor, make_claim, desk, reviewer, other_reviewer
):
    claim = make_claim()
    first = getattr(desk, step)(claim)

    response = api(editor).post(
        f"/api/v1/claims/{claim.pk}/assign/", {"reviewer": other_reviewer.reviewer_profile.pk}, format="json"
    )

    assert response.status_code == 200, response.content
    assert (response.json()["reviewer"], response.json()["state"]) == ("rolf", "offered")
    first.refresh_from_db()
    assert first.state == AssignmentState.RELEASED
    assert [a.reviewer for a in Assignment.objects.filter(claim=claim).active()] == [other_reviewer]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ASSIGNED


def test_it_answers_409_to_assigning_a_claim_to_the_reviewer_who_has_it(api, editor, make_claim, desk, reviewer):
    claim = make_claim()
    offer = desk.assigned(claim)

    response = api(editor).post(
        f"/api/v1/claims/{claim.pk}/assign/", {"reviewer": reviewer.reviewer_profile.pk}, format="json"
    )

    assert response.status_code == 409, response.content
    assert list(Assignment.objects.filter(claim=claim)) == [offer]
    offer.refresh_from_db()
    assert offer.state == AssignmentState.OFFERED


def test_it_answers_409_to_reassigning_a_claim_awaiting_approval(api, editor, make_claim, desk, other_reviewer):
    claim = make_claim()
    desk.awaiting_approval(claim)

    response = api(editor).post(
        f"/api/v1/claims/{claim.pk}/assign/", {"reviewer": other_reviewer.reviewer_profile.pk}, format="json"
    )

    assert response.status_code == 409, response.content
    assert Assignment.objects.filter(claim=claim).count() == 1


# Declining


def test_it_reroutes_a_declined_claim_to_the_other_reviewer(
    api, make_claim, desk, reviewer, other_reviewer, django_capture_on_commit_callbacks
):
    claim = make_claim()
    first = desk.assigned(claim)
    assert first.reviewer == reviewer

    with django_capture_on_commit_callbacks(execute=True):
        response = api(reviewer).post(f"/api/v1/assignments/{first.pk}/decline/", {"reason": "Conflict"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "declined"
    second = Assignment.objects.get(claim=claim, state=AssignmentState.OFFERED)
    assert second.reviewer == other_reviewer
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ASSIGNED


def test_it_never_routes_a_claim_back_to_its_decliner(
    make_claim, desk, reviewer, other_reviewer, django_capture_on_commit_callbacks
):
    claim = make_claim()
    first = desk.assigned(claim)
    with django_capture_on_commit_callbacks(execute=True):
        desk_services.decline_assignment(assignment_id=first.pk, reviewer=first.reviewer)
    second = Assignment.objects.get(claim=claim, state=AssignmentState.OFFERED)

    # Now rita is idle and rolf is the one just offered: without the exclusion rotation would pick rita again.
    with django_capture_on_commit_callbacks(execute=True):
        desk_services.decline_assignment(assignment_id=second.pk, reviewer=second.reviewer)

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.QUEUED
    assert not Assignment.objects.filter(claim=claim).active().exists()
    assert desk_services.route_claim(claim_id=claim.pk) is None
    assert sorted(a.reviewer.username for a in Assignment.objects.filter(claim=claim)) == ["rita", "rolf"]


def test_it_routes_a_declined_claim_to_a_newcomer_rather_than_the_decliner(
    make_claim, desk, reviewer, django_capture_on_commit_callbacks
):
    claim = make_claim()
    first = desk.assigned(claim)
    with django_capture_on_commit_callbacks(execute=True):
        desk_services.decline_assignment(assignment_id=first.pk, reviewer=first.reviewer)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.QUEUED

    newcomer = add_member(username="nina", role=Role.REVIEWER, languages=["en"])
    assert desk_services.route_waiting_claims() == 1

    assert Assignment.objects.get(claim=claim, state=AssignmentState.OFFERED).reviewer == newcomer


def test_it_refuses_approval_by_an_editor_who_submitted_a_review_they_took_over(
    api, editor, make_claim, desk, reviewer, other_reviewer
):
    claim = make_claim()
    desk.reviewed(claim)  # rita drafts a complete review, then the claim is reassigned before she submits it
    taker = add_member(username=other_reviewer.username, role=Role.EDITOR)
    offer = desk_services.assign_by_hand(claim_id=claim.pk, editor=editor, reviewer_id=taker.pk)
    client = api(taker)
    assert client.post(f"/api/v1/assignments/{offer.pk}/accept/").status_code == 200
    assert client.post(f"/api/v1/claims/{claim.pk}/review/submit/").status_code == 200

    response = client.post(f"/api/v1/claims/{claim.pk}/approve/", {}, format="json")

    assert response.status_code == 403, response.content
    assert not FactCheck.objects.filter(claim=claim).exists()
    assert api(editor).post(f"/api/v1/claims/{claim.pk}/approve/", {}, format="json").status_code == 200


def test_it_refuses_approval_and_correction_by_an_editor_who_drafted_a_review_someone_else_submitted(
    api, editor, make_claim, desk, reviewer, other_reviewer
):
    claim = make_claim()
    desk.reviewed(claim)  # rita, also an editor, drafts every word; the claim is reassigned before she submits
    drafter = add_member(username=reviewer.username, role=Role.EDITOR)
    offer = desk_services.assign_by_hand(claim_id=claim.pk, editor=editor, reviewer_id=other_reviewer.pk)
    taker = api(other_reviewer)
    assert taker.post(f"/api/v1/assignments/{offer.pk}/accept/").status_code == 200
    assert taker.post(f"/api/v1/claims/{claim.pk}/review/submit/").status_code == 200

    refused = api(drafter).post(f"/api/v1/claims/{claim.pk}/approve/", {}, format="json")

    assert refused.status_code == 403, refused.content
    assert not FactCheck.objects.filter(claim=claim).exists()
    assert api(editor).post(f"/api/v1/claims/{claim.pk}/approve/", {}, format="json").status_code == 200
    change = {"note": "Rating revised.", "rating": "true"}
    assert api(drafter).post(f"/api/v1/claims/{claim.pk}/corrections/", change, format="json").status_code == 403
    assert FactCheck.objects.get(claim=claim).versions.count() == 1


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://x.org/a"])
def test_it_refuses_a_source_that_is_not_an_http_link_in_the_service_itself(make_claim, desk, url):
    from core.errors import InvalidInput
    from reviews.services import verdicts

    assignment = desk.in_review(make_claim())

    with pytest.raises(InvalidInput):
        verdicts.save_review(
            claim_id=assignment.claim_id,
            reviewer=assignment.reviewer,
            rating="false",
            summary="s",
            explanation="e",
            sources=[verdicts.SourceInput(url=url, title="t")],
        )
    with pytest.raises(InvalidInput):
        verdicts.SourceInput(url="https://ok.example.org/", title="t", archive_url=url)
