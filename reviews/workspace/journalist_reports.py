"""The journalist's report pages: submit a report by its address, its HTML or its text; follow its fetching; read its
sentences shaded by check-worthiness; make a claim from a ranked sentence in one click."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from claims import services
from claims.ingest import services as ingest
from claims.ingest.models import ReportSentence
from claims.ingest.selectors import Candidate, report_candidates
from claims.models import Claim, Report
from claims.similar import already_fact_checked
from core.errors import InvalidInput
from core.languages import language_name
from core.roles import Role, is_editor
from reviews import selectors
from reviews.workspace.access import for_role, refusal
from reviews.workspace.journalist import own_claims, shown
from reviews.workspace.journalist_forms import ClaimForm, MakeClaimForm, ReportForm, ReportTextForm, show_refusal

# A page still fetching reloads itself (no script needed) until the worker has read it.
REFRESH_SECONDS = 4
CANDIDATES_SHOWN = 10
# Check-worthiness in four shades, from the lowest score each starts at; the legend shows them in this order.
LEVELS = [
    (0.75, 3, "Very check-worthy"),
    (0.5, 2, "Check-worthy"),
    (0.25, 1, "Possibly check-worthy"),
    (0.0, 0, "Hardly check-worthy"),
]


@dataclass(frozen=True)
class Sentence:
    """One sentence as the page shows it: its shade, its score, whether a claim was made from it, and its verdict."""

    id: int
    rank: int
    text: str
    start: int
    end: int
    score: float
    level: int
    level_label: str
    claim: Claim | None
    verdict: dict | None  # an "already fact-checked" match: url, rating, publisher
    segments: list[tuple[str, bool]]  # the sentence's text, with quoted words marked

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def _level(score: float) -> tuple[int, str]:
    return next((level, label) for floor, level, label in LEVELS if score >= floor)


def _quote_spans(body: str, claims: list[Claim]) -> list[tuple[int, int]]:
    """Where the claims' quotes stand, for those whose offsets still hold the quote."""
    return sorted(
        (claim.quote_start, claim.quote_end)
        for claim in claims
        if claim.quote and claim.quote_start is not None and body[claim.quote_start : claim.quote_end] == claim.quote
    )


def _segments(body: str, start: int, end: int, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """body[start:end] in pieces, the parts inside a quote marked (overlapping quotes as one stretch)."""
    pieces, cursor = [], start
    for quote_start, quote_end in spans:
        quote_start, quote_end = max(quote_start, cursor), min(quote_end, end)
        if quote_end <= quote_start:
            continue
        pieces += [(body[cursor:quote_start], False), (body[quote_start:quote_end], True)]
        cursor = quote_end
    pieces.append((body[cursor:end], False))
    return [(text, marked) for text, marked in pieces if text]


def _claim_from(candidate: Candidate, claims: list[Claim]) -> Claim | None:
    """The journalist's claim whose quote lies in this sentence: taken from it in one click, or quoted by hand."""
    return next(
        (c for c in claims if c.quote_start is not None and candidate.start <= c.quote_start < candidate.end), None
    )


def _sentences(report: Report, claims: list[Claim], viewer) -> list[Sentence]:
    """The report's sentences, most check-worthy first."""
    spans = _quote_spans(report.body, claims)
    sentences = []
    for rank, candidate in enumerate(report_candidates(report, viewer=viewer), start=1):
        level, label = _level(candidate.score)
        # Another journalist's claim is theirs to see: only verdicts are shown beside a sentence.
        verdict = candidate.match.fact_check if candidate.already_fact_checked else None
        sentences.append(
            Sentence(
                id=candidate.sentence_id,
                rank=rank,
                text=candidate.text,
                start=candidate.start,
                end=candidate.end,
                score=candidate.score,
                level=level,
                level_label=label,
                claim=_claim_from(candidate, claims),
                verdict=verdict,
                segments=_segments(report.body, candidate.start, candidate.end, spans),
            )
        )
    return sentences


def _pieces(report: Report, sentences: list[Sentence], claims: list[Claim]) -> list[tuple[Sentence | None, list]]:
    """The whole text in reading order: each sentence with its shade, and the gaps between them as they are."""
    spans, body = _quote_spans(report.body, claims), report.body
    pieces, cursor = [], 0
    for sentence in sorted(sentences, key=lambda s: s.start):
        if sentence.start > cursor:
            pieces.append((None, _segments(body, cursor, sentence.start, spans)))
        pieces.append((sentence, sentence.segments))
        cursor = sentence.end
    if cursor < len(body):
        pieces.append((None, _segments(body, cursor, len(body), spans)))
    return pieces


def _report_context(
    request: HttpRequest, report: Report, form: ClaimForm, text_form: ReportTextForm | None = None
) -> dict:
    claims = shown(list(own_claims(request.user).filter(report=report).order_by("created_at", "id")), request.user)
    context = {"report": report, "language": language_name(report.language), "claims": claims, "form": form}
    # WCAG 2.2.1: a page that reloads itself lets the reader stop it (a screen reader loses its place on a reload).
    context["refreshing"] = report.status == Report.Status.FETCHING and request.GET.get("refresh") != "off"
    context["refresh_seconds"] = REFRESH_SECONDS
    context["may_fetch_again"] = is_editor(request.user) or report.submitted_by_id == request.user.pk
    if text_form is not None or (report.status == Report.Status.FAILED and report.url):
        # The rescue (claims.ingest.services.submit_report): the same address with the page's text fills it.
        initial = {"url": report.url, "headline": report.headline, "language": report.language}
        context["text_form"] = text_form or ReportTextForm(initial=initial)
    if report.status == Report.Status.READY and report.body:
        sentences = _sentences(report, claims, request.user)
        context["pieces"] = _pieces(report, sentences, claims)
        context["show_all"] = request.GET.get("all") == "1" or len(sentences) <= CANDIDATES_SHOWN
        context["candidates"] = sentences if context["show_all"] else sentences[:CANDIDATES_SHOWN]
        context["sentence_count"] = len(sentences)
        context["levels"] = [(level, label) for _, level, label in LEVELS]
    return context


def _report_url(report_id: int, anchor: str = "") -> str:
    return reverse("workspace:report", kwargs={"report_id": report_id}) + anchor


@require_http_methods(["GET", "POST"])
@for_role(Role.JOURNALIST)
def submit_report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            report = ingest.submit_report(user=request.user, **form.service_arguments())
        except (InvalidInput, ValidationError) as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _submitted_message(report))
            return redirect("workspace:report", report_id=report.pk)
    status = 400 if form.errors else 200
    return render(request, "workspace/journalist/submit_report.html", {"form": form}, status=status)


def _submitted_message(report: Report) -> str:
    if getattr(report, "filled", False):
        return "The desk had this address without its text: what you gave is now its report. Make claims from it."
    if getattr(report, "found_existing", False):
        return "This address was submitted before: here is the report the desk already has."
    if report.status == Report.Status.FETCHING:
        return "The report is saved. The desk is fetching its page now."
    return "The report is saved. Now make claims from its sentences."


@require_http_methods(["GET", "POST"])
@for_role(Role.JOURNALIST)
def report_page(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.reports_visible_to(request.user).get(pk=report_id)
    data = request.POST if request.method == "POST" else None
    # The claim's language is left to the service unless the journalist picks one: a quote in another script than
    # the report's (an English sentence in a Russian report) is matched and routed in its own language.
    form = ClaimForm(data, quote_required=bool(report.body), guess_language=report.language or "en")
    if form.is_bound and form.is_valid():
        try:
            claim = services.submit_claim(
                user=request.user, report=report.pk, quote_from_text=True, **form.service_arguments()
            )
        except (InvalidInput, ValidationError) as exc:
            show_refusal(form, exc)
        else:
            language = language_name(claim.language)
            messages.success(request, f"The claim is submitted, in {language}: an editor will triage it.")
            _warn_if_checked(request, claim)
            return redirect(_report_url(report.pk, "#claims"))
    context = _report_context(request, report, form)
    return render(request, "workspace/journalist/report.html", context, status=400 if form.errors else 200)


@require_http_methods(["POST"])
@for_role(Role.JOURNALIST)
def fetch_again(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.reports_visible_to(request.user).get(pk=report_id)
    ingest.retry_fetching(report_id=report.pk, user=request.user)  # refusals show on the styled error page
    messages.info(request, "The desk is fetching the page again.")
    return redirect(_report_url(report.pk))


@require_http_methods(["POST"])
@for_role(Role.JOURNALIST)
def give_text(request: HttpRequest, report_id: int) -> HttpResponse:
    """A failed report's text, pasted on its page: submitted with the report's address, as a new report would be."""
    report = selectors.reports_visible_to(request.user).get(pk=report_id)
    if report.body or not report.url:
        messages.info(request, "The report has its text by now, so nothing needed pasting.")
        return redirect(_report_url(report.pk))
    data = request.POST.copy()
    data["url"] = report.url  # this report's address, whatever the page sent
    text_form = ReportTextForm(data)
    if text_form.is_valid():
        try:
            filled = ingest.submit_report(user=request.user, **text_form.service_arguments())
        except (InvalidInput, ValidationError) as exc:
            show_refusal(text_form, exc)
        else:
            if getattr(filled, "filled", False):
                messages.success(request, _submitted_message(filled))
            else:  # a fetch read the page first: its text stands
                messages.info(
                    request, "The desk read the page meanwhile: the report has its text, so yours was not used."
                )
            return redirect(_report_url(filled.pk))
    form = ClaimForm(quote_required=bool(report.body), guess_language=report.language or "en")
    context = _report_context(request, report, form, text_form)
    return render(request, "workspace/journalist/report.html", context, status=400)


def _warn_if_checked(request: HttpRequest, claim) -> None:
    """A new claim that repeats a published verdict says so at once, however it was made."""
    if verdict := already_fact_checked(claim.similar):
        checked = verdict.fact_check or {}
        rated = f"{checked.get('publisher')} rated it “{checked.get('rating')}”"
        messages.warning(request, f"Already fact-checked: {rated}. Read that verdict before asking for a new one.")


@require_http_methods(["POST"])
@for_role(Role.JOURNALIST)
def make_claim(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.reports_visible_to(request.user).get(pk=report_id)
    form = MakeClaimForm(request.POST)
    if not form.is_valid():
        return refusal(request, "Choose a sentence of the report to make a claim from.", status=400)
    arguments = form.service_arguments()
    if not ReportSentence.objects.filter(pk=arguments["sentence"], report=report).exists():
        return refusal(request, "This report has no such sentence.", status=400)
    claim = services.submit_claim(user=request.user, **arguments)
    if claim.found_existing:
        messages.info(request, "You made a claim from this sentence already: here it is.")
        return redirect("workspace:claim", claim_id=claim.pk)
    messages.success(request, "The claim is submitted: an editor will triage it.")
    _warn_if_checked(request, claim)
    return redirect("workspace:claim", claim_id=claim.pk)


urlpatterns = [
    path("reports/new/", submit_report, name="submit-report"),
    path("reports/<int:report_id>/", report_page, name="report"),
    path("reports/<int:report_id>/fetch-again/", fetch_again, name="fetch-again"),
    path("reports/<int:report_id>/give-text/", give_text, name="give-report-text"),
    path("reports/<int:report_id>/make-claim/", make_claim, name="make-claim"),
]
