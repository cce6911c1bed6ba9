"""The journalist's claim pages: follow the claims, see whether one was fact-checked already, fix one while it is
still submitted. The report pages are in journalist_reports."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from claims import services
from claims.history import ANSWERS_THE_SUBMITTER
from claims.models import Claim, ClaimEvent, ClaimStatus, Report, Topic
from claims.selectors import quote_segments
from claims.similar import SimilarItem, already_fact_checked, similar_to_text
from core.errors import DomainError, IllegalTransition, InvalidInput, NotAllowed
from core.languages import LANGUAGE_CODES, language_name
from core.roles import Role
from factcheck.record.followed import verdict_of
from reviews import selectors
from reviews.workspace.access import for_role, message_of, status_of
from reviews.workspace.journalist_forms import ClaimForm, show_refusal

PAGE_SIZE = 20
STATUS_LABELS = {
    ClaimStatus.SUBMITTED: "Submitted",
    ClaimStatus.REJECTED: "Rejected",
    ClaimStatus.QUEUED: "Accepted, waiting for a reviewer",
    ClaimStatus.ASSIGNED: "Offered to a reviewer",
    ClaimStatus.IN_REVIEW: "In review",
    ClaimStatus.AWAITING_APPROVAL: "Awaiting an editor's approval",
    ClaimStatus.PUBLISHED: "Published",
    ClaimStatus.RETRACTED: "Retracted",
}
# The verdict has a public page once published; after a retraction that page is its tombstone.
WITH_A_PAGE = (ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED)


def own_claims(user) -> QuerySet[Claim]:
    """The claims this journalist submitted, with what their list and pages show."""
    # Only the steps that answer the journalist (claims.history): triage, publication and a retraction's reason.
    notes = (
        ClaimEvent.objects.filter(ANSWERS_THE_SUBMITTER, kind=ClaimEvent.Kind.TRANSITION)
        .exclude(note="")
        .select_related("actor")
    )
    return (
        selectors.claims_visible_to(user)
        .filter(submitted_by=user)
        .select_related("claimant", "report", "fact_check", "fact_check__current_version")
        .prefetch_related("topics", Prefetch("events", queryset=notes, to_attr="notes"))
    )


def shown(claims, user) -> list[Claim]:
    """Each claim with its status label, whether the edit is offered, and its verdict's address; a duplicate shows
    the verdict of the claim it repeats."""
    for claim in claims:
        claim.status_label = STATUS_LABELS.get(claim.status, claim.status)
        claim.editable = services.edit_refusal(claim, user) is None
        claim.verdict_url = claim.fact_check.get_absolute_url() if claim.status in WITH_A_PAGE else None
        claim.canonical_verdict = verdict_of(claim) if claim.duplicate_of_id else None
    return claims


@require_http_methods(["GET"])
@for_role(Role.JOURNALIST)
def my_claims(request: HttpRequest) -> HttpResponse:
    page = Paginator(own_claims(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    claims = shown(list(page.object_list), request.user)
    return render(request, "workspace/journalist/my_claims.html", {"page": page, "claims": claims})


@require_http_methods(["GET"])
@for_role(Role.JOURNALIST)
def my_reports(request: HttpRequest) -> HttpResponse:
    reports = selectors.reports_visible_to(request.user).filter(submitted_by=request.user)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "workspace/journalist/my_reports.html", {"page": page})


@require_http_methods(["GET"])
@for_role(Role.JOURNALIST)
def claim_page(request: HttpRequest, claim_id: int) -> HttpResponse:
    """One claim, and whether it was fact-checked already: the matcher is asked again, as verdicts keep coming."""
    claim = shown([own_claims(request.user).get(pk=claim_id)], request.user)[0]
    similar = similar_to_text(claim.text, language=claim.language, user=request.user, exclude_claim=claim.pk)
    verdicts = [item for item in similar if item.is_fact_check]
    already = already_fact_checked(similar)
    context = {"claim": claim, "already": already, "verdicts": verdicts, "checked_on": _checked_on(already)}
    context["language"] = language_name(claim.language)  # what it is matched and routed in: the journalist may fix it
    return render(request, "workspace/journalist/claim.html", context)


def _checked_on(item: SimilarItem | None) -> date | None:
    published = (item.fact_check or {}).get("published_at") if item else None
    return date.fromisoformat(published[:10]) if published else None


def _initial(claim: Claim) -> dict:
    return {
        "quote": claim.quote,
        "text": claim.text,
        "claimant": claim.claimant.name if claim.claimant else "",
        "claimant_kind": claim.claimant.kind if claim.claimant else ClaimForm.base_fields["claimant_kind"].initial,
        "claim_date": claim.claim_date,
        "topics": [topic.slug for topic in claim.topics.all()],
        "language": claim.language,
    }


@require_http_methods(["GET", "POST"])
@for_role(Role.JOURNALIST)
def edit_claim(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = own_claims(request.user).get(pk=claim_id)
    refused = services.edit_refusal(claim, request.user)
    if refused is not None and request.method == "POST":
        return _not_saved(request, claim, refused)  # triaged while the form was open: what was typed is shown back
    if refused is not None:
        raise refused  # shown on the styled error page with the status the API gives
    data = request.POST if request.method == "POST" else None
    report: Report | None = claim.report
    form = ClaimForm(data, initial=_initial(claim), quote_required=bool(report and report.body))
    if form.is_bound and form.is_valid():
        try:
            services.edit_claim(claim_id=claim.pk, user=request.user, quote_from_text=True, **form.service_arguments())
        except (InvalidInput, ValidationError) as exc:
            show_refusal(form, exc)  # the form comes back bound: the typed text stays in it
        except (IllegalTransition, NotAllowed) as exc:
            # An editor triaged it between the check above and the edit's lock.
            return _not_saved(request, own_claims(request.user).get(pk=claim_id), exc)
        else:
            messages.success(request, "Your changes to the claim are saved.")
            return redirect(_back_to(claim))
    segments = quote_segments(report.body, [claim]) if report else []
    context = {"claim": claim, "report": report, "segments": segments, "form": form}
    return render(request, "workspace/journalist/edit_claim.html", context, status=400 if form.errors else 200)


TYPED_FIELDS = {
    "quote": "Quote from the report",
    "text": "Claim to check",
    "claimant": "Who made the claim",
    "claim_date": "Date of the claim",
}


def _not_saved(request: HttpRequest, claim: Claim, refused: DomainError) -> HttpResponse:
    """An edit the claim no longer takes: the refusal in words, what it means now, and what was typed, to copy."""
    typed = [(label, request.POST[name]) for name, label in TYPED_FIELDS.items() if request.POST.get(name, "").strip()]
    if (code := request.POST.get("language", "")) in LANGUAGE_CODES:
        typed.append(("Language of the claim", language_name(code)))
    if slugs := request.POST.getlist("topics"):
        names = Topic.objects.filter(slug__in=slugs).order_by("name").values_list("name", flat=True)
        typed.append(("Topics", ", ".join(names)))
    context = {
        "claim": shown([claim], request.user)[0],
        "message": message_of(refused),
        "since": _triaged_since(claim),
        "typed": typed,
    }
    return render(request, "workspace/journalist/not_saved.html", context, status=status_of(refused))


def _triaged_since(claim: Claim) -> str:
    """What the editor's decision, taken while the form was open, means for the journalist's change."""
    if claim.status == ClaimStatus.SUBMITTED:
        return ""
    if claim.duplicate_of_id:
        return (
            "An editor marked this claim as a repeat of one the desk already has, after you opened the form. "
            "It is no longer checked on its own, so it can no longer be changed."
        )
    if claim.status == ClaimStatus.REJECTED:
        return (
            "An editor rejected this claim after you opened the form, so it can no longer be changed. "
            "Its page gives the editor's reason; a claim worded anew can be submitted from its report."
        )
    return (
        "An editor accepted this claim after you opened the form: the desk now checks it as it was worded then, "
        "so it can no longer be changed. If your change matters for the check, tell the desk."
    )


def _back_to(claim: Claim) -> str:
    if claim.report_id:
        return reverse("workspace:report", kwargs={"report_id": claim.report_id}) + "#claims"
    return reverse("workspace:my-claims")


urlpatterns = [
    path("my-claims/", my_claims, name="my-claims"),
    path("reports/", my_reports, name="my-reports"),
    path("claims/<int:claim_id>/", claim_page, name="claim"),
    path("claims/<int:claim_id>/edit/", edit_claim, name="edit-claim"),
]
