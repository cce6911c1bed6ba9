"""What each viewer sees of a claim's history.

Editors, and reviewers reading a claim offered to them, see every step with its actor and note. The claim's
submitter sees every step too, but the actor and note only on their own steps and where the step answers them:
triage's decision, the publication and a retraction's reason. Routing notes, reassignments, declines and an
editor's comments to the reviewer are the desk's own; the API and the workspace follow this one rule.
"""

from django.db.models import Q

from claims.models import ClaimStatus
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
