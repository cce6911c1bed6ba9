"""Routing in batches: many queued claims offered in one transaction, with the same choices as one at a time.

Why: a routing transaction costs a dozen statements and ten times a no-op task's CPU whatever it routes, so routing
claims one per task cannot keep up with a busy desk (bench/README.md). A batch pays that once for up to BATCH_SIZE
claims: one statement locks the claims, two read their topics and exclusions, three read and lock the reviewers of
all the batch's languages and their loads, and one INSERT, one UPDATE and two more INSERTs write every offer.

Who sends a batch (the coalescing design):

- A claim accepted in triage (or put back in the queue) still sends one `reviews.route_claim` for itself after the
  commit: claims cannot know about the desk's batching. That task returns at once when its claim is no longer
  queued. Otherwise it routes its own claim first, so it is routed at once as before, and up to BATCH_SIZE - 1 other
  queued claims in queue order in the same transaction (`route_claim_and_backlog`). When an editor accepts 500 claims
  at once, the first tasks route them in batches and most of the 500 tasks find their claim routed and return.
- `reviews.route_claims` routes a list of ids (whoever holds many ids sends one task rather than one per claim).
- The queue sweep (`assignments.route_waiting_claims`) routes the whole queue, BATCH_SIZE claims at a time.

Never twice, never lost:

- Only queued claims are taken, under a row lock: a claim routed meanwhile is no longer queued. The task's own
  claim is locked as the single-claim path locks it (waiting, since the lock may belong to a transaction that will
  not route it, such as a second triage of the claim about to fail). The others are locked `FOR UPDATE SKIP
  LOCKED`: a batch never waits for another. A claim taken along from the queue that someone else holds has its own
  task (and the sweep); a claim named by id that someone else holds is tried again, like a held one below. The
  UPDATE to `assigned` re-checks `status = 'queued'` and the partial unique constraint allows one active assignment
  per claim, so a bug fails the batch, not the rule.
- Reviewers are locked `FOR UPDATE SKIP LOCKED` too, so two batches never wait on each other (nor deadlock): each
  routes to the reviewers it holds. Their loads are read in the next statement, which sees every offer committed by
  whoever held a reviewer before, so nobody is booked above capacity. A claim that found no reviewer only because
  the ones who could take it were held by another router is tried again in a fresh transaction (ROUNDS times,
  briefly apart); if still held, the task sends it again a second later (reviews.tasks), and the sweep remains
  behind that.
- Tasks take ids and re-read rows: a claim that was routed, taken out of the queue or deleted is skipped.

Same choices as one at a time: claims are handled in queue order (the task's own claim first) and each is given to
`routing.choose_reviewer` with the candidates' loads and last offers as the single-claim path would read them after
the offers before it: the chosen reviewer's load goes up by one and their last offer becomes this one. Offers of a
batch are stamped at least a microsecond apart, so the fair rotation sees the order in which they were made, as it
would for offers made in separate transactions. Only when another router holds some reviewers at the same moment do
the choices differ: the batch then chooses among those it holds (capacity, language, four eyes and exclusions still
hold; the rotation is fair among them).
"""

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from claims.models import PRIORITY_RANK, Claim, ClaimStatus
from reviews import selectors
from reviews.models import ReviewerProfile
from reviews.routing import Candidate, ClaimFacts, choose_reviewer, is_eligible
from reviews.services.bulk_offers import Offer, make_offers
from reviews.services.deadlines import sla_deadlines

log = logging.getLogger(__name__)
BATCH_SIZE = 50
ROUNDS = 5
_PAUSE_S = 0.02  # before another round: long enough for the router holding the reviewers to commit
_TICK = timedelta(microseconds=1)


@dataclass
class BatchResult:
    routed: dict[int, int] = field(default_factory=dict)  # claim id → assignment id
    unroutable: list[int] = field(default_factory=list)  # stays queued: no eligible reviewer has room
    held: list[int] = field(default_factory=list)  # stays queued: its possible reviewers were held by another router
    full_languages: set[str] = field(default_factory=set)  # no reviewer of the language has room (none was held)

    def merge(self, other: "BatchResult") -> None:
        self.routed.update(other.routed)
        self.unroutable += other.unroutable
        self.held = other.held
        self.full_languages |= other.full_languages


def _lock_claims(claim_ids: Sequence[int] | None, first: int | None, limit: int) -> tuple[list[Claim], list[int]]:
    """The queued claims this batch routes, locked, in the order it routes them; and the queued claims among
    `claim_ids` it could not lock, to be tried again."""
    own: list[Claim] = []
    if first is not None:
        # Waits, as the single-claim path does: the lock on it may be held by a transaction that is not routing it
        # (a second triage of the same claim, about to fail), and skipping it would leave it for the sweep.
        own = list(Claim.objects.filter(pk=first, status=ClaimStatus.QUEUED).select_for_update())
        if not own:
            return [], []
        limit -= 1
    claims = Claim.objects.filter(status=ClaimStatus.QUEUED)
    if first is not None:
        claims = claims.exclude(pk=first)
    if claim_ids is not None:
        claims = claims.filter(pk__in=claim_ids)
    queue_order = claims.alias(priority_rank=PRIORITY_RANK).order_by("priority_rank", "status_changed_at", "id")
    others = list(queue_order.select_for_update(skip_locked=True)[:limit]) if limit > 0 else []
    skipped: list[int] = []
    wanted = set(claim_ids or ())
    if claim_ids is not None and len(others) < min(limit, len(wanted)):
        missing = wanted - {claim.pk for claim in others}
        skipped = list(Claim.objects.filter(pk__in=missing, status=ClaimStatus.QUEUED).values_list("pk", flat=True))
    selectors.prefetch_routing_facts(own + others)
    return own + others, skipped


def _lock_reviewers(languages: set[str]) -> tuple[dict[int, Candidate], dict[int, str], list[selectors.Speaker]]:
    """Candidates among the reviewers this transaction could lock, their names, and the speakers held elsewhere."""
    speakers = selectors.speakers_of(languages)
    locked = set(
        ReviewerProfile.objects.filter(pk__in=[s.profile_id for s in speakers])
        .order_by("pk")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)
    )
    loads = selectors.loads_of(sorted(locked))
    pool, names = {}, {}
    for speaker in speakers:
        if speaker.profile_id in locked and speaker.user_id in loads:
            load, last_offered_at = loads[speaker.user_id]
            pool[speaker.user_id] = Candidate(
                speaker.user_id, speaker.languages, speaker.topics, speaker.capacity, load, last_offered_at
            )
            names[speaker.user_id] = speaker.username
    return pool, names, [s for s in speakers if s.profile_id not in locked]


def _is_held(facts: ClaimFacts, held: list[selectors.Speaker]) -> bool:
    """Could one of the reviewers another router holds take this claim (if they have room)?"""
    return any(is_eligible(facts, Candidate(s.user_id, s.languages, s.topics, s.capacity, load=0)) for s in held)


@transaction.atomic
def _route_once(claim_ids: Sequence[int] | None, first: int | None, limit: int) -> BatchResult:
    claims, skipped = _lock_claims(claim_ids, first, limit)
    # Queued but locked by someone else: most often a router that is offering it, but it may be a transaction that
    # does not route (a failed triage), so it is tried again like a claim whose reviewers were held.
    result = BatchResult(held=skipped)
    if not claims:
        return result
    languages = {claim.language for claim in claims}
    pool, names, held = _lock_reviewers(languages)
    offers: list[Offer] = []
    last_stamp = None
    for claim in claims:
        facts = selectors.claim_facts(claim)
        choice = choose_reviewer(facts, list(pool.values()))
        if choice is None:
            if _is_held(facts, held):
                result.held.append(claim.pk)
            else:
                log.info("claim %s stays queued: no eligible reviewer", claim.pk)
                result.unroutable.append(claim.pk)
            continue
        now = timezone.now()
        offered_at = now if last_stamp is None or now > last_stamp else last_stamp + _TICK
        last_stamp = offered_at
        # What the single-claim path would read back for the next claim after this offer commits.
        pool[choice.user_id] = replace(choice, load=choice.load + 1, last_offered_at=offered_at)
        accept_by, due_at = sla_deadlines(claim.priority, offered_at)
        offers.append(Offer(claim, choice.user_id, names[choice.user_id], offered_at, accept_by, due_at))
    assignments = make_offers(offers)
    result.routed = {a.claim_id: a.pk for a in assignments}
    held_languages = {language for s in held for language in s.languages}
    result.full_languages = {
        language
        for language in languages - held_languages
        if not any(language in c.languages and c.load < c.capacity for c in pool.values())
    }
    return result


def route_claims(
    *, claim_ids: Sequence[int] | None = None, first: int | None = None, limit: int = BATCH_SIZE
) -> BatchResult:
    """Route up to `limit` queued claims in one transaction: those of `claim_ids` (all queued ones when None), in
    queue order, `first` before the others. Claims whose reviewers another router held are tried again."""
    result = _route_once(claim_ids, first, limit)
    for attempt in range(1, ROUNDS):
        if not result.held:
            break
        time.sleep(_PAUSE_S * attempt)
        result.merge(_route_once(result.held, None, len(result.held)))
    if result.held:
        log.info("claims %s stay queued: their reviewers were busy with another routing", result.held)
    return result


def route_listed(claim_ids: Sequence[int]) -> BatchResult:
    """Route the queued claims of `claim_ids`, BATCH_SIZE per transaction; `held` lists those to try again later."""
    total = BatchResult()
    for start in range(0, len(claim_ids), BATCH_SIZE):
        chunk = claim_ids[start : start + BATCH_SIZE]
        result = route_claims(claim_ids=chunk, limit=len(chunk))
        total.routed.update(result.routed)
        total.unroutable += result.unroutable
        total.held += result.held
        total.full_languages |= result.full_languages
    return total


def route_claim_and_backlog(*, claim_id: int, size: int = BATCH_SIZE) -> BatchResult:
    """The on-commit routing of one claim, which takes up to `size` - 1 other queued claims along. Its own claim is
    in `routed` unless it is no longer queued (routed already, most often by another claim's batch), nobody can take
    it, or its reviewers were held by another router (`held`)."""
    if not Claim.objects.filter(pk=claim_id, status=ClaimStatus.QUEUED).exists():
        return BatchResult()
    return route_claims(first=claim_id, limit=size)
