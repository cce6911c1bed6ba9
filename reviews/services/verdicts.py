"""Writes for the verdict: the reviewer's draft and submission, the editor's return, approval and what follows."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from claims.history import took_part_in_review
from claims.models import Claim, ClaimStatus
from claims.transitions import lock_claim, transition_claim
from core.errors import EditedSince, FourEyesViolation, IllegalTransition, InvalidInput, NotAllowed
from core.public_links import link_error
from core.roles import require_editor
from core.sentinels import UNSET
from core.text import is_blank, normalise_newlines, optional_text, required_text
from factcheck.record import services as publishing
from factcheck.record.models import FactCheck, Rating
from factcheck.record.selectors import rating_on_default_scale
from reviews.models import Assignment, AssignmentState, Review, Source


@dataclass(frozen=True)
class SourceInput:
    """A source as a reviewer gives it; its links must be http(s) and ones readers can open (core.public_links),
    whoever calls (API, workspace, admin, commands). Its title must show; a publisher that shows nothing is none."""

    url: str
    title: str
    publisher: str = ""
    archive_url: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", optional_text(self.title))
        object.__setattr__(self, "publisher", optional_text(self.publisher))
        errors = {}
        for field, value in (("url", self.url), ("archive_url", self.archive_url)):
            if (value or field == "url") and (message := link_error(value)):
                errors[f"sources.{field}"] = [message]
        if not self.title:
            errors["sources.title"] = ["A source needs its title."]
        if errors:
            raise InvalidInput(errors)


def _rating_by_slug(slug: str | None) -> Rating | None:
    return rating_on_default_scale(slug) if slug else None


def _accepted_assignment(claim: Claim, reviewer) -> Assignment:
    assignment = claim.assignments.filter(state=AssignmentState.ACCEPTED).first()
    if assignment is None or assignment.reviewer_id != reviewer.pk:
        raise NotAllowed("Only the reviewer who accepted this claim may work on its review.")
    return assignment


@transaction.atomic
def save_review(
    *, claim_id: int, reviewer, rating: str | None, summary: str, explanation: str, sources: list[SourceInput]
) -> Review:
    """Save the reviewer's draft; sources are replaced as a whole, in the order given."""
    review = lock_draft(claim_id=claim_id, reviewer=reviewer)
    review.reviewer = reviewer
    review.rating = _rating_by_slug(rating)
    # As a correction does: a textarea sends "\r\n", and the verdict's text is compared and published as stored.
    review.summary = normalise_newlines(summary)
    review.explanation = normalise_newlines(explanation)
    review.save()
    review.sources.all().delete()
    Source.objects.bulk_create(
        Source(review=review, url=s.url, title=s.title, publisher=s.publisher, archive_url=s.archive_url, position=i)
        for i, s in enumerate(sources)
    )
    return review


def _missing_parts(review: Review | None) -> dict[str, list[str]]:
    if review is None:
        return {"review": ["Save a review before submitting it."]}
    missing = {}
    if review.rating_id is None:
        missing["rating"] = ["Choose a rating."]
    # Zero-width and other invisible characters show nothing on the public page: a summary of them is missing.
    if is_blank(review.summary):
        missing["summary"] = ["Write a summary."]
    if is_blank(review.explanation):
        missing["explanation"] = ["Write the explanation."]
    if not review.sources.exists():
        missing["sources"] = ["Attach at least one source."]
    return missing


@transaction.atomic
def submit_review(*, claim_id: int, reviewer) -> Claim:
    claim = lock_claim(claim_id)
    _accepted_assignment(claim, reviewer)
    review = Review.objects.filter(claim=claim).first()
    if claim.status == ClaimStatus.IN_REVIEW and (missing := _missing_parts(review)):
        raise InvalidInput(missing)
    transition_claim(claim, to=ClaimStatus.AWAITING_APPROVAL, actor=reviewer, expect=(ClaimStatus.IN_REVIEW,))
    # The one who submits answers for the review (it may be a draft taken over on reassignment): four eyes
    # at approval compares against this field.
    review.reviewer = reviewer
    review.submitted_at = timezone.now()
    review.save(update_fields=["reviewer", "submitted_at"])
    return claim


@transaction.atomic
def return_review(*, claim_id: int, editor, note: str) -> Claim:
    """Send a submitted review back to its reviewer with comments."""
    require_editor(editor, "return reviews")
    # Comments that show nothing (zero-width characters, marks with nothing under them) are no comments.
    note = required_text(note, field="note", message="Say what the reviewer should change.")
    claim = lock_claim(claim_id)
    return transition_claim(
        claim, to=ClaimStatus.IN_REVIEW, actor=editor, note=note, expect=(ClaimStatus.AWAITING_APPROVAL,)
    )


@transaction.atomic
def approve_claim(*, claim_id: int, editor, note: str = "", submitted_at: datetime | None = None) -> FactCheck:
    """Four eyes: an editor who is not the reviewer publishes the verdict.

    `submitted_at` is the review's submission the editor read (its `submitted_at` when their page opened): a review
    returned and submitted again since may say something else, so it is refused (EditedSince) rather than published
    unread. Left out, whatever awaits approval is published.
    """
    require_editor(editor, "approve verdicts")
    note = optional_text(note)
    claim = lock_claim(claim_id)
    review = Review.objects.select_related("rating", "reviewer").filter(claim=claim).first()
    # Before the status: a review submitted again and approved by someone else is not this editor's approval repeated.
    if submitted_at is not None and review is not None and review.submitted_at != submitted_at:
        raise EditedSince("The review was submitted again since you opened this page: read it and approve again.")
    if claim.status != ClaimStatus.AWAITING_APPROVAL or review is None:
        raise IllegalTransition(f"A claim that is {claim.status} cannot be approved.")
    if review.reviewer_id == editor.pk or took_part_in_review(claim.pk, editor):
        raise FourEyesViolation("The reviewer of a claim may not approve it.")
    content = publishing.VerdictContent(
        rating=review.rating,
        summary=review.summary,
        explanation=review.explanation,
        sources=[s.as_snapshot() for s in review.sources.all()],
        reviewer=review.reviewer,
    )
    fact_check = publishing.publish(claim=claim, content=content, editor=editor, note=note)
    claim.assignments.filter(state=AssignmentState.ACCEPTED).update(
        state=AssignmentState.COMPLETED, finished_at=timezone.now()
    )
    return fact_check


def lock_draft(*, claim_id: int, reviewer, create: bool = True) -> Review:
    """Lock the claim and hand its review to the reviewer who accepted it.

    Every change of a draft (a full save, an autosave, sources) starts here, so the rules cannot drift apart. With
    `create`, a claim without a review yet gets an empty draft: the first autosave may come before any full save.
    Callers run inside a transaction, which holds the claim's row lock until they are done.
    """
    claim = lock_claim(claim_id)
    _accepted_assignment(claim, reviewer)
    if claim.status != ClaimStatus.IN_REVIEW:
        raise IllegalTransition(f"A claim that is {claim.status} cannot be edited by its reviewer.")
    if not create:
        return Review.objects.get(claim=claim)
    review, _ = Review.objects.get_or_create(claim=claim, defaults={"reviewer": reviewer})
    return review


@transaction.atomic
def autosave_review(
    *, claim_id: int, reviewer, rating: str | None = UNSET, summary: str = UNSET, explanation: str = UNSET
) -> Review:
    """Save the parts of the draft that were sent (a writing tool autosaves what changed); sources stay."""
    review = lock_draft(claim_id=claim_id, reviewer=reviewer)
    if rating is not UNSET:
        review.rating = _rating_by_slug(rating)
    if summary is not UNSET:
        review.summary = normalise_newlines(summary)
    if explanation is not UNSET:
        review.explanation = normalise_newlines(explanation)
    # Like save_review: whoever edits the draft answers for it.
    review.reviewer = reviewer
    review.save()
    return review
