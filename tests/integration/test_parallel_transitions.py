"""Repeated and parallel steps on PostgreSQL: each thread is its own connection, as gunicorn workers are.

A step taken many times at once moves the claim once: one 200, the rest 409 (or, with one Idempotency-Key, the first
answer again). And the database itself refuses, at commit, a claim whose status disagrees with its active assignment.
"""

import threading
from collections.abc import Callable

import pytest
from django.db import IntegrityError, connection, transaction
from rest_framework.test import APIClient

from claims import services as claim_services
from claims.models import Claim, ClaimEvent, ClaimStatus
from core.roles import Role
from factcheck.record.models import FactCheck
from reviews.models import ACTIVE_STATES, Assignment, AssignmentState
from reviews.services import assignments as desk_services
from reviews.services import verdicts
from reviews.services.members import add_member

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PARALLEL = 10


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("parallel steps and the deferred trigger need PostgreSQL: set DATABASE_URL")


def post_together(user, url: str, body: dict, headers: dict[str, str] | None = None) -> list:
    """POST the same request from PARALLEL threads released at once; the answers, in no particular order."""
    barrier = threading.Barrier(PARALLEL)
    answers: list = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            client = APIClient()
            client.force_authenticate(user)
            barrier.wait(timeout=30)
            answers.append(client.post(url, body, format="json", headers=headers or {}))
        except BaseException as exc:  # re-raised in the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a request did not finish in time"
    if failures:
        raise failures[0]
    return answers


def codes(answers) -> list[int]:
    return sorted(a.status_code for a in answers)


def fresh(answers) -> list:
    return [a for a in answers if a.status_code == 200 and "Idempotent-Replayed" not in a.headers]


def events_to(claim_id: int, status: str) -> int:
    return ClaimEvent.objects.filter(claim_id=claim_id, to_status=status).count()


@pytest.fixture
def submitted(journalist) -> Callable[[], Claim]:
    return lambda: claim_services.submit_claim(user=journalist, text="The talks lasted five hours", language="en")


def test_it_triages_and_routes_a_claim_once_when_ten_accepts_arrive_at_once(editor, reviewer, submitted):
    claim = submitted()

    answers = post_together(editor, f"/api/v1/claims/{claim.pk}/triage/", {"decision": "accept"})

    assert codes(answers) == [200] + [409] * (PARALLEL - 1), [a.content for a in answers]
    assert events_to(claim.pk, ClaimStatus.QUEUED) == 1
    assert events_to(claim.pk, ClaimStatus.ASSIGNED) == 1
    assert Assignment.objects.filter(claim=claim).count() == 1
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.ASSIGNED


def test_it_triages_once_and_answers_the_same_when_ten_accepts_share_an_idempotency_key(editor, reviewer, submitted):
    claim = submitted()

    answers = post_together(
        editor, f"/api/v1/claims/{claim.pk}/triage/", {"decision": "accept"}, {"Idempotency-Key": "triage-once"}
    )

    assert set(codes(answers)) <= {200, 409}, codes(answers)
    assert len(fresh(answers)) == 1
    replays = [a for a in answers if a.headers.get("Idempotent-Replayed") == "true"]
    assert all(a.json() == fresh(answers)[0].json() for a in replays)
    # The rest were told the first is still running (Retry-After), not that the claim cannot be triaged.
    assert all(a.headers.get("Retry-After") == "1" for a in answers if a.status_code == 409)
    assert events_to(claim.pk, ClaimStatus.QUEUED) == 1
    assert Assignment.objects.filter(claim=claim).count() == 1


@pytest.fixture
def awaiting_approval(editor, reviewer, submitted) -> Claim:
    claim = submitted()
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")  # routes on commit (eager)
    offer = Assignment.objects.get(claim=claim, state=AssignmentState.OFFERED)
    desk_services.accept_assignment(assignment_id=offer.pk, reviewer=reviewer)
    verdicts.save_review(
        claim_id=claim.pk,
        reviewer=reviewer,
        rating="false",
        summary="It was four hours.",
        explanation="The schedule shows 10:00 to 14:00.",
        sources=[verdicts.SourceInput(url="https://gov.example.org/schedule", title="Schedule")],
    )
    verdicts.submit_review(claim_id=claim.pk, reviewer=reviewer)
    return claim


def test_it_publishes_once_when_ten_approvals_arrive_at_once(other_editor, awaiting_approval):
    claim = awaiting_approval

    answers = post_together(other_editor, f"/api/v1/claims/{claim.pk}/approve/", {})

    assert codes(answers) == [200] + [409] * (PARALLEL - 1), [a.content for a in answers]
    assert FactCheck.objects.filter(claim=claim).count() == 1
    assert events_to(claim.pk, ClaimStatus.PUBLISHED) == 1
    assert not Assignment.objects.filter(claim=claim, state__in=ACTIVE_STATES).exists()


def test_it_returns_a_review_once_when_ten_returns_arrive_at_once(editor, awaiting_approval):
    claim = awaiting_approval

    answers = post_together(editor, f"/api/v1/claims/{claim.pk}/return/", {"note": "Add a second source."})

    assert codes(answers) == [200] + [409] * (PARALLEL - 1), [a.content for a in answers]
    assert events_to(claim.pk, ClaimStatus.IN_REVIEW) == 2  # the reviewer's accept, and one return


def test_it_offers_a_claim_once_when_ten_assignments_to_one_reviewer_arrive_at_once(editor, submitted):
    rosa = add_member(username="rosa", role=Role.REVIEWER, languages=["fr"])
    claim = submitted()
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")  # nobody speaks English: queued

    answers = post_together(editor, f"/api/v1/claims/{claim.pk}/assign/", {"reviewer": rosa.reviewer_profile.pk})

    assert codes(answers) == [200] + [409] * (PARALLEL - 1), [a.content for a in answers]
    assert Assignment.objects.filter(claim=claim).count() == 1


# The database's own guard: a claim and its active assignment agree at every commit.


@pytest.fixture
def offered(editor, reviewer, submitted) -> Assignment:
    claim = submitted()
    claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")
    return Assignment.objects.get(claim=claim, state=AssignmentState.OFFERED)


def test_it_refuses_at_commit_a_raw_update_that_queues_a_claim_with_an_open_offer(offered):
    statement_passed = False
    with (
        pytest.raises(IntegrityError, match="yet has an active assignment"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE claims_claim SET status = 'queued' WHERE id = %s", [offered.claim_id])
        statement_passed = True  # deferred: only the commit checks, so a transaction may change both rows

    assert statement_passed
    assert Claim.objects.get(pk=offered.claim_id).status == ClaimStatus.ASSIGNED


def test_it_refuses_at_commit_an_offer_left_open_on_a_claim_in_any_other_status(offered):
    for status in [ClaimStatus.SUBMITTED, ClaimStatus.REJECTED, ClaimStatus.PUBLISHED, ClaimStatus.IN_REVIEW]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Claim.objects.filter(pk=offered.claim_id).update(status=status)

    assert Claim.objects.get(pk=offered.claim_id).status == ClaimStatus.ASSIGNED


def test_it_refuses_at_commit_an_offer_reopened_on_a_queued_claim(offered):
    with transaction.atomic():  # a legal pair of changes: the offer ends as its claim goes back to the queue
        Claim.objects.filter(pk=offered.claim_id).update(status=ClaimStatus.QUEUED)
        Assignment.objects.filter(pk=offered.pk).update(state=AssignmentState.RELEASED)

    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.filter(pk=offered.pk).update(state=AssignmentState.OFFERED)

    offered.refresh_from_db()
    assert offered.state == AssignmentState.RELEASED


def test_it_refuses_at_commit_publishing_a_claim_whose_accepted_assignment_stays_open(offered):
    with transaction.atomic():
        Claim.objects.filter(pk=offered.claim_id).update(status=ClaimStatus.IN_REVIEW)
        Assignment.objects.filter(pk=offered.pk).update(state=AssignmentState.ACCEPTED)

    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=offered.claim_id).update(status=ClaimStatus.PUBLISHED)

    assert Claim.objects.get(pk=offered.claim_id).status == ClaimStatus.IN_REVIEW


def test_it_accepts_both_rows_changed_in_one_transaction_in_either_order(offered):
    with transaction.atomic():
        Claim.objects.filter(pk=offered.claim_id).update(status=ClaimStatus.QUEUED)
        Assignment.objects.filter(pk=offered.pk).update(state=AssignmentState.RELEASED)

    with transaction.atomic():
        Assignment.objects.filter(pk=offered.pk).update(state=AssignmentState.OFFERED)
        Claim.objects.filter(pk=offered.claim_id).update(status=ClaimStatus.ASSIGNED)

    assert Claim.objects.get(pk=offered.claim_id).status == ClaimStatus.ASSIGNED
