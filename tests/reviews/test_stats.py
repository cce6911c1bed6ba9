"""The editors' overview of the desk (API) and the assignments in the admin, which is the editors' desk only:
reviewers work in the workspace (tests/workspace/test_reviewer.py)."""

from datetime import timedelta

import pytest

from claims import services as claim_services
from claims.models import ClaimStatus
from factcheck.record import services as publishing
from reviews.models import AssignmentState
from reviews.services import assignments as desk_services
from reviews.services import verdicts
from tests.reviews.conftest import T0

STATS_URL = "/api/v1/desk/stats/"
ADMIN_QUEUE_URL = "/admin/reviews/assignment/"


@pytest.fixture
def offer(editor, django_capture_on_commit_callbacks):
    """Queue a claim and have the editor offer it to a given reviewer (routing, enqueued on commit, is not run)."""

    def offered(claim, reviewer, priority=None):
        claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept", priority=priority)
        with django_capture_on_commit_callbacks(execute=True):
            return desk_services.assign_by_hand(claim_id=claim.pk, editor=editor, reviewer_id=reviewer.pk)

    return offered


@pytest.fixture
def finish(editor):
    """The reviewer accepts, writes and submits a verdict on their offer, and an editor publishes it, all now."""

    def finished(assignment):
        desk_services.accept_assignment(assignment_id=assignment.pk, reviewer=assignment.reviewer)
        verdicts.save_review(
            claim_id=assignment.claim_id,
            reviewer=assignment.reviewer,
            rating="false",
            summary="It was four hours.",
            explanation="The official schedule shows otherwise.",
            sources=[verdicts.SourceInput(url="https://gov.example.org/schedule", title="Official schedule")],
        )
        verdicts.submit_review(claim_id=assignment.claim_id, reviewer=assignment.reviewer)
        return verdicts.approve_claim(claim_id=assignment.claim_id, editor=editor)

    return finished


def stats_for(api, user):
    response = api(user).get(STATS_URL)
    assert response.status_code == 200, response.content
    return response.json()


# Claims per status


def test_it_counts_claims_in_every_status(api, desk, editor, make_claim):
    make_claim("Submitted one")
    make_claim("Submitted two")
    claim_services.triage_claim(claim_id=make_claim("Rejected").pk, editor=editor, decision="reject", reason="Opinion")
    desk.queue(make_claim("Queued: nobody reads French", language="fr"))
    desk.published(make_claim("Published"))
    retracted = make_claim("Retracted")
    desk.published(retracted)
    publishing.retract(claim_id=retracted.pk, editor=editor, reason="The source was forged")
    desk.assigned(make_claim("Assigned"))
    desk.in_review(make_claim("In review"))
    desk.awaiting_approval(make_claim("Awaiting approval"))

    counts = stats_for(api, editor)["claims_by_status"]

    assert counts == {
        "submitted": 2,
        "rejected": 1,
        "queued": 1,
        "assigned": 1,
        "in_review": 1,
        "awaiting_approval": 1,
        "published": 1,
        "retracted": 1,
    }


def test_it_counts_zero_for_statuses_no_claim_is_in(api, editor, make_claim):
    make_claim()

    counts = stats_for(api, editor)["claims_by_status"]

    assert counts == {status: int(status == ClaimStatus.SUBMITTED) for status in ClaimStatus.values}


# Overdue work and load


def test_it_lists_overdue_assignments_and_each_reviewers_load(
    clock, api, editor, make_claim, reviewer, other_reviewer, offer
):
    late = offer(make_claim("Trade rose by 12% last year"), reviewer)  # due T0 + 24h
    desk_services.accept_assignment(assignment_id=late.pk, reviewer=reviewer)
    on_time = offer(make_claim("Exports doubled in a year"), reviewer, priority="low")  # due T0 + 72h
    desk_services.accept_assignment(assignment_id=on_time.pk, reviewer=reviewer)
    declined = offer(make_claim("Inflation halved since May"), other_reviewer, priority="high")  # due T0 + 8h
    desk_services.decline_assignment(assignment_id=declined.pk, reviewer=other_reviewer)

    clock.move_to(T0 + timedelta(hours=25))
    stats = stats_for(api, editor)

    assert stats["overdue"] == [
        {
            "id": late.pk,
            "claim": late.claim_id,
            "reviewer": "rita",
            "state": "accepted",
            "due_at": "2026-03-03T09:00:00Z",
            "escalated_at": None,
        }
    ]
    loads = {row["reviewer"]: (row["load"], row["capacity"], row["active"]) for row in stats["reviewers"]}
    assert loads == {"rita": (2, 3, True), "rolf": (0, 3, True)}


# Median time from queue to publication


def test_it_reports_the_median_time_from_queued_to_published(clock, api, editor, make_claim, reviewer, offer, finish):
    # Low priority: the offers may still be accepted six hours later (the accept window is eight hours).
    offers = [offer(make_claim(f"Claim number {n}"), reviewer, priority="low") for n in range(3)]
    offer(make_claim("Still waiting for a verdict"), reviewer)  # not published: not counted

    for hours, assignment in zip([1, 2, 6], offers, strict=True):
        clock.move_to(T0 + timedelta(hours=hours))
        finish(assignment)

    # 1h, 2h and 6h: the median is two hours (the mean would be three).
    assert stats_for(api, editor)["median_seconds_queued_to_published"] == 7200


def test_it_has_no_median_before_anything_is_published(api, desk, editor, make_claim):
    desk.in_review(make_claim())

    assert stats_for(api, editor)["median_seconds_queued_to_published"] is None


def test_it_forgets_publications_older_than_ninety_days_in_the_median(
    clock, api, editor, make_claim, reviewer, offer, finish
):
    assignment = offer(make_claim(), reviewer)
    clock.move_to(T0 + timedelta(hours=1))
    finish(assignment)

    assert stats_for(api, editor)["median_seconds_queued_to_published"] == 3600
    clock.move_to(T0 + timedelta(days=91))
    assert stats_for(api, editor)["median_seconds_queued_to_published"] is None


# Who may see it


def test_it_shows_the_overview_to_editors_only(api, reviewer, journalist):
    assert api(reviewer).get(STATS_URL).status_code == 403
    assert api(journalist).get(STATS_URL).status_code == 403
    assert api().get(STATS_URL).status_code == 401


# The admin queue


def test_it_keeps_reviewers_out_of_the_admin_queue(client, make_claim, reviewer, offer):
    offer(make_claim("Rita's claim"), reviewer)
    client.force_login(reviewer)

    response = client.get(ADMIN_QUEUE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_shows_an_editor_every_assignment_in_the_admin(client, make_claim, editor, reviewer, other_reviewer, offer):
    offer(make_claim("Rita's claim"), reviewer)
    offer(make_claim("Rolf's claim"), other_reviewer)
    client.force_login(editor)

    response = client.get(ADMIN_QUEUE_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Rita&#x27;s claim" in page
    assert "Rolf&#x27;s claim" in page
    assert response.context["cl"].result_count == 2


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_it_offers_an_editor_no_way_to_answer_a_reviewers_offer_in_the_admin(
    client, make_claim, editor, reviewer, offer, action
):
    """Only the reviewer answers an offer, in the workspace; the desk reassigns from the claim's page instead."""
    assignment = offer(make_claim("Rita's claim"), reviewer)
    client.force_login(editor)

    listed = client.get(ADMIN_QUEUE_URL)
    forged = client.post(ADMIN_QUEUE_URL, {"action": action, "_selected_action": [assignment.pk]}, follow=True)

    assert f'value="{action}"' not in listed.content.decode()
    assert forged.status_code == 200
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.OFFERED


def test_it_refuses_a_reviewers_admin_action_and_leaves_the_offer(client, make_claim, reviewer, offer):
    assignment = offer(make_claim("Rita's claim"), reviewer)
    client.force_login(reviewer)

    response = client.post(ADMIN_QUEUE_URL, {"action": "accept", "_selected_action": [assignment.pk]})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.OFFERED
