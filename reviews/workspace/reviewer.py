"""The reviewer's pages: the queue, the claim with its report, the review form with its sources."""

from datetime import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from claims.models import ClaimStatus
from claims.selectors import quote_segments
from core.errors import IllegalTransition
from core.languages import language_name
from core.roles import Role
from factcheck.site.markdown import render_markdown
from reviews import selectors
from reviews.models import ACTIVE_STATES, Assignment, AssignmentState
from reviews.services import assignments
from reviews.workspace import reviewer_review
from reviews.workspace.access import for_role, message_of, refusal
from reviews.workspace.reviewer_forms import DeclineForm


def _visible_assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    # The API's lookup: what the caller may see, else 404; the service then says whether they may answer it.
    return get_object_or_404(selectors.assignments_visible_to(request.user), pk=assignment_id)


@require_GET
@for_role(Role.REVIEWER)
def queue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rows = (
        selectors.assignments_visible_to(request.user)
        .filter(reviewer=request.user, state__in=ACTIVE_STATES)
        .select_related("claim")
        .order_by("due_at", "id")
    )
    work = [_queue_row(a, now) for a in rows]
    return render(request, "workspace/reviewer/queue.html", {"work": work, "decline_form": DeclineForm()})


def _queue_row(assignment: Assignment, now: datetime) -> dict:
    return {
        "assignment": assignment,
        "with_editors": assignment.with_editors,
        "overdue": assignment.is_overdue(now),
        "language": language_name(assignment.claim.language),
    }


def _answered_already(request: HttpRequest, assignment_id: int, state: str) -> bool:
    """True when this reviewer's own earlier answer put the offer in `state`: a double click or a second tab."""
    # Read after the service's refusal, which it decided under the row lock once the first answer had committed.
    return Assignment.objects.filter(pk=assignment_id, reviewer=request.user, state=state).exists()


@require_POST
@for_role(Role.REVIEWER)
def accept(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _visible_assignment(request, assignment_id)
    try:
        assignments.accept_assignment(assignment_id=assignment.pk, reviewer=request.user)
    except IllegalTransition as refused:
        if _answered_already(request, assignment.pk, AssignmentState.ACCEPTED):
            # The same answer twice is no conflict: land where the first one did.
            messages.info(request, "You have already accepted this claim. It is yours to review.")
            return redirect("workspace:review-claim", claim_id=assignment.claim_id)
        # An offer that ran out or was answered otherwise: the queue shows where things stand.
        messages.warning(request, message_of(refused))
        return redirect("workspace:queue")
    messages.success(request, "You accepted the claim. It is yours to review.")
    return redirect("workspace:review-claim", claim_id=assignment.claim_id)


@require_POST
@for_role(Role.REVIEWER)
def decline(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _visible_assignment(request, assignment_id)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return refusal(request, " ".join(form.errors["reason"]), status=400)
    try:
        assignments.decline_assignment(
            assignment_id=assignment.pk, reviewer=request.user, reason=form.cleaned_data["reason"].strip()
        )
    except IllegalTransition as refused:
        if _answered_already(request, assignment.pk, AssignmentState.DECLINED):
            messages.info(request, "You have already declined this claim; it goes to another reviewer.")
        else:
            messages.warning(request, message_of(refused))
    else:
        messages.success(request, "You declined the claim; it goes to another reviewer.")
    return redirect("workspace:queue")


@require_GET
@for_role(Role.REVIEWER)
def claim_page(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(
        selectors.claims_reviewable_by(request.user).select_related("claimant", "report").prefetch_related("topics"),
        pk=claim_id,
    )
    assignment = claim.assignments.filter(reviewer=request.user).order_by("-offered_at", "-id").first()
    review = reviewer_review.current_review(claim)
    segments = quote_segments(claim.report.body, [claim]) if claim.report else []
    context = {
        "claim": claim,
        "language": language_name(claim.language),
        "assignment": assignment,
        "report_segments": segments,
        "quote_found": any(marked for _, marked in segments),
        "may_write": assignment is not None
        and assignment.state == AssignmentState.ACCEPTED
        and claim.status == ClaimStatus.IN_REVIEW,
        "returned": reviewer_review.return_note(claim),
        "overdue": assignment is not None and assignment.is_overdue(timezone.now()),
        "review": review,
        "explanation": render_markdown(review.explanation) if review else "",
        "decline_form": DeclineForm(),
    }
    return render(request, "workspace/reviewer/claim.html", context)


urlpatterns = [
    path("queue/", queue, name="queue"),
    path("queue/offers/<int:assignment_id>/accept/", accept, name="accept-offer"),
    path("queue/offers/<int:assignment_id>/decline/", decline, name="decline-offer"),
    path("queue/claims/<int:claim_id>/", claim_page, name="review-claim"),
    *reviewer_review.urlpatterns,
]
