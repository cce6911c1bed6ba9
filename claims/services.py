"""Writes for reports and claims: submission, edits while submitted, triage, and the topics and claimants that
claims name."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import indexing, matching
from claims.citing import citable_report, citable_sentence, claim_made_from, guessed_language, locate_in_report
from claims.ingest.services import require_submitter, submit_report  # noqa: F401  (reports are submitted here too)
from claims.ingest.tracking import record_claim_appearance
from claims.models import Claim, Claimant, ClaimStatus, Priority, Topic
from claims.selectors import topics_by_slug
from claims.similar import similar_to_text
from claims.transitions import lock_claim, record_creation, record_edit, transition_claim
from core.dispatch import enqueue_on_commit
from core.errors import DomainError, IllegalTransition, InvalidInput, NotAllowed
from core.freshness import invalidate_public_pages
from core.names import Task
from core.roles import is_editor, require_editor
from core.sentinels import UNSET
from core.slugs import slug_base, unique_slug
from core.text import (
    is_blank,
    name_key,
    normalise_name,
    normalise_newlines,
    normalise_text,
    optional_text,
    required_text,
)

# A parallel submission can take the name or the slug between our look-up and our insert; each retry looks again.
_CLAIMANT_ATTEMPTS = 3


def _insert_claimant(name: str, key: str, attempt: int, kind: str) -> Claimant:
    slug = ""  # Claimant.save picks the first free slug: "jane-roe", then "jane-roe-2"
    if attempt:
        # Another submission took the free slug we picked: one that only this name yields stops the contest.
        slug = f"{slug_base(name, max_length=190, fallback='claimant')}-{key[:8]}"
    with transaction.atomic():  # a savepoint: a refused insert leaves the caller's transaction usable
        return Claimant.objects.create(name=name, slug=slug, kind=kind)


def _claimant_kind(kind: str) -> str:
    if kind not in Claimant.Kind.values:
        raise InvalidInput({"claimant_kind": [f"Use one of: {', '.join(Claimant.Kind.values)}."]})
    return kind


def get_or_create_claimant(name: str, kind: str = Claimant.Kind.PERSON) -> Claimant | None:
    """The claimant of this name, matched whatever its case, spacing or Unicode form, created when new.

    `kind` (Person or Organization) is set on a new claimant only: a known claimant keeps the kind editors gave it.

    Safe under parallel submissions: the unique name key and slug refuse a second insert, which then finds the row
    that won (same name) or takes another slug (a different name with the same slug).
    """
    name = normalise_name(name)
    kind = _claimant_kind(kind)
    if not name:
        return None
    key = name_key(name)
    for attempt in range(_CLAIMANT_ATTEMPTS):
        claimant = Claimant.objects.filter(name_key=key).first()
        if claimant is not None:
            return claimant
        try:
            return _insert_claimant(name, key, attempt, kind)
        except IntegrityError:
            continue
    raise IllegalTransition(f"The claimant '{name}' is being added by someone else right now; try again.")


def submit_claim(
    *,
    user,
    text: str = "",
    language: str = "",
    report: int | None = None,
    quote: str = "",
    claimant: str = "",
    claimant_kind: str = Claimant.Kind.PERSON,
    claim_date: date | None = None,
    topics: list[str] | None = None,
    quote_from_text: bool = False,
    sentence: int | None = None,
    quote_start: int | None = None,
) -> Claim:
    """A new `submitted` claim. `claimant_kind` applies when the claimant is new; `quote_from_text` refuses a quote
    that the cited report's text does not contain. From a report's `sentence` (a candidate), the sentence is the
    quote at its place, its report is cited, and its text is the claim unless `text` words it otherwise.
    `quote_start` is a hint: where the quote was selected in the report's text, so that of a phrase standing there
    twice the selected one is stored.

    The answer carries `similar`: the closest earlier claims and verdicts (claims.similar), found before the claim
    itself joined the index. A sentence the submitter made a claim from already answers that claim, with
    `found_existing` set, and changes nothing.

    The sentence model reads the text before the transaction opens (some 20-60 ms of CPU that would otherwise hold a
    database connection, and under PgBouncer a server connection, idle in transaction)."""
    require_submitter(user)
    if not is_blank(text):
        matching.encode_ahead(normalise_text(text))
    language = language or guessed_language(user, text, report, sentence)
    with transaction.atomic():
        picked = citable_sentence(user, sentence) if sentence is not None else None
        if picked and (earlier := claim_made_from(user, picked)):
            earlier.found_existing = True
            earlier.similar = similar_to_text(
                earlier.text, language=earlier.language, user=user, exclude_claim=earlier.pk
            )
            return earlier
        report = picked.report if picked else citable_report(user, report)
        topic_objs = topics_by_slug(topics or [])
        text, quote = normalise_text(text or (picked.text if picked else "")), normalise_text(quote)
        if is_blank(text):
            raise InvalidInput({"text": ["Write the claim: this text shows nothing."]})
        if picked:
            quote, (start, end) = picked.text, (picked.start, picked.end)
        else:
            quote, start, end = locate_in_report(report, quote, required=quote_from_text, near=quote_start)
        claim = Claim(
            text=text,
            language=language,
            report=report,
            quote=quote,
            quote_start=start,
            quote_end=end,
            claimant=get_or_create_claimant(claimant, claimant_kind),
            claim_date=claim_date,
            checkworthiness=picked.score if picked else None,
            submitted_by=user,
        )
        claim.full_clean()
        claim.save()
        claim.topics.set(topic_objs)
        record_creation(claim, actor=user)
        claim.similar = indexing.match_and_index_claim(claim)
        record_claim_appearance(claim, claim.similar)
        return claim


@transaction.atomic
def edit_claim(
    *,
    claim_id: int,
    user,
    text: str = UNSET,
    quote: str = UNSET,
    claimant: str = UNSET,
    claimant_kind: str = Claimant.Kind.PERSON,
    claim_date: date | None = UNSET,
    language: str = UNSET,
    topics: list[str] = UNSET,
    priority: str = UNSET,
    quote_from_text: bool = False,
    quote_start: int | None = None,
) -> Claim:
    """The submitter (or an editor) corrects a claim until triage; what is left out stays as it is.

    Once triaged, the claim is the desk's and its wording is frozen (409): a reviewer checks what was accepted.
    `claimant_kind`, `quote_from_text` and `quote_start` mean what they mean in `submit_claim`; `priority` is the
    desk's, so only an editor sets it.
    """
    claim = lock_claim(claim_id)
    if (refusal := edit_refusal(claim, user)) is not None:
        raise refusal
    before = _audited_fields(claim)
    if text is not UNSET:
        claim.text = _visible_text(text)
    if priority is not UNSET:
        claim.priority = _priority_set_by(user, priority)
    if quote is UNSET and quote_start is not None:
        quote = claim.quote  # the same words, at the occurrence selected
    if quote is not UNSET:
        # Without a new place, the quote is looked for where it stood: an edit that sends the same words back (the
        # workspace's form always does) keeps a phrase the text holds twice at the occurrence picked.
        near = quote_start if quote_start is not None else claim.quote_start
        claim.quote, claim.quote_start, claim.quote_end = locate_in_report(
            claim.report, quote, required=quote_from_text, near=near
        )
    if claimant is not UNSET:
        claim.claimant = get_or_create_claimant(claimant, claimant_kind)
    if claim_date is not UNSET:
        claim.claim_date = claim_date
    if language is not UNSET:
        claim.language = language
    claim.full_clean()
    claim.save()
    if topics is not UNSET:
        claim.topics.set(topics_by_slug(topics))
    indexing.index_claim(claim)
    after = _audited_fields(claim)
    record_edit(claim, actor=user, changes={k: (before[k], after[k]) for k in before if before[k] != after[k]})
    return claim


def _visible_text(text: str) -> str:
    text = normalise_text(normalise_newlines(text))
    if is_blank(text):
        raise InvalidInput({"text": ["Write the claim: this text shows nothing."]})
    return text


def _priority_set_by(user, priority: str) -> str:
    if not is_editor(user):
        raise NotAllowed("Only editors set a claim's priority.")
    if priority not in Priority.values:
        raise InvalidInput({"priority": [f"Use one of: {', '.join(Priority.values)}."]})
    return priority


def edit_refusal(claim: Claim, user) -> DomainError | None:
    """Why `user` may not edit `claim` now, or None when they may: pages offer the edit only when this is None."""
    if claim.submitted_by_id != user.pk and not is_editor(user):
        return NotAllowed("Only the claim's submitter or an editor may edit it.")
    if claim.status != ClaimStatus.SUBMITTED:
        return IllegalTransition(f"A claim that is {claim.status} can no longer be edited.")
    return None


def _audited_fields(claim: Claim) -> dict[str, object]:
    """What an edit may change, as plain values for the audit row (names and slugs, not ids)."""
    return {
        "text": claim.text,
        "quote": claim.quote,
        "quote_start": claim.quote_start,
        "claimant": claim.claimant.name if claim.claimant else None,
        "claim_date": claim.claim_date.isoformat() if claim.claim_date else None,
        "language": claim.language,
        "topics": sorted(claim.topics.values_list("slug", flat=True)),
        "priority": claim.priority,
    }


@transaction.atomic
def triage_claim(*, claim_id: int, editor, decision: str, reason: str = "", priority: str | None = None) -> Claim:
    """An editor accepts a submitted claim into the queue (routing follows after commit) or rejects it."""
    if not is_editor(editor):
        raise NotAllowed("Only editors triage claims.")
    claim = lock_claim(claim_id)
    if decision == "accept":
        if priority:
            claim.priority = Priority(priority)
            claim.save(update_fields=["priority"])
        # Only a submitted claim is triaged: a repeated accept must not pull an assigned claim back to the queue.
        note = optional_text(reason)
        transition_claim(claim, to=ClaimStatus.QUEUED, actor=editor, note=note, expect=(ClaimStatus.SUBMITTED,))
        enqueue_on_commit(Task.ROUTE_CLAIM, claim.pk)
    elif decision == "reject":
        note = required_text(
            reason, field="reason", message="Say why the claim is rejected: this reason shows nothing."
        )
        transition_claim(claim, to=ClaimStatus.REJECTED, actor=editor, note=note, expect=(ClaimStatus.SUBMITTED,))
    else:
        raise InvalidInput({"decision": ["Use 'accept' or 'reject'."]})
    return claim


# The shared vocabulary of the desk: topics (routing and filters use them) and claimants. Editors curate both.


@transaction.atomic
def create_topic(*, user, name: str, slug: str = "") -> Topic:
    """A topic under the editor's slug, or one made from its name in any script ("Здоровье" → "zdorove")."""
    require_editor(user, "add topics")
    topic = Topic(name=_topic_name(name))
    try:
        topic.clean()  # a name taken already, whatever its case or spacing
        topic.slug = slug or unique_slug(Topic.objects.all(), topic.name, max_length=50, fallback="topic")
        if Topic.objects.filter(slug=topic.slug).exists():
            raise InvalidInput({"slug": [f"A topic '{topic.slug}' exists already."]})
        topic.clean_fields(exclude=["name_key"])
    except ValidationError as refused:  # the model's words, refused as every service refuses input
        raise InvalidInput(refused.message_dict) from None
    try:
        with transaction.atomic():
            topic.save()
    except IntegrityError:  # the same slug or name added in parallel: an answer, not a 500
        raise InvalidInput({"name": [f"The topic '{topic.name}' exists already."]}) from None
    return topic


def _topic_name(name: str) -> str:
    name = normalise_name(name)
    if is_blank(name):
        raise InvalidInput({"name": [Topic.NAME_SHOWS_NOTHING]})
    return name


@transaction.atomic
def update_topic(*, topic_id: int, user, name: str) -> Topic:
    """Editors rename a topic; its slug stays, as links and filters use it."""
    require_editor(user, "rename topics")
    topic = Topic.objects.select_for_update().get(pk=topic_id)
    topic.name = _topic_name(name)
    topic.clean()  # a name another topic has, whatever its case or spacing
    topic.clean_fields(exclude=["name_key"])
    try:
        with transaction.atomic():
            topic.save()
    except IntegrityError:  # renamed in parallel to the same name
        raise InvalidInput({"name": [f"The topic '{topic.name}' exists already."]}) from None
    invalidate_public_pages()  # topic pages and every verdict's topic links show the name
    return topic


@transaction.atomic
def update_claimant(
    *, claimant_id: int, user, name: str = UNSET, kind: str = UNSET, description: str = UNSET
) -> Claimant:
    """Editors fix a claimant's name, kind (Person or Organization, shown in ClaimReview) and description.

    The slug stays: it may already be part of links elsewhere.
    """
    require_editor(user, "edit claimants")
    claimant = Claimant.objects.select_for_update().get(pk=claimant_id)
    if name is not UNSET:
        # Submission matches claimants by name key (case, spacing, Unicode form), so two names with one key would
        # split one claimant's claims in two: Claimant.clean refuses the second.
        claimant.name = normalise_name(name)
    if kind is not UNSET:
        claimant.kind = kind
    if description is not UNSET:
        claimant.description = normalise_text(description)
    claimant.full_clean()
    try:
        with transaction.atomic():
            claimant.save()
    except IntegrityError:  # renamed in parallel to the same name
        raise InvalidInput({"name": [f"Another claimant is named '{claimant.name}'."]}) from None
    invalidate_public_pages()  # the claimant's page and the verdicts' bylines show the name
    return claimant
