"""Service levels on a controllable clock: offer expiry, escalation, unroutable alerts and the sweep's idempotence."""

from datetime import timedelta

import pytest
from django.core import mail

from claims import services as claim_services
from claims.models import Claim, ClaimEvent, ClaimStatus
from reviews.models import Assignment, AssignmentState, UnroutableAlert
from reviews.services import assignments as desk_services
from reviews.services import profiles, sla
from reviews.services.sla import SweepReport
from tests.reviews.conftest import T0


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the periodic sweep at the clock's current time, with the work it enqueues (routing, emails)."""

    def run() -> SweepReport:
        with django_capture_on_commit_callbacks(execute=True):
            return sla.sweep()

    return run


def active_assignment(claim):
    return Assignment.objects.active().filter(claim=claim).first()


def snapshot():
    """Everything a sweep may write: assignments and their states, audit rows, alerts and emails."""
    return (
        list(Assignment.objects.order_by("pk").values_list("pk", "state", "reviewer_id", "escalated_at")),
        ClaimEvent.objects.count(),
        UnroutableAlert.objects.count(),
        len(mail.outbox),
    )


# Deadlines


@pytest.mark.parametrize(
    ("priority", "accept_hours", "verdict_hours"),
    [("high", 1, 8), ("normal", 2, 24), ("low", 8, 72)],
)
def test_it_sets_offer_deadlines_from_the_claims_priority(
    clock, queue, make_claim, reviewer, priority, accept_hours, verdict_hours
):
    claim = queue(make_claim(), priority=priority)

    offer = active_assignment(claim)
    assert offer.reviewer == reviewer
    assert offer.offered_at == T0
    assert offer.accept_by == T0 + timedelta(hours=accept_hours)
    assert offer.due_at == T0 + timedelta(hours=verdict_hours)


# Expiry


def test_it_expires_an_unaccepted_offer_and_offers_the_claim_to_someone_else(
    clock, queue, sweep, make_claim, reviewer, other_reviewer
):
    claim = queue(make_claim())
    first = active_assignment(claim)
    let_it_expire, someone_else = first.reviewer, ({reviewer, other_reviewer} - {first.reviewer}).pop()

    clock.move_to(first.accept_by - timedelta(seconds=1))
    assert sweep().expired == 0
    first.refresh_from_db()
    assert first.state == AssignmentState.OFFERED

    clock.move_to(first.accept_by)
    report = sweep()

    assert report.expired == 1
    first.refresh_from_db()
    assert first.state == AssignmentState.EXPIRED
    assert first.finished_at == first.accept_by
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ASSIGNED
    assert active_assignment(claim).reviewer == someone_else
    expiry = claim.events.get(note="Offer expired")
    assert (expiry.from_status, expiry.to_status, expiry.actor) == (ClaimStatus.ASSIGNED, ClaimStatus.QUEUED, None)
    assert list(claim.events.order_by("at", "id").values_list("to_status", flat=True)) == [
        "submitted",
        "queued",
        "assigned",
        "queued",
        "assigned",
    ]

    # The one who let it expire is never asked again, even when nobody else will take it and they have room.
    second = active_assignment(claim)
    desk_services.decline_assignment(assignment_id=second.pk, reviewer=someone_else, reason="Busy")
    clock.move_to(first.accept_by + timedelta(minutes=5))
    sweep()

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.QUEUED
    assert active_assignment(claim) is None
    assert not Assignment.objects.filter(claim=claim, reviewer=let_it_expire).exclude(pk=first.pk).exists()


def test_it_leaves_an_offer_accepted_just_before_its_deadline(clock, queue, sweep, make_claim, reviewer):
    claim = queue(make_claim())
    offer = active_assignment(claim)

    clock.move_to(offer.accept_by - timedelta(seconds=1))
    desk_services.accept_assignment(assignment_id=offer.pk, reviewer=reviewer)
    clock.move_to(offer.accept_by + timedelta(minutes=1))
    report = sweep()

    assert report.expired == 0
    offer.refresh_from_db()
    assert offer.state == AssignmentState.ACCEPTED
    assert offer.finished_at is None
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW
    assert not claim.events.filter(note="Offer expired").exists()


# Escalation


def test_it_escalates_an_overdue_review_once_and_leaves_it_with_the_reviewer(
    clock, queue, sweep, make_claim, reviewer, editors_with_email
):
    claim = queue(make_claim())
    assignment = desk_services.accept_assignment(assignment_id=active_assignment(claim).pk, reviewer=reviewer)
    assert assignment.due_at == T0 + timedelta(hours=24)

    clock.move_to(assignment.due_at - timedelta(seconds=1))
    assert sweep().escalated == 0
    assert mail.outbox == []

    clock.move_to(assignment.due_at)
    assert sweep().escalated == 1
    clock.move_to(assignment.due_at + timedelta(hours=1))
    assert sweep().escalated == 0

    assignment.refresh_from_db()
    assert assignment.escalated_at == assignment.due_at
    assert assignment.state == AssignmentState.ACCEPTED
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == editors_with_email
    assert mail.outbox[0].subject.startswith("Overdue review:")


# Claims nobody can take


def test_it_alerts_editors_once_when_no_reviewer_can_take_a_claim_for_an_hour(
    clock, queue, sweep, make_claim, reviewer, other_reviewer, editors_with_email
):
    claim = queue(make_claim(language="fr"))
    assert claim.status == ClaimStatus.QUEUED

    clock.move_to(T0 + timedelta(minutes=59, seconds=59))
    assert sweep().alerted == 0
    assert mail.outbox == []

    clock.move_to(T0 + timedelta(minutes=60))
    assert sweep().alerted == 1
    clock.move_to(T0 + timedelta(hours=5))
    assert sweep().alerted == 0

    assert UnroutableAlert.objects.filter(claim=claim).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == editors_with_email
    assert mail.outbox[0].subject.startswith("No reviewer available for:")


# Idempotence


def test_it_changes_nothing_when_the_sweep_runs_twice_at_the_same_instant(
    clock, queue, sweep, make_claim, reviewer, other_reviewer, editors_with_email
):
    overdue = queue(make_claim("Unemployment fell to 3%"))
    accepted = active_assignment(overdue)
    desk_services.accept_assignment(assignment_id=accepted.pk, reviewer=accepted.reviewer)
    expiring = queue(make_claim("Exports doubled in a year"), priority="high")
    unaccepted = active_assignment(expiring)
    unroutable = queue(make_claim("Le chômage a baissé", language="fr"))

    clock.move_to(T0 + timedelta(hours=25))
    first = sweep()

    assert (first.expired, first.escalated, first.alerted) == (1, 1, 1)
    unaccepted.refresh_from_db()
    assert unaccepted.state == AssignmentState.EXPIRED
    assert active_assignment(expiring).reviewer != unaccepted.reviewer
    assert unroutable.status == ClaimStatus.QUEUED
    before = snapshot()

    second = sweep()

    assert second == SweepReport(expired=0, escalated=0, routed=0, alerted=0)
    assert snapshot() == before


# Queue order


def test_it_gives_freed_capacity_to_a_high_priority_claim_before_an_older_normal_one(
    clock, queue, sweep, make_claim, reviewer, editor
):
    profiles.update_profile(profile_id=reviewer.reviewer_profile.pk, actor=editor, capacity=1)
    filler = queue(make_claim("Trade rose by 12% last year"))
    clock.move_to(T0 + timedelta(minutes=1))
    older_normal = queue(make_claim("Inflation halved since May"))
    clock.move_to(T0 + timedelta(minutes=2))
    newer_high = queue(make_claim("The dam will burst tonight"), priority="high")
    assert (older_normal.status, newer_high.status) == (ClaimStatus.QUEUED, ClaimStatus.QUEUED)

    clock.move_to(T0 + timedelta(minutes=3))
    desk_services.decline_assignment(assignment_id=active_assignment(filler).pk, reviewer=reviewer)
    report = sweep()

    assert report.routed == 1
    assert active_assignment(newer_high).reviewer == reviewer
    older_normal.refresh_from_db()
    assert older_normal.status == ClaimStatus.QUEUED
    assert active_assignment(older_normal) is None


def test_it_refuses_to_accept_an_offer_after_its_deadline_even_before_the_sweep(api, make_claim, desk, time_machine):
    time_machine.move_to(T0, tick=False)
    assignment = desk.assigned(make_claim())
    time_machine.move_to(assignment.accept_by, tick=False)

    answer = api(assignment.reviewer).post(f"/api/v1/assignments/{assignment.pk}/accept/")

    assert answer.status_code == 409
    assignment.refresh_from_db()
    assert assignment.state == "offered"  # the sweep expires it and reroutes the claim


def test_it_shows_the_reviewer_until_when_an_offer_can_be_accepted(api, make_claim, desk, time_machine):
    time_machine.move_to(T0, tick=False)
    assignment = desk.assigned(make_claim())

    listed = api(assignment.reviewer).get("/api/v1/assignments/", {"mine": "true", "state": "offered"}).json()

    [offer] = listed["results"]
    assert offer["accept_by"] == assignment.accept_by.isoformat().replace("+00:00", "Z")


def test_it_routes_claims_behind_a_backlog_nobody_can_take(make_claim, editor, reviewer):
    # French claims no reviewer speaks wait at the head of the queue; an English one behind them is still routed.
    stuck = [make_claim(f"Affirmation {n}", language="fr") for n in range(3)]
    english = make_claim("The talks lasted more than five hours")
    for claim in [*stuck, english]:
        claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")  # routing not run

    report = sla.sweep()

    assert report.routed == 1
    assert Claim.objects.get(pk=english.pk).status == "assigned"
    assert set(Claim.objects.filter(pk__in=[c.pk for c in stuck]).values_list("status", flat=True)) == {"queued"}
