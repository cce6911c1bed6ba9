"""Publishing a verdict: the claim becomes `published` and a FactCheck with its first version is created."""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from claims.history import took_part_in_review
from claims.models import Claim, ClaimStatus
from claims.transitions import lock_claim, transition_claim
from core.errors import EditedSince, FourEyesViolation, IllegalTransition, InvalidInput
from core.freshness import invalidate_public_pages
from core.names import Event
from core.outbox import record_event
from core.public_links import link_error
from core.roles import require_editor
from core.slugs import slug_base
from core.text import is_blank, normalise_newlines, optional_text
from factcheck.record import matching
from factcheck.record.models import FactCheck, FactCheckVersion, Rating
from factcheck.record.selectors import rating_on_default_scale
from factcheck.record.snapshot import differs, snapshot

# Webhooks hear of each change through the outbox: its event row commits with the change (core.outbox). The matcher
# hears of it beside the event, in the same transaction (factcheck.record.matching).


@dataclass(frozen=True)
class VerdictContent:
    rating: Rating
    summary: str
    explanation: str
    sources: list[dict]
    # Who checked the claim: the page credits them beside the approving editor (settings.FACTCHECK_CREDITS).
    reviewer: AbstractBaseUser | None = None


def _unique_slug(claim: Claim) -> str:
    # The claim's id makes it unique; the words before it are transliterated, so a claim in any script reads well.
    return f"{slug_base(claim.text, max_length=90, fallback='claim')}-{claim.pk}"


def _make_current(fact_check: FactCheck, version: FactCheckVersion, *also: str) -> None:
    """`version` becomes what the fact-check shows; the search document follows it in the same UPDATE, along with
    the fields named in `also`."""
    fact_check.current_version = version
    fact_check.search_document = fact_check.searchable_text()
    fact_check.save(update_fields=["current_version", "search_document", *also])


def publish(*, claim: Claim, content: VerdictContent, editor, note: str = "") -> FactCheck:
    """Called by the desk when an editor approves; `claim` must be locked by the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("publish must run inside transaction.atomic()")
    transition_claim(claim, to=ClaimStatus.PUBLISHED, actor=editor, note=note, expect=(ClaimStatus.AWAITING_APPROVAL,))
    now = timezone.now()
    fact_check = FactCheck.objects.create(claim=claim, slug=_unique_slug(claim), published_at=now, updated_at=now)
    version = FactCheckVersion.objects.create(
        fact_check=fact_check,
        number=1,
        rating=content.rating,
        summary=content.summary,
        explanation=content.explanation,
        sources=content.sources,
        created_by=editor,
        reviewed_by=content.reviewer,
        **snapshot(rating=content.rating, claim=claim),
    )
    _make_current(fact_check, version)
    invalidate_public_pages()
    record_event(Event.FACTCHECK_PUBLISHED, version.pk)
    matching.index_version(version)
    return fact_check


def _locked_fact_check(claim_id: int) -> FactCheck:
    """The claim's fact-check, read after the claim's row lock: a parallel correction or retraction has either
    committed (and is seen here) or waits for ours, so the status check below cannot go stale."""
    claim = lock_claim(claim_id)
    fact_check = FactCheck.objects.select_related("current_version__rating__scale").filter(claim=claim).first()
    if fact_check is None or claim.status != ClaimStatus.PUBLISHED:
        raise IllegalTransition(f"A claim that is {claim.status} has no published verdict to change.")
    fact_check.claim = claim
    return fact_check


def _accessed_today(sources: list[dict]) -> list[dict]:
    today = timezone.localdate().isoformat()
    return [{**source, "accessed_at": today} for source in sources]


def _cited(sources: list[dict]) -> list[dict]:
    """Sources as cited, whenever they were accessed: sending the same list again is no change."""
    return [{k: v for k, v in source.items() if k != "accessed_at"} for source in sources]


def _shows_the_same(previous: FactCheckVersion, fields: dict) -> bool:
    """Whether a version of `fields` would show what `previous` shows. Line breaks are compared as "\\n": a verdict
    posted back from a browser's form arrives with "\\r\\n"."""
    same_text = fields["rating"] == previous.rating and all(
        normalise_newlines(fields[name]) == normalise_newlines(getattr(previous, name))
        for name in ("summary", "explanation")
    )
    return same_text and _cited(fields["sources"]) == _cited(previous.sources) and not differs(previous, fields)


def _refuse_no_change(previous: FactCheckVersion, fields: dict) -> None:
    """A version identical to the last would put a correction in the log that corrects nothing."""
    if _shows_the_same(previous, fields):
        raise InvalidInput(
            {
                "non_field_errors": [
                    f"This correction changes nothing version {previous.number} shows. Send the rating, summary, "
                    "explanation or sources that change, with the note saying why; nothing was published."
                ]
            }
        )


def _text_or_none(value: str | None) -> str | None:
    return None if value is None else normalise_newlines(value)


def _repeats(previous: FactCheckVersion, based_on: int | None, editor, note: str, fields: dict) -> bool:
    """The editor's own correction sent again (a second click, the browser's back and resubmit): the version it
    made is the current one, right after the one the form was filled from, with the same note and content."""
    own_next = based_on is not None and previous.number == based_on + 1 and previous.created_by_id == editor.pk
    return own_next and previous.note == note and _shows_the_same(previous, fields)


def _refuse_stale(previous: FactCheckVersion, based_on: int | None) -> None:
    """A form filled from an older version posts that version's text back: publishing it would silently undo the
    corrections made since."""
    if based_on is not None and based_on != previous.number:
        raise EditedSince(
            f"The verdict was corrected since you opened this form (now version {previous.number}): "
            "reload and correct again."
        )


@transaction.atomic
def correct(
    *,
    claim_id: int,
    editor,
    note: str,
    rating: str | None = None,
    summary: str | None = None,
    explanation: str | None = None,
    sources: list[dict] | None = None,
    based_on: int | None = None,
) -> FactCheckVersion:
    """A correction keeps the claim published and adds a new immutable version with a public note.

    `rating` is a slug on the default scale; new `sources` are stamped as accessed today. The version copies the
    rating, claimant and report as they are now, so a correction is also how an edit to those rows reaches the
    page. One that would change nothing the current version shows is refused (InvalidInput). `based_on` is the
    version number the caller's form was filled from: when another correction came in since, it is refused
    (EditedSince) rather than publishing the older text over it; when the one since is this editor's own, with the
    same note and content, the same correction was sent twice, and that version is the answer.
    """
    require_editor(editor, "correct published verdicts")
    note, summary, explanation = normalise_newlines(note), _text_or_none(summary), _text_or_none(explanation)
    if is_blank(note):
        raise InvalidInput({"note": ["A correction needs a public note saying what changed."]})
    sources = None if sources is None else _checked_sources(sources)
    fact_check = _locked_fact_check(claim_id)
    previous = fact_check.current_version
    if previous.reviewed_by_id == editor.pk or took_part_in_review(claim_id, editor):
        # Approval needed a second person; so does changing what was approved.
        raise FourEyesViolation("The reviewer of a verdict may not correct it: another editor does.")
    new_rating = rating_on_default_scale(rating) if rating else previous.rating
    fields = {
        "rating": new_rating,
        "summary": previous.summary if summary is None else summary,
        "explanation": previous.explanation if explanation is None else explanation,
        "sources": previous.sources if sources is None else _accessed_today(sources),
        **snapshot(rating=new_rating, claim=fact_check.claim),
    }
    if _repeats(previous, based_on, editor, note, fields):
        return previous  # the same correction twice is one correction
    _refuse_stale(previous, based_on)
    _refuse_incomplete(fields)
    _refuse_no_change(previous, fields)
    version = FactCheckVersion.objects.create(
        fact_check=fact_check,
        number=previous.number + 1,
        note=note,
        created_by=editor,
        reviewed_by_id=previous.reviewed_by_id,  # a correction is the editor's; the check stays the reviewer's
        **fields,
    )
    fact_check.updated_at = version.created_at
    _make_current(fact_check, version, "updated_at")
    invalidate_public_pages()
    record_event(Event.FACTCHECK_CORRECTED, version.pk)
    matching.index_version(version)
    return version


def _checked_sources(sources: list[dict]) -> list[dict]:
    """New sources are published as links: each must be one readers can open, and have a title that shows, as a
    reviewer's are; a title or publisher is stored normalised, so a publisher that shows nothing is none."""
    errors, checked = {}, []
    for source in sources:
        texts = {field: optional_text(source[field]) for field in ("title", "publisher") if field in source}
        for field in ("url", "archive_url"):
            if (url := source.get(field)) and (message := link_error(url)):
                errors.setdefault(f"sources.{field}", []).append(message)
        if not texts.get("title"):
            errors.setdefault("sources.title", []).append("A source needs its title.")
        checked.append({**source, **texts})
    if errors:
        raise InvalidInput(errors)
    return checked


def _refuse_incomplete(fields: dict) -> None:
    """A corrected verdict keeps what submitting a review asks for: a summary, an explanation and a source."""
    missing = {}
    if is_blank(fields["summary"]):
        missing["summary"] = ["A verdict needs its summary."]
    if is_blank(fields["explanation"]):
        missing["explanation"] = ["A verdict needs its explanation."]
    if not fields["sources"]:
        missing["sources"] = ["A verdict keeps at least one source."]
    if missing:
        raise InvalidInput(missing)


@transaction.atomic
def retract(*, claim_id: int, editor, reason: str) -> FactCheck:
    """The verdict is withdrawn; its page stays as a tombstone that says why."""
    require_editor(editor, "retract published verdicts")
    reason = normalise_newlines(reason)
    if is_blank(reason):
        raise InvalidInput({"reason": ["Say why the verdict is retracted."]})
    fact_check = _locked_fact_check(claim_id)
    transition_claim(
        fact_check.claim, to=ClaimStatus.RETRACTED, actor=editor, note=reason, expect=(ClaimStatus.PUBLISHED,)
    )
    fact_check.retracted_at = fact_check.updated_at = timezone.now()
    fact_check.retraction_reason = reason
    fact_check.save(update_fields=["retracted_at", "updated_at", "retraction_reason"])
    invalidate_public_pages()
    record_event(Event.FACTCHECK_RETRACTED, fact_check.pk)
    matching.withdraw(fact_check)
    return fact_check
