"""Routing under real concurrency on PostgreSQL: many threads, each with its own connection, no mocks.

The database, not the caller, keeps routing correct: one active assignment per claim, no reviewer over capacity.
"""

from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.db.models import Count, Q

from claims import services as claim_services
from claims.models import Claim, ClaimEvent, ClaimStatus
from core.roles import Role
from reviews.models import ACTIVE_STATES, Assignment, ReviewerProfile
from reviews.services import assignments as desk_services
from reviews.services.members import add_member
from tests.concurrency import run_together

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("routing races need PostgreSQL row locks (SQLite serialises all writers): set DATABASE_URL")


def _queue_claims(journalist, editor, count: int) -> list[int]:
    """Submitted and triaged through the services, in one transaction to keep the setup fast. With no reviewer
    yet, the routing that follows the commit (eager in tests) leaves every claim queued."""
    assert not ReviewerProfile.objects.exists()
    ids = []
    with transaction.atomic():
        for n in range(count):
            claim = claim_services.submit_claim(user=journalist, text=f"Claim number {n} of the race", language="en")
            claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")
            ids.append(claim.pk)
    assert Claim.objects.filter(pk__in=ids, status=ClaimStatus.QUEUED).count() == count
    return ids


def test_twenty_routers_of_one_claim_make_one_offer(journalist, editor):
    [claim_id] = _queue_claims(journalist, editor, 1)
    add_member(username="rita", role=Role.REVIEWER, languages=["en"], capacity=5)
    add_member(username="rolf", role=Role.REVIEWER, languages=["en"], capacity=5)
    results: list[Assignment | None] = []

    def route() -> None:
        results.append(desk_services.route_claim(claim_id=claim_id))

    run_together([route] * 20)

    assert len(results) == 20
    assert sum(result is not None for result in results) == 1
    assert Assignment.objects.filter(claim_id=claim_id, state__in=ACTIVE_STATES).count() == 1
    assert Assignment.objects.filter(claim_id=claim_id).count() == 1
    assert ClaimEvent.objects.filter(claim_id=claim_id, to_status=ClaimStatus.ASSIGNED).count() == 1
    assert Claim.objects.get(pk=claim_id).status == ClaimStatus.ASSIGNED


REVIEWERS, CAPACITY, CLAIMS, THREADS = 10, 20, 500, 8


def test_concurrent_routing_fills_every_slot_and_never_overfills_a_reviewer(journalist, editor):
    claim_ids = _queue_claims(journalist, editor, CLAIMS)
    reviewers = [
        add_member(username=f"reviewer{n}", role=Role.REVIEWER, languages=["en"], capacity=CAPACITY)
        for n in range(REVIEWERS)
    ]
    slots = REVIEWERS * CAPACITY

    def route_slice(ids: list[int]) -> Callable[[], None]:
        def route() -> None:
            for claim_id in ids:
                desk_services.route_claim(claim_id=claim_id)

        return route

    # Interleaved slices: every thread works through the queue from its start to its end, like parallel workers.
    run_together(route_slice(claim_ids[start::THREADS]) for start in range(THREADS))

    loads = dict(
        Assignment.objects.filter(state__in=ACTIVE_STATES).order_by().values_list("reviewer_id").annotate(n=Count("id"))
    )
    assert set(loads) <= {r.pk for r in reviewers}
    assert max(loads.values()) <= CAPACITY, loads
    assert sum(loads.values()) == slots

    claims = Claim.objects.filter(pk__in=claim_ids).annotate(
        active=Count("assignments", filter=Q(assignments__state__in=ACTIVE_STATES), distinct=True),
        offers=Count("events", filter=Q(events__to_status=ClaimStatus.ASSIGNED), distinct=True),
    )
    assigned = claims.filter(status=ClaimStatus.ASSIGNED)
    queued = claims.filter(status=ClaimStatus.QUEUED)
    assert assigned.count() == slots
    assert set(assigned.values_list("active", "offers").distinct()) == {(1, 1)}
    assert queued.count() == CLAIMS - slots
    assert set(queued.values_list("active", "offers").distinct()) == {(0, 0)}
