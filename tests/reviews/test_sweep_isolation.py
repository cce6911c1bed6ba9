"""The queue sweep handles each row on its own: a row that raises is logged, counted and skipped, the rest of the
desk is still expired, escalated, routed and alerted, and editors see the stuck row in the desk stats."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from claims import services as claim_services
from claims.models import Claim, ClaimStatus
from core.errors import IllegalTransition
from core.roles import Role
from reviews import selectors
from reviews.models import Assignment, AssignmentState, SweepFailure
from reviews.services import assignments as desk_services
from reviews.services import sla
from reviews.services.members import add_member
from reviews.services.sla import SweepReport

STATS_URL = "/api/v1/desk/stats/"


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run() -> SweepReport:
        with django_capture_on_commit_callbacks(execute=True):
            return sla.sweep()

    return run


def offer_to(claim, reviewer, editor, django_capture_on_commit_callbacks) -> Assignment:
    with django_capture_on_commit_callbacks(execute=True):
        return desk_services.assign_by_hand(claim_id=claim.pk, editor=editor, reviewer_id=reviewer.pk)


@pytest.fixture
def two_expired_offers(
    clock, make_claim, editor, reviewer, other_reviewer, monkeypatch, django_capture_on_commit_callbacks
):
    """Two offers to rita, both past their accept-by time; ending the first one raises (any bug, any bad row)."""
    claims = [make_claim(text=f"Claim {n} of the sweep") for n in range(2)]
    for claim in claims:
        # Queued with routing held back, so the editor's hand assignment decides who gets each claim.
        claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")
    offers = [offer_to(claim, reviewer, editor, django_capture_on_commit_callbacks) for claim in claims]
    real_return_to_queue = sla.return_to_queue

    def return_to_queue(assignment, **kwargs):
        if assignment.pk == offers[0].pk:
            raise IllegalTransition(f"assignment {assignment.pk} is poisoned")
        return real_return_to_queue(assignment, **kwargs)

    monkeypatch.setattr(sla, "return_to_queue", return_to_queue)
    clock.shift(timedelta(days=1))
    return claims, offers


def test_it_still_expires_and_reroutes_the_other_offers_when_one_row_raises(two_expired_offers, sweep, other_reviewer):
    (_, healthy), (poisoned_offer, healthy_offer) = two_expired_offers

    report = sweep()

    healthy_offer.refresh_from_db()
    assert healthy_offer.state == AssignmentState.EXPIRED
    rerouted = Assignment.objects.active().get(claim=healthy)
    assert rerouted.reviewer == other_reviewer
    assert Claim.objects.get(pk=healthy.pk).status == ClaimStatus.ASSIGNED
    assert report.expired == 1
    assert report.failed == 1
    poisoned_offer.refresh_from_db()
    assert poisoned_offer.state == AssignmentState.OFFERED  # skipped, not half-changed


def test_it_logs_the_failing_row_with_its_id(two_expired_offers, sweep, caplog):
    _, (poisoned_offer, _) = two_expired_offers

    with caplog.at_level(logging.ERROR, logger="reviews.services.sla"):
        sweep()

    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert f"expire of row {poisoned_offer.pk} " in record.getMessage()
    assert record.exc_info is not None


def test_it_shows_editors_the_stuck_row_in_the_desk_stats(two_expired_offers, sweep, api, editor):
    (poisoned, _), (poisoned_offer, _) = two_expired_offers

    sweep()
    stats = api(editor).get(STATS_URL)

    assert stats.status_code == 200
    [stuck] = stats.json()["stuck"]
    assert (stuck["step"], stuck["row"], stuck["claim"]) == ("expire", poisoned_offer.pk, poisoned.pk)
    assert stuck["error"] == f"IllegalTransition: assignment {poisoned_offer.pk} is poisoned"


@pytest.mark.usefixtures("two_expired_offers")
def test_it_forgets_a_stuck_row_once_a_sweep_gets_through(sweep, monkeypatch):
    sweep()
    monkeypatch.undo()  # someone repairs the row

    report = sweep()

    assert (report.expired, report.failed) == (1, 0)
    assert selectors.desk_stats(timezone.now())["stuck"] == []
    assert not SweepFailure.objects.exists()


def test_it_routes_the_other_waiting_claims_when_routing_one_raises(
    make_claim, editor, sweep, monkeypatch, django_capture_on_commit_callbacks
):
    claims = [make_claim(text=f"Waiting claim {n}") for n in range(3)]
    for claim in claims:
        claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")  # nobody to route to yet
    add_member(username="rosa", role=Role.REVIEWER, languages=["en"], capacity=5)
    poisoned = claims[1]
    real_claim_facts = selectors.claim_facts

    def claim_facts(claim):
        if claim.pk == poisoned.pk:
            raise RuntimeError("a row the routing cannot read")
        return real_claim_facts(claim)

    monkeypatch.setattr(selectors, "claim_facts", claim_facts)

    report = sweep()

    assert report.routed == 2
    assert report.failed == 1
    statuses = dict(Claim.objects.filter(pk__in=[c.pk for c in claims]).values_list("pk", "status"))
    assert statuses == {
        claims[0].pk: ClaimStatus.ASSIGNED,
        poisoned.pk: ClaimStatus.QUEUED,
        claims[2].pk: ClaimStatus.ASSIGNED,
    }
    [stuck] = SweepFailure.objects.all()
    assert (stuck.step, stuck.row_id, stuck.claim_id) == ("route", poisoned.pk, poisoned.pk)
