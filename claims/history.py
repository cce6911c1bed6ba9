"""What each viewer sees of a claim's history.

Editors, and reviewers reading a claim offered to them, see every step with its actor and note. The claim's
submitter sees every step too, but the actor and note only on their own steps and where the step answers them:
triage's decision, the publication and a retraction's reason. Routing notes, reassignments, declines and an
editor's comments to the reviewer are the desk's own; the API and the workspace follow this one rule.
"""

from django.db.models import Q

from claims.models import ClaimEvent, ClaimStatus
from core.roles import is_editor

ANSWERS_THE_SUBMITTER = Q(
    from_status=ClaimStatus.SUBMITTED, to_status__in=[ClaimStatus.REJECTED, ClaimStatus.QUEUED]
) | Q(to_status__in=[ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED])


def answers_the_submitter(from_status: str, to_status: str) -> bool:
    triaged = from_status == ClaimStatus.SUBMITTED and to_status in (ClaimStatus.REJECTED, ClaimStatus.QUEUED)
    return triaged or to_status in (ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED)


def sees_the_desks_notes(viewer, submitted_by: str | None) -> bool:
    return is_editor(viewer) or viewer.get_username() != submitted_by


def history_for(viewer, submitted_by: str | None, steps: list[dict]) -> list[dict]:
    """`steps` as the API writes them ({"from", "to", "actor", "at", "note"}), as `viewer` may read them."""
    if sees_the_desks_notes(viewer, submitted_by):
        return steps
    own = viewer.get_username()
    return [
        step
        if step["actor"] == own or answers_the_submitter(step["from"], step["to"])
        else {**step, "actor": None, "note": ""}
        for step in steps
    ]


def answer_for(viewer, claim: dict) -> dict:
    """A claim as the API answers it (with `history` and `submitted_by`), as `viewer` may read it."""
    claim["history"] = history_for(viewer, claim["submitted_by"], claim["history"])
    return claim


# The steps only a claim's reviewer takes: accepting its offer and submitting its review.
TAKES_PART_IN_REVIEW = Q(from_status=ClaimStatus.ASSIGNED, to_status=ClaimStatus.IN_REVIEW) | Q(
    to_status=ClaimStatus.AWAITING_APPROVAL
)


def took_part_in_review(claim_id: int, user) -> bool:
    """Whether `user` ever accepted this claim's review or submitted it. A draft survives reassignment, so the review's
    last reviewer is not its only author: four eyes keeps every one of them from approving or correcting it."""
    steps = ClaimEvent.objects.filter(
        TAKES_PART_IN_REVIEW, claim_id=claim_id, actor=user, kind=ClaimEvent.Kind.TRANSITION
    )
    return steps.exists()
