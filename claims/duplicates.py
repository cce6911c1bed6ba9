"""An editor's finding at triage that a claim repeats another: the duplicate is rejected with a link to the canonical
claim, and from then on shows the canonical claim's verdict (published now or later) instead of one of its own."""

from django.db import transaction

from claims import matching
from claims.matching.models import MatchDocument
from claims.models import Claim, ClaimStatus
from claims.transitions import lock_claim, record_edit, transition_claim
from core.errors import IllegalTransition, InvalidInput
from core.roles import require_editor
from core.text import optional_text


def _canonical(canonical_id: int) -> Claim:
    """The claim a duplicate points at; a duplicate of a duplicate points at the first, so chains stay one link."""
    canonical = Claim.objects.filter(pk=canonical_id).first()
    if canonical is None:
        raise InvalidInput({"canonical": ["No such claim."]})
    return canonical.duplicate_of if canonical.duplicate_of_id else canonical


@transaction.atomic
def mark_duplicate(*, claim_id: int, canonical_id: int, editor, note: str = "") -> Claim:
    """Reject a submitted claim as a duplicate of `canonical_id` (or link an already rejected one).

    Marking it again as a duplicate of the same claim (a second tab, a resubmitted form) changes nothing and records
    nothing; the claim comes back with `already_marked` set so that callers can say so."""
    require_editor(editor, "mark duplicates")
    claim = lock_claim(claim_id)
    if canonical_id == claim.pk:
        raise InvalidInput({"canonical": ["A claim cannot be a duplicate of itself."]})
    canonical = _canonical(canonical_id)
    if canonical.pk == claim.pk:
        raise InvalidInput(
            {"canonical": [f"Claim {canonical_id} is a duplicate of this one: this claim is the canonical claim."]}
        )
    claim.already_marked = claim.duplicate_of_id == canonical.pk
    if claim.already_marked:
        return claim
    if claim.duplicates.exists():
        raise IllegalTransition("Other claims are duplicates of this one: mark the canonical claim instead.")
    if claim.status not in (ClaimStatus.SUBMITTED, ClaimStatus.REJECTED):
        raise IllegalTransition(
            f"A claim that is {claim.status} is already with the desk; duplicates are marked at triage."
        )
    note = optional_text(note)  # a note that shows nothing (invisible characters, lone marks) adds nothing
    reason = f"Duplicate of claim {canonical.pk}." + (f" {note}" if note else "")
    if claim.status == ClaimStatus.SUBMITTED:
        transition_claim(claim, to=ClaimStatus.REJECTED, actor=editor, note=reason, expect=(ClaimStatus.SUBMITTED,))
    previous = claim.duplicate_of_id
    claim.duplicate_of = canonical
    claim.save(update_fields=["duplicate_of"])
    record_edit(claim, actor=editor, changes={"duplicate_of": (previous, canonical.pk)})
    # Offering the duplicate as an "earlier claim" would only point people at the canonical one twice.
    matching.deactivate(MatchDocument.Kind.CLAIM, claim.pk)
    return claim
