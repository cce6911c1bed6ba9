"""Tracking a report while a journalist makes a claim from one of its sentences, on PostgreSQL: both take the
sentence's row and the appearance's unique place, and must take them in the same order or deadlock."""

import threading
import time

import pytest
from django.db import connection

from claims import services
from claims.ingest import services as ingest_services
from claims.ingest import tracking
from claims.models import Claim, ClaimAppearance, Report
from tests.concurrency import run_together

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHECKED = "The talks lasted more than five hours"
REPEATED = "Once more, the talks lasted more than five hours"
# pg_locks, not pg_stat_activity: the latter is read once per transaction, and the poll runs inside one.
WAITING_ON_ME = (
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid)))"
)


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the deadlock needs PostgreSQL row locks (SQLite serialises all writers): set DATABASE_URL")


@pytest.fixture
def repeating_report(make_claim, desk, journalist, monkeypatch) -> Report:
    """A ready report repeating a published verdict's claim, not tracked yet: the test's threads track it."""
    desk.published(make_claim(CHECKED))
    with monkeypatch.context() as patch:
        patch.setattr(ingest_services, "enqueue_on_commit", lambda *args: None)
        return services.submit_report(
            user=journalist, headline="Summit recap", language="en", body=f"{REPEATED}, she said. Markets were calm."
        )


def _wait_until_another_connection_waits_on_mine(timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(WAITING_ON_ME)
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the claim's submission never waited on the tracking transaction")


def test_tracking_a_report_and_making_a_claim_from_its_sentence_both_finish(repeating_report, journalist, monkeypatch):
    sentence = repeating_report.sentences.get(position=0)
    tracking_recorded = threading.Event()
    real_record = tracking._record

    def record_then_hold(*args, **kwargs) -> bool:
        created = real_record(*args, **kwargs)
        if not tracking_recorded.is_set():  # the first appearance recorded is tracking's: the claim waits for it
            tracking_recorded.set()
            # Holding what tracking has taken until the submission waits on it: the interleaving that deadlocked.
            _wait_until_another_connection_waits_on_mine()
        return created

    monkeypatch.setattr(tracking, "_record", record_then_hold)
    tracked: list[int] = []

    def track() -> None:
        tracked.append(tracking.track_report(report_id=repeating_report.pk))

    def make_a_claim() -> None:
        assert tracking_recorded.wait(timeout=30), "tracking never recorded the appearance"
        services.submit_claim(user=journalist, sentence=sentence.pk, claimant="Senator Ana Ruiz")

    run_together([track, make_a_claim], timeout_s=60)

    assert tracked == [1]
    assert Claim.objects.filter(report=repeating_report, quote_start=sentence.start).exists()
    appearance = ClaimAppearance.objects.get(report=repeating_report)
    assert appearance.start == sentence.start and appearance.claimant.name == "Senator Ana Ruiz"
