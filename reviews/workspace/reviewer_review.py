"""The review form: rating, summary, explanation with its preview, and the sources, all in one form that works
without JavaScript. Each named button is one step; every step but Preview saves what was typed first, so moving
a source never loses a sentence."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.safestring import SafeString

from claims.models import Claim, ClaimEvent, ClaimStatus
from core.errors import IllegalTransition, InvalidInput
from core.roles import Role
from core.text import normalise_newlines
from factcheck.site.markdown import render_markdown
from reviews import selectors
from reviews.models import AssignmentState, Review, Source
from reviews.services import sources, verdicts
from reviews.workspace.access import for_role, message_of, refusal
from reviews.workspace.reviewer_forms import ReviewForm, SourceForm, show_service_errors

MOVES = {"move_up": -1, "move_down": 1}


@dataclass(frozen=True)
class ReturnNote:
    note: str
    editor: str
    at: datetime


def return_note(claim: Claim) -> ReturnNote | None:
    """The editor's comments, while the review they returned is back with its reviewer."""
    if claim.status != ClaimStatus.IN_REVIEW:
        return None
    latest = (
        ClaimEvent.objects.filter(claim=claim, kind=ClaimEvent.Kind.TRANSITION, to_status=ClaimStatus.IN_REVIEW)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    # Back in review from awaiting approval means an editor returned it; from assigned, a reviewer accepted it.
    if latest is None or latest.from_status != ClaimStatus.AWAITING_APPROVAL:
        return None
    editor = latest.actor.get_username() if latest.actor else "an editor"
    return ReturnNote(note=latest.note, editor=editor, at=latest.at)


def current_review(claim: Claim) -> Review | None:
    return Review.objects.filter(claim=claim).select_related("rating").prefetch_related("sources").first()


def _may_write(request: HttpRequest, claim: Claim) -> bool:
    accepted = claim.assignments.filter(reviewer=request.user, state=AssignmentState.ACCEPTED)
    return claim.status == ClaimStatus.IN_REVIEW and accepted.exists()


def _initial(review: Review | None) -> dict:
    if review is None:
        return {}
    return {
        "rating": review.rating.slug if review.rating else "",
        "summary": review.summary,
        "explanation": review.explanation,
    }


def _render(
    request: HttpRequest,
    claim: Claim,
    form: ReviewForm,
    source_form: SourceForm,
    *,
    preview: SafeString | None = None,
    problems: dict[str, list[str]] | None = None,
) -> HttpResponse:
    review = current_review(claim)
    context = {
        "claim": claim,
        "form": form,
        "source_form": source_form,
        "sources": list(review.sources.all()) if review else [],
        "chosen_rating": form.chosen_rating(),
        "returned": return_note(claim),
        "preview": preview,
        "problems": problems or {},
    }
    return render(request, "workspace/reviewer/review.html", context)


@for_role(Role.REVIEWER)
def review_form(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claims_reviewable_by(request.user).filter(pk=claim_id).first()
    if claim is None:
        return _not_theirs_now(request, claim_id)
    if request.method == "POST":
        return _act(request, claim)
    if request.method != "GET":
        return refusal(request, f"{request.method} is not possible here.", status=405)
    if not _may_write(request, claim):
        messages.info(request, f"The review cannot be edited while the claim is {claim.get_status_display().lower()}.")
        return redirect("workspace:review-claim", claim_id=claim.pk)
    return _render(request, claim, ReviewForm(initial=_initial(current_review(claim))), SourceForm())


TYPED_FIELDS = {
    "rating": "Rating",
    "summary": "Summary",
    "explanation": "Explanation",
    "source-url": "New source's URL",
    "source-title": "New source's title",
    "source-publisher": "New source's publisher",
    "source-archive_url": "New source's archive URL",
}


def _not_theirs_now(request: HttpRequest, claim_id: int) -> HttpResponse:
    """A claim taken from this reviewer while the form was open: say so, and show back what they typed to copy."""
    last = selectors.last_assignment_of(request.user, claim_id)
    if request.method != "POST" or last is None:
        raise Http404
    if last.state == AssignmentState.RELEASED:
        message = "An editor reassigned this claim to another reviewer, so your review can no longer be saved here."
    else:
        message = "This claim is no longer assigned to you, so your review can no longer be saved here."
    return _not_saved(request, claim_id, message)


def _not_saved(request: HttpRequest, claim_id: int, message: str) -> HttpResponse:
    typed = [(label, request.POST[name]) for name, label in TYPED_FIELDS.items() if request.POST.get(name, "").strip()]
    context = {"claim_id": claim_id, "message": message, "typed": typed}
    return render(request, "workspace/reviewer/not_saved.html", context, status=409)


def _typed_anew(claim: Claim, form: ReviewForm, source_form: SourceForm) -> bool:
    """Whether the form holds words the stored review does not: then a refusal must not drop them."""
    stored = _initial(current_review(claim))
    fields = ("rating", "summary", "explanation")
    changed = [normalise_newlines(form.cleaned_data.get(name) or "") != stored.get(name, "") for name in fields]
    return not source_form.is_blank() or any(changed)


def _act(request: HttpRequest, claim: Claim) -> HttpResponse:
    form, source_form = ReviewForm(request.POST), SourceForm(request.POST)
    if not form.is_valid():
        return _render(request, claim, form, source_form.as_typed())
    if "preview" in request.POST:
        preview = render_markdown(form.cleaned_data["explanation"])
        return _render(request, claim, form, source_form.as_typed(), preview=preview)
    if source_form.is_blank() and "add_source" not in request.POST:
        source_form = SourceForm()  # no source is being added: its empty fields are not missing anything
    try:
        return _save_then(request, claim, form, source_form)
    except IllegalTransition as refused:
        if _typed_anew(claim, form, source_form):
            # Another tab submitted the review, or an editor moved the claim on, while this one was being edited.
            return _not_saved(request, claim.pk, message_of(refused))
        # A second click after the review went in: the claim page shows where it stands.
        messages.warning(request, message_of(refused))
        return redirect("workspace:review-claim", claim_id=claim.pk)


def _save_then(request: HttpRequest, claim: Claim, form: ReviewForm, source_form: SourceForm) -> HttpResponse:
    text = form.cleaned_data
    verdicts.autosave_review(
        claim_id=claim.pk,
        reviewer=request.user,
        rating=text["rating"] or None,
        summary=text["summary"],
        explanation=text["explanation"],
    )
    added = not source_form.is_blank() or "add_source" in request.POST
    if added:
        if not _added(request, claim, source_form):
            return _render(request, claim, form, source_form)
        source_form = SourceForm()
    if "submit" in request.POST:
        return _submit(request, claim, form, source_form)
    url = reverse("workspace:review-form", args=[claim.pk])
    try:
        done = _source_step(request, claim) or ("Source added." if added else None)
    except Source.DoesNotExist:
        # A second tab removed it first: the text typed here is saved all the same.
        messages.warning(request, "That source was already removed. Your draft was saved.")
        return redirect(url + "#sources")
    messages.success(request, done or "Draft saved.")
    return redirect(url + "#sources" if done else url)


def _added(request: HttpRequest, claim: Claim, source_form: SourceForm) -> bool:
    if not source_form.is_valid():
        return False
    try:
        sources.add_source(claim_id=claim.pk, reviewer=request.user, source=source_form.source_input())
    except InvalidInput as refused:
        for messages_ in show_service_errors(source_form, refused).values():
            for message in messages_:
                source_form.add_error(None, message)
        return False
    return True


def _submit(request: HttpRequest, claim: Claim, form: ReviewForm, source_form: SourceForm) -> HttpResponse:
    try:
        verdicts.submit_review(claim_id=claim.pk, reviewer=request.user)
    except InvalidInput as refused:
        problems = show_service_errors(form, refused)
        return _render(request, claim, form, source_form, problems=problems)
    messages.success(request, "Your review was submitted for approval. An editor will read it next.")
    return redirect("workspace:review-claim", claim_id=claim.pk)


def _source_step(request: HttpRequest, claim: Claim) -> str | None:
    """Move or remove the source named by the button pressed; None when the button was another one."""
    if "remove" in request.POST:
        sources.remove_source(claim_id=claim.pk, reviewer=request.user, source_id=_source_id(request, "remove"))
        return "Source removed."
    for button, step in MOVES.items():
        if button in request.POST:
            order = _moved(claim, _source_id(request, button), step)
            sources.reorder_sources(claim_id=claim.pk, reviewer=request.user, order=order)
            return "Sources reordered."
    return None


def _source_id(request: HttpRequest, button: str) -> int:
    try:
        return int(request.POST[button])
    except ValueError:
        raise Source.DoesNotExist from None


def _moved(claim: Claim, source_id: int, step: int) -> list[int]:
    order = list(Source.objects.filter(review__claim=claim).values_list("pk", flat=True))
    if source_id not in order:
        raise Source.DoesNotExist
    here = order.index(source_id)
    there = min(max(here + step, 0), len(order) - 1)
    order[here], order[there] = order[there], order[here]
    return order


urlpatterns = [
    path("queue/claims/<int:claim_id>/review/", review_form, name="review-form"),
]
