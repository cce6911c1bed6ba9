"""Publishing a verdict: the claim becomes `published` and a FactCheck with its first version is created."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from claims.models import Claim, ClaimStatus
from claims.transitions import lock_claim, transition_claim
from core.dispatch import enqueue_on_commit
from core.errors import IllegalTransition, InvalidInput
from core.freshness import invalidate_public_pages
from core.names import Event, Task
from core.roles import require_editor
from factcheck.record.models import FactCheck, FactCheckVersion, Rating
from factcheck.record.selectors import rating_on_default_scale

# Webhooks hear of each change once it is committed (factcheck.tasks, by name: this module stays free of Celery).


@dataclass(frozen=True)
class VerdictContent:
    rating: Rating
    summary: str
    explanation: str
    sources: list[dict]


def _unique_slug(claim: Claim) -> str:
    base = slugify(claim.text)[:90].strip("-") or "claim"
    return f"{base}-{claim.pk}"


def publish(*, claim: Claim, content: VerdictContent, editor, note: str = "") -> FactCheck:
    """Called by the desk when an editor approves; `claim` must be locked by the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("publish must run inside transaction.atomic()")
    transition_claim(claim, to=ClaimStatus.PUBLISHED, actor=editor, note=note)
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
    )
    fact_check.current_version = version
    fact_check.save(update_fields=["current_version"])
    invalidate_public_pages()
    enqueue_on_commit(Task.EMIT_EVENT, Event.FACTCHECK_PUBLISHED, version.pk)
    return fact_check


def _locked_fact_check(claim_id: int) -> FactCheck:
    claim = lock_claim(claim_id)
    fact_check = FactCheck.objects.select_related("current_version__rating").filter(claim=claim).first()
    if fact_check is None or claim.status != ClaimStatus.PUBLISHED:
        raise IllegalTransition(f"A claim that is {claim.status} has no published verdict to change.")
    fact_check.claim = claim
    return fact_check


def _accessed_today(sources: list[dict]) -> list[dict]:
    today = timezone.localdate().isoformat()
    return [{**source, "accessed_at": today} for source in sources]


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
) -> FactCheckVersion:
    """A correction keeps the claim published and adds a new immutable version with a public note.

    `rating` is a slug on the default scale; new `sources` are stamped as accessed today.
    """
    require_editor(editor, "correct published verdicts")
    if not note.strip():
        raise InvalidInput({"note": ["A correction needs a public note saying what changed."]})
    fact_check = _locked_fact_check(claim_id)
    previous = fact_check.current_version
    version = FactCheckVersion.objects.create(
        fact_check=fact_check,
        number=previous.number + 1,
        note=note,
        created_by=editor,
        rating=rating_on_default_scale(rating) if rating else previous.rating,
        summary=previous.summary if summary is None else summary,
        explanation=previous.explanation if explanation is None else explanation,
        sources=previous.sources if sources is None else _accessed_today(sources),
    )
    fact_check.current_version = version
    fact_check.updated_at = version.created_at
    fact_check.save(update_fields=["current_version", "updated_at"])
    invalidate_public_pages()
    enqueue_on_commit(Task.EMIT_EVENT, Event.FACTCHECK_CORRECTED, version.pk)
    return version


@transaction.atomic
def retract(*, claim_id: int, editor, reason: str) -> FactCheck:
    """The verdict is withdrawn; its page stays as a tombstone that says why."""
    require_editor(editor, "retract published verdicts")
    if not reason.strip():
        raise InvalidInput({"reason": ["Say why the verdict is retracted."]})
    fact_check = _locked_fact_check(claim_id)
    transition_claim(fact_check.claim, to=ClaimStatus.RETRACTED, actor=editor, note=reason)
    fact_check.retracted_at = fact_check.updated_at = timezone.now()
    fact_check.retraction_reason = reason
    fact_check.save(update_fields=["retracted_at", "updated_at", "retraction_reason"])
    invalidate_public_pages()
    enqueue_on_commit(Task.EMIT_EVENT, Event.FACTCHECK_RETRACTED, fact_check.pk)
    return fact_check
