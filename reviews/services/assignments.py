"""Writes for the queue: routing, manual assignment, accept and decline."""

import logging
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.models import Claim, ClaimStatus
from claims.transitions import lock_claim, transition_claim
from core.dispatch import enqueue_on_commit
from core.errors import EditedSince, FourEyesViolation, IllegalTransition, InvalidInput, NotAllowed
from core.names import Task
from core.roles import is_editor, is_reviewer
from core.sentinels import UNSET
from core.text import optional_text
from reviews import selectors
from reviews.models import ACTIVE_STATES, Assignment, AssignmentState, ReviewerProfile
from reviews.routing import choose_reviewer
from reviews.services import batch_routing
from reviews.services.deadlines import sla_deadlines

log = logging.getLogger(__name__)
ROUTING_ATTEMPTS = 10
# Runs one claim's routing for route_waiting_claims: (claim id, the work) → the work's answer.
Guard = Callable[[int, Callable[[], "Assignment | None"]], "Assignment | None"]


class _ReviewerFilledUp(Exception):
    """The chosen reviewer reached capacity between choosing and locking; routing starts over without them."""

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id


def _offer(claim: Claim, reviewer, *, assigned_by=None, note: str = "") -> Assignment:
    now = timezone.now()
    accept_by, due_at = sla_deadlines(claim.priority, now)
    assignment = Assignment.objects.create(
        claim=claim,
        reviewer=reviewer,
        assigned_by=assigned_by,
        offered_at=now,
        accept_by=accept_by,
        due_at=due_at,
    )
    note = f"Offered to {reviewer.get_username()}" + (f": {note}" if note else "")
    transition_claim(claim, to=ClaimStatus.ASSIGNED, actor=assigned_by, note=note, expect=(ClaimStatus.QUEUED,))
    enqueue_on_commit(Task.NOTIFY_OFFER, assignment.pk)
    return assignment


def return_to_queue(assignment: Assignment, *, state: str, actor=None, note: str = "", now=None) -> None:
    """End an active assignment (declined, expired, released) and put its claim back in the queue for rerouting.

    Both rows must be locked by the caller's transaction. Only an active assignment ends here: the claim and its
    assignment always change together, or a claim could sit in the queue with an offer still open.
    """
    if assignment.state not in ACTIVE_STATES:
        raise IllegalTransition(f"An assignment that is {assignment.state} has already ended.")
    claim = lock_claim(assignment.claim_id)
    transition_claim(
        claim, to=ClaimStatus.QUEUED, actor=actor, note=note, expect=(ClaimStatus.ASSIGNED, ClaimStatus.IN_REVIEW)
    )
    assignment.state = state
    assignment.finished_at = now or timezone.now()
    assignment.reason = note
    assignment.save(update_fields=["state", "finished_at", "reason"])
    enqueue_on_commit(Task.ROUTE_CLAIM, claim.pk)


def _route_once(claim_id: int, passed_over: frozenset[int]) -> Assignment | None:
    with transaction.atomic():
        claim = Claim.objects.select_for_update().filter(pk=claim_id).first()
        if claim is None or claim.status != ClaimStatus.QUEUED:
            return None
        facts = selectors.claim_facts(claim)
        candidates = [c for c in selectors.routing_candidates(claim.language) if c.user_id not in passed_over]
        choice = choose_reviewer(facts, candidates)
        if choice is None:
            log.info("claim %s stays queued: no eligible reviewer", claim_id)
            return None
        # The lock serialises offers to one reviewer, so two claims routed at once cannot both take the last slot.
        profile = (
            ReviewerProfile.objects.select_for_update(of=("self",)).select_related("user").get(user_id=choice.user_id)
        )
        if selectors.active_load(profile.user_id) >= profile.capacity:
            raise _ReviewerFilledUp(profile.user_id)
        return _offer(claim, profile.user)


def route_claim(*, claim_id: int) -> Assignment | None:
    """Offer a queued claim to the best eligible reviewer; a no-op for claims that are gone or no longer queued."""
    passed_over: frozenset[int] = frozenset()
    for _ in range(ROUTING_ATTEMPTS):
        try:
            return _route_once(claim_id, passed_over)
        except _ReviewerFilledUp as full:
            # Someone else took that reviewer's last slot: try the next best rather than the same one again.
            passed_over |= {full.user_id}
        except IntegrityError:
            # Another router created the active assignment first: exactly one wins, the database says which.
            return None
    return None


@transaction.atomic
def assign_by_hand(
    *, claim_id: int, editor, reviewer_id: int, note: str = "", based_on_assignment: int | None = UNSET
) -> Assignment:
    """An editor overrides the policy, not the four-eyes rules: offer the claim to a reviewer of their choice.

    A claim already with a reviewer is reassigned: the current assignment is released first. `based_on_assignment`
    is the active assignment's id the editor saw (None: the claim had none): when another one is active now (someone
    assigned or reassigned it since), it is refused (EditedSince) rather than silently withdrawn. Left out, whatever
    is active is released.
    """
    if not is_editor(editor):
        raise NotAllowed("Only editors assign claims by hand.")
    note = optional_text(note)
    claim = lock_claim(claim_id)
    reviewer = get_user_model().objects.filter(pk=reviewer_id, is_active=True).first()
    if reviewer is None or not is_reviewer(reviewer):
        raise InvalidInput({"reviewer": ["No such reviewer."]})
    if reviewer.pk == claim.submitted_by_id:
        raise FourEyesViolation("A reviewer may not review a claim they submitted.")
    if claim.status not in (ClaimStatus.QUEUED, ClaimStatus.ASSIGNED, ClaimStatus.IN_REVIEW):
        raise IllegalTransition(f"A claim that is {claim.status} cannot be assigned.")
    current = Assignment.objects.select_for_update().active().filter(claim=claim).first()
    if current is not None and current.reviewer_id == reviewer.pk:
        raise IllegalTransition(f"The claim is already {claim.status} with this reviewer.")
    _refuse_stale(current, based_on_assignment)
    if current is not None:
        return_to_queue(
            current, state=AssignmentState.RELEASED, actor=editor, note=note or f"Reassigned by {editor.get_username()}"
        )
        claim.refresh_from_db()
    return _offer(claim, reviewer, assigned_by=editor, note=note)


def _refuse_stale(current: Assignment | None, based_on_assignment: int | None) -> None:
    """A choice made on a page that showed another holder, or none, would withdraw an offer made since without a
    word. An assignment that ended since (declined, expired) withdraws nothing: the claim is simply queued again."""
    if current is None or based_on_assignment is UNSET or current.pk == based_on_assignment:
        return
    raise EditedSince(
        f"The claim was assigned to {current.reviewer.get_username()} since you opened this page: "
        "choose again if it should still go to another reviewer."
    )


def _lock_own_assignment(assignment_id: int, reviewer) -> Assignment:
    assignment = Assignment.objects.select_for_update().filter(pk=assignment_id).first()
    if assignment is None:
        raise Assignment.DoesNotExist
    if assignment.reviewer_id != reviewer.pk:
        # Editors see every assignment (API and admin) but only its reviewer may answer an offer.
        raise NotAllowed("Only the reviewer an assignment was offered to may accept or decline it.")
    return assignment


@transaction.atomic
def accept_assignment(*, assignment_id: int, reviewer, note: str = "") -> Assignment:
    """The reviewer takes the offer; `note` goes into the claim's history."""
    note = optional_text(note)
    assignment = _lock_own_assignment(assignment_id, reviewer)
    if assignment.state != AssignmentState.OFFERED:
        raise IllegalTransition(f"An assignment that is {assignment.state} cannot be accepted.")
    if assignment.accept_by <= timezone.now():
        # The sweep has not run yet, but the deadline is the rule, not the sweep.
        raise IllegalTransition("This offer has expired; the claim goes back to the queue.")
    claim = lock_claim(assignment.claim_id)
    transition_claim(claim, to=ClaimStatus.IN_REVIEW, actor=reviewer, note=note, expect=(ClaimStatus.ASSIGNED,))
    assignment.state = AssignmentState.ACCEPTED
    assignment.accepted_at = timezone.now()
    assignment.save(update_fields=["state", "accepted_at"])
    return assignment


@transaction.atomic
def decline_assignment(*, assignment_id: int, reviewer, reason: str = "") -> Assignment:
    """The reviewer turns the offer down; the claim goes back to the queue and is rerouted to someone else."""
    reason = optional_text(reason)
    assignment = _lock_own_assignment(assignment_id, reviewer)
    if assignment.state != AssignmentState.OFFERED:
        raise IllegalTransition(f"An assignment that is {assignment.state} cannot be declined.")
    return_to_queue(assignment, state=AssignmentState.DECLINED, actor=reviewer, note=reason or "Declined")
    return assignment


def _unguarded(claim_id: int, work: Callable[[], Assignment | None]) -> Assignment | None:
    return work()


def _route_one_by_one(claim_ids: list[int], guard: Guard) -> int:
    return sum(
        guard(claim_id, lambda claim_id=claim_id: route_claim(claim_id=claim_id)) is not None for claim_id in claim_ids
    )


def _route_chunk(claim_ids: list[int], guard: Guard, full: set[str]) -> int:
    try:
        result = batch_routing.route_claims(claim_ids=claim_ids, limit=len(claim_ids))
    except Exception:  # one bad row fails its batch: route that batch claim by claim, so only the bad row is skipped
        log.warning("batch routing of claims %s failed; routing them one by one", claim_ids, exc_info=True)
        return _route_one_by_one(claim_ids, guard)
    full |= result.full_languages
    return len(result.routed)


def route_waiting_claims(*, guard: Guard = _unguarded) -> int:
    """The periodic sweep's routing part: offer queued claims, most urgent first, that now have a reviewer.

    Claims are routed in batches (reviews.services.batch_routing). Once a language has no reviewer with a free slot,
    its remaining claims are skipped for this sweep, so a backlog nobody can take costs one check per language
    instead of a routing attempt per claim. A batch that raises is routed again claim by claim through `guard` (the
    sweep passes one that logs and skips a claim that fails; it answers None for it).
    """
    waiting = Claim.objects.filter(status=ClaimStatus.QUEUED).in_queue_order().values_list("pk", "language")
    full: set[str] = set()
    routed = 0
    chunk: list[int] = []
    for claim_id, language in waiting.iterator(chunk_size=1000):
        if language in full:
            continue
        chunk.append(claim_id)
        if len(chunk) == batch_routing.BATCH_SIZE:
            routed += _route_chunk(chunk, guard, full)
            chunk = []
    if chunk:
        routed += _route_chunk(chunk, guard, full)
    return routed
