"""A worker killed with SIGKILL mid-batch, and the broker restarted, lose no claim and assign none twice.

Messages in flight may vanish (Redis keeps nothing on disk here) or come back late; the database and the
periodic sweep, not the broker, guarantee that every queued claim is eventually routed exactly once.
"""

import signal
import time

import pytest
from django.db.models import Count, Q

from claims import services as claim_services
from claims.models import Claim, ClaimEvent, ClaimStatus
from core.roles import Role
from reviews.models import ACTIVE_STATES, Assignment
from reviews.selectors import queue_reason
from reviews.services.members import add_member
from tests.integration.conftest import restart_redis, start_beat, start_worker

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REVIEWERS, CAPACITY, CLAIMS = 10, 40, 800  # 400 slots for 800 claims: 200 must stay queued, for a stated reason


def _queue_claims(journalist, editor) -> list[int]:
    ids = []
    for n in range(CLAIMS):
        claim = claim_services.submit_claim(user=journalist, text=f"Claim number {n} in the batch", language="en")
        claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")
        ids.append(claim.pk)
    return ids


def _wait(predicate, timeout_s: float, poll_s: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(poll_s)
    return False


def _assert_exactly_once(claim_ids: list[int]) -> None:
    claims = Claim.objects.filter(pk__in=claim_ids).annotate(
        active=Count("assignments", filter=Q(assignments__state__in=ACTIVE_STATES)),
        offers=Count("assignments", distinct=True),
    )
    by_status: dict[str, int] = {}
    for claim in claims:
        by_status[claim.status] = by_status.get(claim.status, 0) + 1
        expected_active = 1 if claim.status == ClaimStatus.ASSIGNED else 0
        assert claim.active == expected_active, f"claim {claim.pk} is {claim.status} with {claim.active} active"
        assigned_events = ClaimEvent.objects.filter(claim=claim, to_status=ClaimStatus.ASSIGNED).count()
        assert assigned_events == claim.offers, f"claim {claim.pk}: audit rows disagree with assignments"
    assert by_status == {ClaimStatus.ASSIGNED: REVIEWERS * CAPACITY, ClaimStatus.QUEUED: CLAIMS - REVIEWERS * CAPACITY}
    loads = Assignment.objects.active().values("reviewer").annotate(n=Count("id")).values_list("n", flat=True)
    assert max(loads) <= CAPACITY
    for claim in Claim.objects.filter(pk__in=claim_ids, status=ClaimStatus.QUEUED)[:20]:
        assert queue_reason(claim) == "all eligible reviewers are at capacity"


@pytest.mark.parametrize("restart_broker", [False, True], ids=["worker-killed", "worker-killed-and-redis-restarted"])
def test_it_loses_no_claim_and_assigns_none_twice_when_the_worker_dies(
    real_broker, tmp_path, journalist, editor, restart_broker
):
    if restart_broker and not real_broker.conf.broker_url.startswith("redis"):
        pytest.skip("the broker restart is exercised on Redis")
    for n in range(REVIEWERS):
        add_member(username=f"reviewer{n}", role=Role.REVIEWER, languages=["en"], capacity=CAPACITY)
    claim_ids = _queue_claims(journalist, editor)  # routing tasks wait in the broker: no worker yet

    worker = start_worker(tmp_path / "worker-1.log", wait_ready=False)
    assert _wait(lambda: Assignment.objects.count() >= 20, timeout_s=60, poll_s=0.01), worker.log()[-3000:]
    worker.stop(signal.SIGKILL)
    killed_at = Assignment.objects.count()
    assert killed_at < REVIEWERS * CAPACITY, "the batch finished before the kill; the test proved nothing"

    if restart_broker:
        restart_redis()
    # A new worker, and celery beat sending the queue sweep every second instead of every minute.
    second = start_worker(tmp_path / "worker-2.log")
    beat = start_beat(tmp_path / "beat.log", sweep_seconds=1)
    try:
        settled = _wait(lambda: Assignment.objects.active().count() >= REVIEWERS * CAPACITY, 120, 0.2)
        assert settled, f"the sweep did not route what the crash left queued:\n{second.log()[-3000:]}"
        time.sleep(2)  # let redelivered and swept tasks that are still running finish
    finally:
        beat.stop()
        second.stop()
    _assert_exactly_once(claim_ids)
