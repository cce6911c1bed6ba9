"""Routing in batches: the same offers as one claim at a time, in a constant number of statements, each claim once.

The tests queue claims without running the routing that follows triage (its on-commit hook is not executed), then
route them through the batch path or the single-claim path on the same database state.
"""

import random
from collections import Counter

import pytest
from django.core import mail
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from claims import services as claim_services
from claims.models import Claim, ClaimEvent, ClaimStatus
from core.models import OutboxEvent
from core.names import Event, Task
from core.roles import Role
from reviews import selectors
from reviews import tasks as desk_tasks
from reviews.models import ACTIVE_STATES, Assignment, AssignmentState, ReviewerProfile
from reviews.services import assignments as desk_services
from reviews.services import batch_routing
from reviews.services.members import add_member

ZH = "zh-hans"
TEXTS = {
    "en": "The minister said exports doubled",
    "ru": "Министр заявил, что экспорт удвоился",
    "ar": "قال الوزير إن الصادرات تضاعفت",
    "zh-hans": "部长说出口翻了一番",
    "hi": "मंत्री ने कहा कि निर्यात दोगुना हो गया",
}
NAMES = ["Мария", "أحمد", "李娜", "प्रिया", "rita_b", "Олег", "ليلى", "王伟", "अर्जुन", "sam"]
DECLINE_REASON = "Не моя тема"  # noqa: RUF001 (Cyrillic on purpose)
TOPICS = ["economy", "health", "здоровье"]


def queue_without_routing(claim, editor, priority=None):
    """Triage into the queue; the routing sent on commit never runs, since the test's transaction never commits."""
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept", priority=priority)
    claim.refresh_from_db()
    return claim


def offers() -> dict[int, int]:
    return dict(Assignment.objects.filter(state=AssignmentState.OFFERED).values_list("claim_id", "reviewer_id"))


@pytest.fixture
def busy_desk(journalist, editor, report):
    """Ten reviewers in five scripts with mixed languages, topics, capacities and loads; earlier offers (some
    declined, so excluded) and a journalist who also reviews; then 60 queued claims of mixed priority."""
    rng = random.Random(20261202)
    reviewers = []
    for n, name in enumerate(NAMES):
        languages = sorted({list(TEXTS)[n % 5], *rng.sample(list(TEXTS), 2)})
        topics = rng.sample(TOPICS, rng.randint(0, 2))
        reviewers.append(
            add_member(
                username=name, role=Role.REVIEWER, languages=languages, topics=topics, capacity=rng.randint(1, 6)
            )
        )
    add_member(username=NAMES[4], role=Role.JOURNALIST)  # rita_b submits claims too
    for n in range(12):
        language = list(TEXTS)[n % 5]
        claim = claim_services.submit_claim(user=journalist, text=f"{TEXTS[language]} ({n})", language=language)
        queue_without_routing(claim, editor)
        speakers = [r for r in reviewers if language in r.reviewer_profile.languages]
        reviewer = speakers[n % len(speakers)]
        offer = desk_services.assign_by_hand(claim_id=claim.pk, editor=editor, reviewer_id=reviewer.pk)
        if n % 3 == 0:
            desk_services.decline_assignment(assignment_id=offer.pk, reviewer=reviewer, reason=DECLINE_REASON)
    for n in range(60):
        language = rng.choice(list(TEXTS))
        submitter = reviewers[4] if n % 7 == 0 else journalist
        claim = claim_services.submit_claim(
            user=submitter, text=f"{TEXTS[language]} #{n}", language=language, topics=rng.sample(TOPICS, 1)
        )
        queue_without_routing(claim, editor, priority=rng.choice(["low", "normal", "high"]))
    return reviewers


def route_one_by_one() -> dict[int, int]:
    for claim_id in Claim.objects.filter(status=ClaimStatus.QUEUED).in_queue_order().values_list("pk", flat=True):
        desk_services.route_claim(claim_id=claim_id)
    return offers()


def test_it_makes_the_same_offers_as_routing_one_claim_at_a_time(busy_desk):
    before = offers()
    with transaction.atomic():
        one_by_one = route_one_by_one()
        transaction.set_rollback(True)  # back to the identical state for the batch
    assert offers() == before

    result = batch_routing.route_claims(limit=1000)

    assert offers() == one_by_one
    assert set(result.routed) == set(one_by_one) - set(before)
    assert 20 < len(result.routed) < 60  # some claims found a reviewer, and capacity left others queued


def test_it_keeps_capacity_language_four_eyes_and_exclusions(busy_desk):
    batch_routing.route_claims(limit=1000)

    capacity = dict(ReviewerProfile.objects.values_list("user_id", "capacity"))
    loads = Assignment.objects.filter(state__in=ACTIVE_STATES).values("reviewer_id").annotate(n=Count("id"))
    assert all(row["n"] <= capacity[row["reviewer_id"]] for row in loads)
    for assignment in Assignment.objects.filter(state=AssignmentState.OFFERED).select_related("claim"):
        claim = assignment.claim
        assert claim.language in assignment.reviewer.reviewer_profile.languages
        assert assignment.reviewer_id != claim.submitted_by_id
        assert assignment.reviewer_id not in selectors.claim_facts(claim).excluded_reviewer_ids


def test_it_gives_the_next_claim_to_whoever_waited_longest_among_equal_loads(journalist, editor):
    busy, idle = (add_member(username=name, role=Role.REVIEWER, languages=["ru"], capacity=5) for name in NAMES[5:7])
    claims = [
        queue_without_routing(claim_services.submit_claim(user=journalist, text=text, language="ru"), editor)
        for text in (f"{TEXTS['ru']} {n}" for n in range(3))
    ]
    desk_services.assign_by_hand(claim_id=claims[0].pk, editor=editor, reviewer_id=busy.pk)  # busy: load 1

    batch_routing.route_claims(claim_ids=[c.pk for c in claims])

    # idle by load; then both carry one, and busy's offer is older than the one idle just got.
    assert [offers()[c.pk] for c in claims[1:]] == [idle.pk, busy.pk]


def test_it_writes_each_claims_audit_row_and_status_event(busy_desk):
    before = ClaimEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    result = batch_routing.route_claims(limit=1000)

    events = ClaimEvent.objects.filter(pk__gt=before)
    assert sorted(events.values_list("claim_id", flat=True)) == sorted(result.routed)
    names = {r.pk: r.username for r in busy_desk}
    for event in events:
        assert (event.from_status, event.to_status) == (ClaimStatus.QUEUED, ClaimStatus.ASSIGNED)
        assert event.note == f"Offered to {names[offers()[event.claim_id]]}"
    assert OutboxEvent.objects.filter(
        name=Event.CLAIM_STATUS_CHANGED, object_id__in=events.values_list("pk", flat=True)
    ).count() == len(result.routed)
    assert set(Claim.objects.filter(pk__in=result.routed).values_list("status", flat=True)) == {ClaimStatus.ASSIGNED}


def test_it_tells_each_reviewer_once_after_the_commit(journalist, editor, django_capture_on_commit_callbacks):
    reviewers = [
        add_member(username=name, role=Role.REVIEWER, email=f"r{n}@example.org", languages=["hi"], capacity=2)
        for n, name in enumerate(NAMES[3:6])
    ]
    claims = [
        queue_without_routing(claim_services.submit_claim(user=journalist, text=TEXTS["hi"], language="hi"), editor)
        for _ in range(5)
    ]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = batch_routing.route_claims(claim_ids=[c.pk for c in claims])
        assert mail.outbox == []  # nothing is sent before the commit

    assert len(result.routed) == 5
    assert len(callbacks) == 1  # one message for the batch's offers
    assert Counter(m.to[0] for m in mail.outbox) == {
        reviewers[0].email: 2,
        reviewers[1].email: 2,
        reviewers[2].email: 1,
    }


def test_it_costs_the_same_statements_for_five_claims_as_for_forty(journalist, editor):
    add_member(username=NAMES[0], role=Role.REVIEWER, languages=["en", "zh-hans"], capacity=100)
    add_member(username=NAMES[2], role=Role.REVIEWER, languages=["zh-hans"], capacity=100, topics=["economy"])

    def routed_with_queries(count: int) -> int:
        ids = [
            queue_without_routing(
                claim_services.submit_claim(user=journalist, text=TEXTS[ZH], language=ZH, topics=["economy"]),
                editor,
            ).pk
            for _ in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            assert len(batch_routing.route_claims(claim_ids=ids).routed) == count
        return len(queries)

    assert routed_with_queries(5) == routed_with_queries(40)


def test_it_skips_claims_that_changed_or_vanished_and_routes_nothing_twice(make_claim, editor, reviewer):
    queued, rejected, deleted = (make_claim(text=f"Claim {n}") for n in range(3))
    for claim in (queued, deleted):
        queue_without_routing(claim, editor)
    claim_services.triage_claim(claim_id=rejected.pk, editor=editor, decision="reject", reason="Opinion")
    ids = [queued.pk, rejected.pk, deleted.pk, 999_999]
    Claim.objects.filter(pk=deleted.pk).delete()

    first = batch_routing.route_claims(claim_ids=ids)
    again = batch_routing.route_claims(claim_ids=ids)

    assert first.routed.keys() == {queued.pk}
    assert again.routed == {}
    assert Assignment.objects.filter(claim_id=queued.pk).count() == 1
    assert Claim.objects.get(pk=rejected.pk).status == ClaimStatus.REJECTED


def test_it_leaves_unroutable_claims_queued_and_reports_full_languages(make_claim, editor, reviewer):
    claims = [queue_without_routing(make_claim(text=f"Claim {n}"), editor) for n in range(5)]  # rita: en, de; 3 slots

    result = batch_routing.route_claims(claim_ids=[c.pk for c in claims])

    assert len(result.routed) == 3
    assert result.unroutable == [c.pk for c in claims[3:]]
    assert result.full_languages == {"en"}
    assert Claim.objects.filter(status=ClaimStatus.QUEUED).count() == 2


# The on-commit task: its claim first, the backlog along


def test_the_task_routes_its_claim_first_and_takes_the_backlog_along(
    make_claim, editor, django_capture_on_commit_callbacks
):
    backlog = [queue_without_routing(make_claim(text=f"Waiting {n}"), editor) for n in range(3)]
    add_member(username=NAMES[1], role=Role.REVIEWER, languages=["en"], capacity=2)  # arrives with two slots
    newest = make_claim(text="Accepted just now")

    with django_capture_on_commit_callbacks(execute=True):
        claim_services.triage_claim(claim_id=newest.pk, editor=editor, decision="accept")

    assert set(offers()) == {newest.pk, backlog[0].pk}  # its own claim at once, then the longest waiting


def test_the_task_returns_early_for_a_claim_no_longer_queued(make_claim, editor, reviewer):
    claim = queue_without_routing(make_claim(), editor)
    desk_services.route_claim(claim_id=claim.pk)

    with CaptureQueriesContext(connection) as queries:
        assert desk_tasks.route_claim.apply(args=(claim.pk,)).get() is None

    assert len(queries) == 1


def test_the_task_still_routes_its_claim_when_the_batch_fails(make_claim, editor, reviewer, monkeypatch):
    poisoned = queue_without_routing(make_claim(text="A row routing cannot read"), editor)
    claim = queue_without_routing(make_claim(), editor)
    real_claim_facts = selectors.claim_facts

    def claim_facts(row):
        if row.pk == poisoned.pk:
            raise RuntimeError("unreadable")
        return real_claim_facts(row)

    monkeypatch.setattr(selectors, "claim_facts", claim_facts)

    assignment_id = desk_tasks.route_claim.apply(args=(claim.pk,)).get()

    assert Assignment.objects.get(pk=assignment_id).claim_id == claim.pk
    assert Claim.objects.get(pk=poisoned.pk).status == ClaimStatus.QUEUED


def test_the_ids_task_routes_in_batches(make_claim, editor, reviewer, other_reviewer, monkeypatch):
    monkeypatch.setattr(batch_routing, "BATCH_SIZE", 2)
    claims = [queue_without_routing(make_claim(text=f"Claim {n}"), editor) for n in range(5)]

    assert desk_tasks.route_claims.apply(args=([c.pk for c in claims],)).get() == 5
    assert set(offers()) == {c.pk for c in claims}


def test_the_sweep_routes_the_queue_in_batches(make_claim, editor, reviewer, other_reviewer, monkeypatch):
    monkeypatch.setattr(batch_routing, "BATCH_SIZE", 4)
    claims = [queue_without_routing(make_claim(text=f"Claim {n}"), editor) for n in range(10)]
    batches = []
    real_route_claims = batch_routing.route_claims
    monkeypatch.setattr(
        batch_routing, "route_claims", lambda **kw: batches.append(kw["claim_ids"]) or real_route_claims(**kw)
    )

    assert desk_services.route_waiting_claims() == 6  # rita 3, rolf 3

    # Two batches fill every slot; the third finds English full and the rest of the queue is skipped.
    assert batches == [[c.pk for c in claims[:4]], [c.pk for c in claims[4:8]]]
    assert len(offers()) == 6


def test_the_batch_email_task_hands_a_failed_email_and_the_rest_to_retrying_tasks(monkeypatch):
    sent, handed_over = [], []

    def notify_offer(assignment_id):
        if assignment_id == 2:
            raise OSError("mail server gone")
        sent.append(assignment_id)
        return True

    monkeypatch.setattr(desk_tasks.notifications, "notify_offer", notify_offer)
    monkeypatch.setattr(desk_tasks.dispatch, "send", lambda name, *args: handed_over.append((name, *args)))

    result = desk_tasks.notify_offers.apply(args=([1, 2, 3],))  # .get() refuses once a test worker ran in-process

    assert result.successful() and result.result == 1

    assert sent == [1]  # the first is not sent twice by a retry of the whole batch
    assert handed_over == [(Task.NOTIFY_OFFER, 2), (Task.NOTIFY_OFFER, 3)]
