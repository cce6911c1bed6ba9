"""The desk over the API: decline, deactivation and away dates, manual (re)assignment and the assignment lists."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from claims import services as claim_services
from claims.models import ClaimStatus, Topic
from core.roles import Role
from reviews.models import Assignment, AssignmentState
from reviews.services import assignments as desk_services
from reviews.services import profiles
from reviews.services.members import add_member

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def rita_knows_economy(reviewer, editor):
    """Rita is the economy expert, so routing prefers her over Rolf for claims on economy."""
    Topic.objects.create(slug="economy", name="Economy")
    profiles.update_profile(profile_id=reviewer.reviewer_profile.pk, actor=editor, topics=["economy"])


@pytest.fixture
def economy_claim(make_claim, rita_knows_economy):
    def make(text="Trade rose by 12% last year", **kwargs):
        return make_claim(text, topics=["economy"], **kwargs)

    return make


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the block, then the work it enqueued on commit (routing, emails), as after a real commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def offer(editor, on_commit):
    """Queue a claim and have the editor offer it to a given reviewer (so tests need not rely on routing's choice).

    Routing, enqueued by triage on commit, is not run: the claim waits in the queue until the editor assigns it.
    """

    def offered(claim, reviewer, priority=None) -> Assignment:
        claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept", priority=priority)
        with on_commit():
            return desk_services.assign_by_hand(claim_id=claim.pk, editor=editor, reviewer_id=reviewer.pk)

    return offered


def active_assignment(claim):
    return Assignment.objects.active().filter(claim=claim).first()


def profile_url(user):
    return f"/api/v1/reviewers/{user.reviewer_profile.pk}/"


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# Decline


def test_it_declines_an_offer_and_reroutes_the_claim(api, desk, economy_claim, reviewer, other_reviewer, on_commit):
    claim = economy_claim()
    offer = desk.assigned(claim)
    assert offer.reviewer == reviewer

    with on_commit():
        response = api(reviewer).post(f"/api/v1/assignments/{offer.pk}/decline/", {"reason": "Conflict of interest"})

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "declined"
    assert response.json()["reason"] == "Conflict of interest"
    offer.refresh_from_db()
    assert offer.state == AssignmentState.DECLINED
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ASSIGNED
    assert active_assignment(claim).reviewer == other_reviewer
    assert claim.events.filter(to_status=ClaimStatus.QUEUED, actor=reviewer, note="Conflict of interest").exists()


def test_it_hides_someone_elses_offer_from_a_reviewer_who_tries_to_decline_it(
    api, desk, economy_claim, reviewer, other_reviewer
):
    offer = desk.assigned(economy_claim())

    response = api(other_reviewer).post(f"/api/v1/assignments/{offer.pk}/decline/", {"reason": "Not mine"})

    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.state == AssignmentState.OFFERED


def test_it_refuses_to_decline_an_accepted_assignment(api, desk, economy_claim, reviewer):
    assignment = desk.in_review(economy_claim())

    response = api(reviewer).post(f"/api/v1/assignments/{assignment.pk}/decline/", {})

    assert response.status_code == 409
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACCEPTED


# Deactivation and away dates


def test_it_releases_the_offers_of_a_reviewer_an_editor_deactivates(
    api, desk, economy_claim, reviewer, other_reviewer, editor, on_commit
):
    accepted = desk.in_review(economy_claim("Trade rose by 12% last year"))
    offered = desk.assigned(economy_claim("Exports doubled in a year"))
    assert offered.reviewer == reviewer

    with on_commit():
        response = api(editor).patch(profile_url(reviewer), {"active": False}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["active"] is False
    offered.refresh_from_db()
    assert offered.state == AssignmentState.RELEASED
    assert active_assignment(offered.claim).reviewer == other_reviewer
    assert offered.claim.events.filter(note="rita is unavailable", to_status=ClaimStatus.QUEUED).exists()
    # Accepted work stays: the editors decide about it (escalation tells them when it is overdue).
    accepted.refresh_from_db()
    assert accepted.state == AssignmentState.ACCEPTED
    assert accepted.claim.status == ClaimStatus.IN_REVIEW


def test_it_releases_the_offers_of_a_reviewer_who_goes_away(api, desk, make_claim, reviewer, on_commit):
    offered = desk.assigned(make_claim())
    tomorrow = timezone.localdate() + timedelta(days=1)

    with on_commit():
        response = api(reviewer).patch(profile_url(reviewer), {"away_until": tomorrow.isoformat()}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["away_until"] == tomorrow.isoformat()
    offered.refresh_from_db()
    assert offered.state == AssignmentState.RELEASED
    offered.claim.refresh_from_db()
    # Nobody else speaks English on this desk: the claim waits in the queue.
    assert offered.claim.status == ClaimStatus.QUEUED
    assert active_assignment(offered.claim) is None


def test_it_keeps_the_offers_of_a_reviewer_back_today(api, desk, make_claim, reviewer):
    offered = desk.assigned(make_claim())

    response = api(reviewer).patch(
        profile_url(reviewer), {"away_until": timezone.localdate().isoformat()}, format="json"
    )

    assert response.status_code == 200, response.content
    offered.refresh_from_db()
    assert offered.state == AssignmentState.OFFERED


def test_it_lets_a_reviewer_change_their_own_languages(api, reviewer):
    response = api(reviewer).patch(profile_url(reviewer), {"languages": ["en", "fr"]}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["languages"] == ["en", "fr"]
    reviewer.reviewer_profile.refresh_from_db()
    assert reviewer.reviewer_profile.languages == ["en", "fr"]


@pytest.mark.parametrize("change", [{"capacity": 10}, {"active": False}])
def test_it_forbids_a_reviewer_to_change_their_own_capacity_or_activity(api, reviewer, change):
    response = api(reviewer).patch(profile_url(reviewer), change, format="json")

    assert response.status_code == 403
    reviewer.reviewer_profile.refresh_from_db()
    assert (reviewer.reviewer_profile.capacity, reviewer.reviewer_profile.active) == (3, True)


def test_it_hides_another_reviewers_profile_from_a_reviewer(api, reviewer, other_reviewer):
    response = api(reviewer).patch(profile_url(other_reviewer), {"languages": ["de"]}, format="json")

    assert response.status_code == 404
    other_reviewer.reviewer_profile.refresh_from_db()
    assert other_reviewer.reviewer_profile.languages == ["en"]


def test_it_lets_an_editor_change_a_reviewers_capacity(api, editor, reviewer):
    response = api(editor).patch(profile_url(reviewer), {"capacity": 10}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["capacity"] == 10


def test_it_rejects_an_unknown_language(api, reviewer):
    response = api(reviewer).patch(profile_url(reviewer), {"languages": ["en", "xx"]}, format="json")

    assert response.status_code == 400
    assert "languages" in response.json()
    reviewer.reviewer_profile.refresh_from_db()
    assert reviewer.reviewer_profile.languages == ["en", "de"]


# Assignment by hand


def assign(api, editor, claim, reviewer_id, on_commit):
    """`reviewer_id` as the API names reviewers: the id of their profile in `GET reviewers/`."""
    with on_commit():
        return api(editor).post(f"/api/v1/claims/{claim.pk}/assign/", {"reviewer": reviewer_id}, format="json")


def test_it_lets_an_editor_offer_a_queued_claim_to_a_reviewer_routing_would_not_choose(
    api, editor, economy_claim, other_reviewer, on_commit
):
    claim = economy_claim()
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")  # routing not run yet

    response = assign(api, editor, claim, other_reviewer.reviewer_profile.pk, on_commit)

    assert response.status_code == 200, response.content
    assert (response.json()["reviewer"], response.json()["state"]) == ("rolf", "offered")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ASSIGNED
    assignment = active_assignment(claim)
    assert (assignment.reviewer, assignment.assigned_by) == (other_reviewer, editor)


@pytest.mark.parametrize("stage", ["assigned", "in_review"])
def test_it_reassigns_a_claim_that_is_with_another_reviewer(
    api, desk, editor, economy_claim, reviewer, other_reviewer, on_commit, stage
):
    claim = economy_claim()
    old = getattr(desk, stage)(claim)
    assert old.reviewer == reviewer

    response = assign(api, editor, claim, other_reviewer.reviewer_profile.pk, on_commit)

    assert response.status_code == 200, response.content
    assert (response.json()["reviewer"], response.json()["state"]) == ("rolf", "offered")
    old.refresh_from_db()
    assert old.state == AssignmentState.RELEASED
    assert old.reason == "Reassigned by eddie"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ASSIGNED
    assert list(claim.assignments.active().values_list("reviewer__username", flat=True)) == ["rolf"]


def test_it_refuses_to_reassign_a_claim_to_the_reviewer_who_has_it(
    api, desk, editor, economy_claim, reviewer, on_commit
):
    offer = desk.assigned(economy_claim())

    response = assign(api, editor, offer.claim, reviewer.reviewer_profile.pk, on_commit)

    assert response.status_code == 409
    offer.refresh_from_db()
    assert offer.state == AssignmentState.OFFERED


def test_it_refuses_to_assign_a_claim_to_its_submitter(api, editor, on_commit):
    jo = add_member(username="jo", role=Role.JOURNALIST)
    add_member(username="jo", role=Role.REVIEWER, languages=["en"])
    claim = claim_services.submit_claim(user=jo, text="Trade rose by 12% last year", language="en")
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")  # routing not run yet

    response = assign(api, editor, claim, jo.reviewer_profile.pk, on_commit)

    assert response.status_code == 403  # four eyes: the README documents 403
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.QUEUED
    assert not claim.assignments.exists()


def test_it_refuses_manual_assignment_to_journalists(
    api, editor, journalist, other_journalist, make_claim, reviewer, on_commit
):
    claim = make_claim()
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")  # routing not run yet

    assert assign(api, journalist, claim, reviewer.reviewer_profile.pk, on_commit).status_code == 403  # their own claim
    assert (
        assign(api, other_journalist, claim, reviewer.reviewer_profile.pk, on_commit).status_code == 404
    )  # a claim they can't see
    assert not claim.assignments.exists()


@pytest.mark.parametrize("who", ["nobody", "deactivated"])
def test_it_rejects_assignment_to_someone_who_is_not_a_reviewer(
    api, editor, other_reviewer, make_claim, on_commit, who
):
    """Journalists and editors have no reviewer id at all: `reviewer` names a profile of `GET reviewers/`."""
    claim = make_claim()
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")  # routing not run yet
    other_reviewer.is_active = False
    other_reviewer.save()
    reviewer_id = {"nobody": 999_999, "deactivated": other_reviewer.reviewer_profile.pk}[who]

    response = assign(api, editor, claim, reviewer_id, on_commit)

    assert response.status_code == 400
    assert "reviewer" in response.json()
    assert not claim.assignments.exists()


# Lists


def test_it_lists_a_reviewers_own_queue_soonest_due_first(
    time_machine, api, make_claim, editor, reviewer, other_reviewer, offer
):
    time_machine.move_to(T0, tick=False)
    low = offer(make_claim("Low: trade rose"), reviewer, priority="low")  # due T0 + 72h
    time_machine.move_to(T0 + timedelta(minutes=1))
    normal = offer(make_claim("Normal: inflation halved"), reviewer)  # due T0 + 24h
    time_machine.move_to(T0 + timedelta(minutes=2))
    high = offer(make_claim("High: the dam will burst"), reviewer, priority="high")  # due T0 + 8h
    offer(make_claim("Rolf's: exports doubled"), other_reviewer, priority="high")

    response = api(reviewer).get("/api/v1/assignments/?mine=true")

    assert ids(response) == [high.pk, normal.pk, low.pk]
    rows = response.json()["results"]
    assert {row["reviewer"] for row in rows} == {"rita"}
    assert rows[0]["claim"]["text"] == "High: the dam will burst"
    assert [row["due_at"] for row in rows] == sorted(row["due_at"] for row in rows)
    # Editors see everyone's assignments, but "mine" means their own: they have none.
    assert len(ids(api(editor).get("/api/v1/assignments/"))) == 4
    assert ids(api(editor).get("/api/v1/assignments/?mine=true")) == []


def test_it_lets_editors_filter_all_assignments(
    time_machine, api, make_claim, editor, reviewer, other_reviewer, offer, on_commit
):
    time_machine.move_to(T0, tick=False)
    accepted = offer(make_claim("Trade rose by 12% last year"), reviewer, priority="high")  # due T0 + 8h
    desk_services.accept_assignment(assignment_id=accepted.pk, reviewer=reviewer)
    rolfs = offer(make_claim("Exports doubled in a year"), other_reviewer)  # due T0 + 24h
    declined = offer(make_claim("Inflation halved since May"), reviewer)
    with on_commit():
        desk_services.decline_assignment(assignment_id=declined.pk, reviewer=reviewer, reason="Busy")
    rerouted = active_assignment(declined.claim)
    assert rerouted.reviewer == other_reviewer
    editors = api(editor)

    assert set(ids(editors.get("/api/v1/assignments/"))) == {accepted.pk, rolfs.pk, declined.pk, rerouted.pk}
    assert ids(editors.get("/api/v1/assignments/?state=accepted")) == [accepted.pk]
    assert ids(editors.get("/api/v1/assignments/?state=declined")) == [declined.pk]
    assert set(ids(editors.get("/api/v1/assignments/?reviewer=rolf"))) == {rolfs.pk, rerouted.pk}
    assert set(ids(editors.get(f"/api/v1/assignments/?claim={declined.claim_id}"))) == {declined.pk, rerouted.pk}
    assert ids(editors.get("/api/v1/assignments/?overdue=true")) == []

    time_machine.move_to(T0 + timedelta(hours=8, minutes=1))

    assert ids(editors.get("/api/v1/assignments/?overdue=true")) == [accepted.pk]
    assert accepted.pk not in ids(editors.get("/api/v1/assignments/?overdue=false"))
    assert ids(editors.get("/api/v1/assignments/?overdue=true&reviewer=rolf")) == []
    # A reviewer's list stays their own whatever they filter by.
    assert ids(api(reviewer).get("/api/v1/assignments/?reviewer=rolf")) == []
    assert set(ids(api(reviewer).get("/api/v1/assignments/"))) == {accepted.pk, declined.pk}


def test_it_forbids_an_editor_to_answer_a_reviewers_offer(api, desk, make_claim, editor, reviewer):
    offer = desk.assigned(make_claim())

    assert api(editor).post(f"/api/v1/assignments/{offer.pk}/decline/", {}).status_code == 403
    assert api(editor).post(f"/api/v1/assignments/{offer.pk}/accept/", {}).status_code == 403
    offer.refresh_from_db()
    assert offer.state == AssignmentState.OFFERED
