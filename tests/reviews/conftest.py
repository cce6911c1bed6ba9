"""Shared fixtures of the desk's tests: a clock that stands still, editors with addresses, queueing a claim."""

from datetime import UTC, datetime

import pytest

from claims import services as claim_services

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock(time_machine):
    """Time stands still at T0 until a test moves it."""
    time_machine.move_to(T0, tick=False)
    return time_machine


@pytest.fixture
def editors_with_email(editor, other_editor):
    for user, address in [(editor, "eddie@example.org"), (other_editor, "erin@example.org")]:
        user.email = address
        user.save(update_fields=["email"])
    return ["eddie@example.org", "erin@example.org"]


@pytest.fixture
def queue(editor, django_capture_on_commit_callbacks):
    """Triage a claim into the queue; routing runs as it would after the commit."""

    def queued(claim, priority=None):
        with django_capture_on_commit_callbacks(execute=True):
            claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept", priority=priority)
        claim.refresh_from_db()
        return claim

    return queued
