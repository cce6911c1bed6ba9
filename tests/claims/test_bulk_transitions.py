"""Many claims moved at once (a routing batch): the same table and guards as one claim's move, each claim audited
with its own note and its event in the outbox, and all or none of them moved."""

import pytest
from django.db import transaction

from claims import services as claim_services
from claims.models import Claim, ClaimEvent, ClaimStatus
from claims.transitions import transition_claims
from core.errors import IllegalTransition
from core.models import OutboxEvent
from core.names import Event

S = ClaimStatus


@pytest.fixture
def queued(make_claim, editor):
    """Three queued claims; the routing that triage sends on commit never runs (the test never commits)."""
    claims = [make_claim(text=f"Exports rose by {n}0%") for n in range(1, 4)]
    for claim in claims:
        claim_services.triage_claim(claim_id=claim.pk, editor=editor, decision="accept")
        claim.refresh_from_db()
    return claims


def statuses(claims) -> list[str]:
    return [Claim.objects.get(pk=claim.pk).status for claim in claims]


def test_it_moves_every_claim_with_its_own_audit_row_and_event(queued, editor):
    notes = {claim.pk: f"Offered to reviewer {n}" for n, claim in enumerate(queued)}

    with transaction.atomic():
        transition_claims(queued, start=S.QUEUED, to=S.ASSIGNED, notes=notes, actor=editor)

    assert statuses(queued) == [S.ASSIGNED] * 3
    assert [claim.status for claim in queued] == [S.ASSIGNED] * 3
    moves = ClaimEvent.objects.filter(to_status=S.ASSIGNED).order_by("pk")
    assert [(e.claim_id, e.from_status, e.actor, e.note) for e in moves] == [
        (claim.pk, S.QUEUED, editor, notes[claim.pk]) for claim in queued
    ]
    events = OutboxEvent.objects.filter(name=Event.CLAIM_STATUS_CHANGED, object_id__in=[e.pk for e in moves])
    assert events.count() == 3


def test_it_moves_none_when_one_claim_left_the_queue_meanwhile(queued, editor):
    stale = queued[1]
    Claim.objects.filter(pk=stale.pk).update(status=S.ASSIGNED)  # the row in memory still says queued

    with pytest.raises(IllegalTransition, match="1 of 3 claims were no longer queued"), transaction.atomic():
        transition_claims(queued, start=S.QUEUED, to=S.ASSIGNED, notes=dict.fromkeys([c.pk for c in queued], ""))

    assert statuses(queued) == [S.QUEUED, S.ASSIGNED, S.QUEUED]
    assert not ClaimEvent.objects.filter(from_status=S.QUEUED).exists()


def test_it_refuses_a_move_the_table_does_not_allow(make_claim):
    claims = [make_claim(), make_claim(text="Imports fell")]

    with pytest.raises(IllegalTransition), transaction.atomic():
        transition_claims(claims, start=S.SUBMITTED, to=S.ASSIGNED, notes=dict.fromkeys([c.pk for c in claims], ""))

    assert statuses(claims) == [S.SUBMITTED, S.SUBMITTED]


def test_it_refuses_to_move_claims_outside_a_transaction():
    claim = Claim(text="Outside any transaction", language="en", status=S.QUEUED)

    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        transition_claims([claim], start=S.QUEUED, to=S.ASSIGNED, notes={None: ""})

    assert claim.status == S.QUEUED
