"""Batch routing under real concurrency on PostgreSQL: threads with their own connections, no mocks.

Two batches at once never wait on each other (claims and reviewers are locked SKIP LOCKED), never book a reviewer
above capacity, and route every claim exactly once.
"""

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.db.models import Count, Q

from claims import services as claim_services
from claims.models import Claim, ClaimEvent, ClaimStatus
from core.names import Task
from core.roles import Role
from reviews import tasks as desk_tasks
from reviews.models import ACTIVE_STATES, Assignment, ReviewerProfile
from reviews.services import assignments as desk_services
from reviews.services import batch_routing
from reviews.services.members import add_member
from reviews.tasks import route_claim as route_claim_task
from tests.concurrency import run_together

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LANGUAGES = {"en": "Exports doubled last year", "ru": "Экспорт удвоился в прошлом году", "ar": "تضاعفت الصادرات"}


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("batch routing races need PostgreSQL row locks (SQLite serialises all writers): set DATABASE_URL")


def _queue_claims(journalist, editor, per_language: int) -> list[int]:
    """Triaged through the services before any reviewer exists, so the routing after each commit leaves them queued."""
    assert not ReviewerProfile.objects.exists()
    ids = []
    with transaction.atomic():
        for n in range(per_language):
            for language, text in LANGUAGES.items():
                claim = claim_services.submit_claim(user=journalist, text=f"{text} ({n})", language=language)
                claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")
                ids.append(claim.pk)
    assert Claim.objects.filter(pk__in=ids, status=ClaimStatus.QUEUED).count() == len(ids)
    return ids


def _reviewers(per_language: int, capacity: int) -> dict[int, int]:
    """user id → capacity; one reviewer in each language also works in English, so the pools overlap."""
    capacities = {}
    for language in LANGUAGES:
        for n in range(per_language):
            languages = [language, "en"] if n == 0 and language != "en" else [language]
            user = add_member(
                username=f"{language}-reviewer{n}", role=Role.REVIEWER, languages=languages, capacity=capacity
            )
            capacities[user.pk] = capacity
    return capacities


def _assert_booked_once(claim_ids: list[int], capacities: dict[int, int]) -> int:
    """Nobody above capacity, each claim assigned at most once; answers how many were assigned."""
    loads = dict(
        Assignment.objects.filter(state__in=ACTIVE_STATES).order_by().values_list("reviewer_id").annotate(n=Count("id"))
    )
    assert all(loads[reviewer] <= capacities[reviewer] for reviewer in loads), loads
    claims = Claim.objects.filter(pk__in=claim_ids).annotate(
        active=Count("assignments", filter=Q(assignments__state__in=ACTIVE_STATES), distinct=True),
        offers=Count("events", filter=Q(events__to_status=ClaimStatus.ASSIGNED), distinct=True),
    )
    assigned = claims.filter(status=ClaimStatus.ASSIGNED)
    assert set(assigned.values_list("active", "offers").distinct()) <= {(1, 1)}
    assert set(claims.filter(status=ClaimStatus.QUEUED).values_list("active", "offers").distinct()) <= {(0, 0)}
    for assignment in Assignment.objects.select_related("claim", "reviewer__reviewer_profile"):
        assert assignment.claim.language in assignment.reviewer.reviewer_profile.languages
    return assigned.count()


def _assert_no_claim_waits_for_a_free_reviewer(claim_ids: list[int]) -> None:
    """Every claim still queued has no reviewer of its language with room: the routing left nothing it could do.

    How many slots end up filled is not fixed when pools overlap: a reviewer who also works in English may take
    English claims that an English-only reviewer then lacks, depending on which router reaches them first.
    """
    room = [
        (profile.user_id, profile.languages)
        for profile in ReviewerProfile.objects.annotate(
            load=Count("user__assignments", filter=Q(user__assignments__state__in=ACTIVE_STATES))
        )
        if profile.load < profile.capacity
    ]
    waiting = Claim.objects.filter(pk__in=claim_ids, status=ClaimStatus.QUEUED).values_list("pk", "language")
    assert [(claim, reviewer) for claim, language in waiting for reviewer, langs in room if language in langs] == []


def _until_nothing_moves(
    route: Callable[[], int], idle_rounds: int = 3, after: threading.Event | None = None
) -> Callable[[], None]:
    """Route until idle; with `after`, also keep going until it is set, as the periodic sweep outlives any burst."""

    def job() -> None:
        idle = 0
        while idle < idle_rounds or (after is not None and not after.is_set()):
            idle = 0 if route() else idle + 1
            time.sleep(0.01 * idle)

    return job


class _Finished:
    """Wraps jobs so that `event` is set once every one of them has returned or failed."""

    def __init__(self, jobs: list[Callable[[], None]]) -> None:
        self.event, self._left, self._lock = threading.Event(), len(jobs), threading.Lock()
        self.jobs = [self._counted(job) for job in jobs]

    def _counted(self, job: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                job()
            finally:
                with self._lock:
                    self._left -= 1
                    if not self._left:
                        self.event.set()

        return run


def test_two_batch_routings_at_once_route_every_claim_exactly_once(journalist, editor):
    claim_ids = _queue_claims(journalist, editor, per_language=80)  # 240 claims
    capacities = _reviewers(per_language=4, capacity=25)  # 300 slots

    def batches() -> int:
        return len(batch_routing.route_claims(claim_ids=claim_ids, limit=30).routed)

    run_together([_until_nothing_moves(batches)] * 2)

    assert _assert_booked_once(claim_ids, capacities) == len(claim_ids)


def test_two_batch_routings_at_once_fill_every_slot_and_no_more(journalist, editor):
    claim_ids = _queue_claims(journalist, editor, per_language=60)  # 180 claims
    capacities = _reviewers(per_language=3, capacity=12)  # 108 slots, 36 per language

    def sweep() -> int:
        return desk_services.route_waiting_claims()

    run_together([_until_nothing_moves(sweep)] * 2)

    assert _assert_booked_once(claim_ids, capacities) == sum(capacities.values())
    loads = Assignment.objects.filter(state__in=ACTIVE_STATES).values_list("reviewer_id").annotate(n=Count("id"))
    assert {n for _, n in loads} == {12}


def test_on_commit_tasks_single_routings_and_batches_together_book_each_claim_once(journalist, editor):
    claim_ids = _queue_claims(journalist, editor, per_language=50)  # 150 claims
    capacities = _reviewers(per_language=2, capacity=20)  # 120 slots

    def tasks(ids: list[int]) -> Callable[[], None]:
        return lambda: [route_claim_task(claim_id) for claim_id in ids]

    def singles(ids: list[int]) -> Callable[[], None]:
        return lambda: [desk_services.route_claim(claim_id=claim_id) for claim_id in ids]

    jobs = [tasks(claim_ids[0::4]), tasks(claim_ids[1::4]), singles(claim_ids[2::4]), singles(claim_ids[3::4])]
    # A claim another job holds is left for later; the sweep, running past the last job, is what picks it up.
    all_done = _Finished(jobs)
    sweep = _until_nothing_moves(lambda: desk_services.route_waiting_claims(), after=all_done.event)
    run_together([*all_done.jobs, sweep])

    booked = _assert_booked_once(claim_ids, capacities)
    _assert_no_claim_waits_for_a_free_reviewer(claim_ids)
    # At worst the two who also work in English take 40 of the 50 English claims, leaving the English-only pair 10
    # for their 40 slots; every other slot has more claims of its language than it can take.
    assert booked >= sum(capacities.values()) - 30


def test_a_batch_skips_what_another_transaction_holds_instead_of_waiting(journalist, editor):
    claim_ids = _queue_claims(journalist, editor, per_language=3)
    busy = add_member(username="busy", role=Role.REVIEWER, languages=["en", "ru"], capacity=10)
    free = add_member(username="free", role=Role.REVIEWER, languages=["en"], capacity=10)
    held_claim = claim_ids[0]
    locked, release = threading.Event(), threading.Event()

    def hold_locks() -> None:
        with transaction.atomic():
            Claim.objects.select_for_update().get(pk=held_claim)
            ReviewerProfile.objects.select_for_update().get(user=busy)
            locked.set()
            release.wait(timeout=30)

    def route_batch() -> None:
        assert locked.wait(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # waiting on a lock would fail the batch, not hang it
        started = time.monotonic()
        result = batch_routing.route_claims(claim_ids=claim_ids)
        elapsed = time.monotonic() - started
        release.set()
        assert elapsed < 2, elapsed
        russian = set(Claim.objects.filter(pk__in=claim_ids, language="ru").values_list("pk", flat=True))
        # Only busy works in Russian, and the held claim is locked: both tried again, then left for later.
        assert set(result.held) == russian | {held_claim}

    run_together([hold_locks, route_batch])

    offered_to = set(Assignment.objects.values_list("reviewer_id", flat=True))
    assert offered_to == {free.pk}
    assert Claim.objects.get(pk=held_claim).status == ClaimStatus.QUEUED
    # English: the two claims not held went to `free`; Russian: held (only `busy`); Arabic: no reviewer at all.
    assert Claim.objects.filter(pk__in=claim_ids, status=ClaimStatus.ASSIGNED).count() == 2
    assert not ClaimEvent.objects.filter(claim_id=held_claim, to_status=ClaimStatus.ASSIGNED).exists()


def test_the_on_commit_task_waits_for_its_claim_held_by_a_transaction_that_does_not_route_it(journalist, editor):
    [claim_id, *_] = _queue_claims(journalist, editor, per_language=1)
    reviewer = add_member(username="rita", role=Role.REVIEWER, languages=["en"], capacity=5)
    locked, answers = threading.Event(), []

    def failing_second_triage() -> None:
        with transaction.atomic():
            Claim.objects.select_for_update().get(pk=claim_id)  # as triage_claim does, before it answers 409
            locked.set()
            time.sleep(0.5)

    def route_after_commit() -> None:
        assert locked.wait(timeout=30)
        answers.append(route_claim_task(claim_id))

    run_together([failing_second_triage, route_after_commit])

    [assignment_id] = answers
    assert Assignment.objects.get(pk=assignment_id).reviewer == reviewer
    assert Claim.objects.get(pk=claim_id).status == ClaimStatus.ASSIGNED


def _while_reviewer_is_held(reviewer, work: Callable[[], object]) -> None:
    """Run `work` while another transaction holds the reviewer's profile locked, as a parallel batch does."""
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        with transaction.atomic():
            ReviewerProfile.objects.select_for_update().get(user=reviewer)
            locked.set()
            release.wait(timeout=30)

    def run() -> None:
        assert locked.wait(timeout=30)
        try:
            work()
        finally:
            release.set()

    run_together([hold, run])


def test_the_ids_task_sends_claims_whose_reviewers_were_held_again_later(journalist, editor, monkeypatch):
    claim_ids = _queue_claims(journalist, editor, per_language=2)
    russian = set(Claim.objects.filter(pk__in=claim_ids, language="ru").values_list("pk", flat=True))
    busy = add_member(username="busy", role=Role.REVIEWER, languages=["en", "ru"], capacity=10)
    sent, routed = [], []
    monkeypatch.setattr(
        desk_tasks.dispatch, "send", lambda name, *args, countdown=None: sent.append((name, args, countdown))
    )

    _while_reviewer_is_held(busy, lambda: routed.append(desk_tasks.route_claims(claim_ids)))

    assert routed == [0]
    # Every claim that busy could take (English and Russian) is sent again, a second later; Arabic has nobody.
    [(name, (again, attempt), countdown)] = sent
    assert (name, attempt, countdown) == (Task.ROUTE_CLAIMS, 1, desk_tasks.HELD_RETRY_S)
    english = set(Claim.objects.filter(pk__in=claim_ids, language="en").values_list("pk", flat=True))
    assert set(again) == russian | english

    assert desk_tasks.route_claims(again, attempt) == 4  # the lock is gone: routed on the second try
    assert set(Assignment.objects.values_list("claim_id", flat=True)) == russian | english
    assert [name for name, _, _ in sent].count(Task.ROUTE_CLAIMS) == 1  # nothing left to send again


def test_the_ids_task_gives_held_claims_up_to_the_sweep_after_its_last_try(journalist, editor, monkeypatch):
    claim_ids = _queue_claims(journalist, editor, per_language=1)
    busy = add_member(username="busy", role=Role.REVIEWER, languages=["en", "ru", "ar"], capacity=10)
    sent = []
    monkeypatch.setattr(desk_tasks.dispatch, "send", lambda name, *args, countdown=None: sent.append(name))

    _while_reviewer_is_held(busy, lambda: desk_tasks.route_claims(claim_ids, desk_tasks.HELD_RETRIES))

    assert Task.ROUTE_CLAIMS not in sent
    assert Claim.objects.filter(pk__in=claim_ids, status=ClaimStatus.QUEUED).count() == 3
