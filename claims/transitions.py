"""The only place a claim's status changes: each move is checked against the table, stamped and audited."""

import json
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from claims.models import Claim, ClaimEvent, ClaimStatus
from core.errors import IllegalTransition
from core.names import Event
from core.outbox import record_event, record_events
from core.text import is_blank

S = ClaimStatus

ALLOWED: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.QUEUED, S.REJECTED}),
    S.REJECTED: frozenset(),
    S.QUEUED: frozenset({S.ASSIGNED}),
    S.ASSIGNED: frozenset({S.IN_REVIEW, S.QUEUED}),
    S.IN_REVIEW: frozenset({S.AWAITING_APPROVAL, S.QUEUED}),
    S.AWAITING_APPROVAL: frozenset({S.PUBLISHED, S.IN_REVIEW}),
    S.PUBLISHED: frozenset({S.RETRACTED}),
    S.RETRACTED: frozenset(),
}


def lock_claim(claim_id: int) -> Claim:
    """Re-read a claim under a row lock; callers must be inside a transaction."""
    return Claim.objects.select_for_update().get(pk=claim_id)


def transition_claim(claim: Claim, *, to: str, actor=None, note: str = "", expect: tuple[str, ...] = ()) -> Claim:
    """Move `claim` to status `to`; `expect` narrows the legal starting statuses for this particular step.

    A note that shows nothing (invisible characters, marks with nothing under them) is recorded as no note: each
    service normalises the notes it takes (core.text.optional_text), and this keeps any other out of the history."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition_claim must run inside transaction.atomic()")
    current = claim.status
    if to not in ALLOWED[current] or (expect and current not in expect):
        raise IllegalTransition(f"A claim that is {current} cannot become {to}.")
    claim.status = to
    claim.status_changed_at = timezone.now()
    claim.save(update_fields=["status", "status_changed_at"])
    note = _shown_note(note)
    event = ClaimEvent.objects.create(claim=claim, actor=actor, from_status=current, to_status=to, note=note)
    record_event(Event.CLAIM_STATUS_CHANGED, event.pk)  # the outbox row commits with the change (webhooks)
    return claim


def transition_claims(claims: Sequence[Claim], *, start: str, to: str, notes: dict[int, str], actor=None) -> None:
    """`transition_claim` for many locked claims that all move from `start` to `to`, in one UPDATE and two INSERTs
    (audit rows, outbox rows) however many they are. One claim that is not `start` any more fails them all."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition_claims must run inside transaction.atomic()")
    for claim in claims:
        if claim.status != start or to not in ALLOWED[claim.status]:
            raise IllegalTransition(f"A claim that is {claim.status} cannot become {to}.")
    now = timezone.now()
    ids = [claim.pk for claim in claims]
    # The WHERE re-checks the status in the database: the guard holds even for a caller whose rows went stale.
    moved = Claim.objects.filter(pk__in=ids, status=start).update(status=to, status_changed_at=now)
    if moved != len(ids):
        raise IllegalTransition(f"{len(ids) - moved} of {len(ids)} claims were no longer {start}.")
    events = ClaimEvent.objects.bulk_create(
        ClaimEvent(claim=claim, actor=actor, from_status=start, to_status=to, note=_shown_note(notes[claim.pk]))
        for claim in claims
    )
    for claim in claims:
        claim.status, claim.status_changed_at = to, now
    record_events(Event.CLAIM_STATUS_CHANGED, [event.pk for event in events])


def _shown_note(note: str) -> str:
    return "" if is_blank(note) else note


def record_creation(claim: Claim, *, actor) -> None:
    ClaimEvent.objects.create(claim=claim, actor=actor, from_status="", to_status=claim.status)


def record_edit(claim: Claim, *, actor, changes: dict[str, tuple[object, object]]) -> ClaimEvent | None:
    """Audit an edit of the claim's wording: one row with each changed field's old and new value.

    The status stays, so the row reads from == to in the history; its note spells the change out for readers of the
    API, which shows history entries as {from, to, actor, at, note}. Nothing changed, nothing recorded.
    """
    if not changes:
        return None
    note = "Edited " + "; ".join(f"{field}: {_shown(old)} → {_shown(new)}" for field, (old, new) in changes.items())
    return ClaimEvent.objects.create(
        claim=claim,
        actor=actor,
        kind=ClaimEvent.Kind.EDIT,
        from_status=claim.status,
        to_status=claim.status,
        note=note,
        changes={field: [old, new] for field, (old, new) in changes.items()},
    )


def _shown(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
