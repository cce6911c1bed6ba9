"""Writes of report ingestion: a report arrives by URL, raw HTML or pasted text; its text is read, split into
sentences with offsets and scored for check-worthiness; a URL is fetched by a worker (claims.tasks).

Status: `fetching` → `ready` or `failed`, each change guarded, audited (ReportEvent) and followed, after the commit,
by the next task. The same article submitted twice (claims.ingest.urls.url_key) is the same report, and so is an
address that leads to one already read: once read, a report's `url` is its article's own address (the final URL after
redirects, or the canonical URL the page declares on its own site: claims.ingest.urls.article_address).
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.ingest.extract import Extracted, ExtractionError, extract_report, language_code, text_from_paste
from claims.ingest.models import ReportEvent, ReportSentence
from claims.ingest.selectors import reports_of_article
from claims.ingest.sentences import split_sentences
from claims.ingest.urls import article_address, url_key
from claims.models import Report
from claims.selectors import reports_citable_by
from core.dispatch import enqueue_on_commit
from core.errors import InvalidInput, NotAllowed
from core.fetching import FetchedPage
from core.names import Task
from core.roles import Role, has_role, is_editor

log = logging.getLogger(__name__)

HEADLINE_MAX = 300
# The largest report taken, in characters; DATA_UPLOAD_MAX_MEMORY_SIZE is set so that it fits in its widest encoding.
TEXT_MAX = 200_000
HTML_MAX = 1_000_000
WEB_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class ReportSource:
    """What the submitter gave: a URL to fetch, the page's HTML, or the text itself (with its URL, if any)."""

    url: str = ""
    html: str = ""
    body: str = ""

    def needs_fetching(self) -> bool:
        return bool(self.url) and not self.html and not self.body


def require_submitter(user) -> None:
    """Reports and claims are submitted by journalists and editors (the one rule for both)."""
    if not (has_role(user, Role.JOURNALIST) or is_editor(user)):
        raise NotAllowed("Only journalists and editors submit reports and claims.")


def _record(report: Report, from_status: str, note: str = "") -> None:
    ReportEvent.objects.create(report=report, from_status=from_status, to_status=report.status, note=note)


def _language(*candidates: str) -> str:
    """The first known language code among the given (the submitter's, then the page's), else the site default."""
    for tag in candidates:
        if tag and (code := language_code(tag)):
            return code
    return language_code(settings.LANGUAGE_CODE)


def _headline_from(body: str) -> str:
    first_line = next((line.strip() for line in body.splitlines() if line.strip()), "")
    return first_line[:HEADLINE_MAX]


def _apply_extracted(report: Report, page: Extracted, *, read_from: str, language: str = "") -> None:
    """Fill what the submitter left empty from what the page says about itself, and name the article by its own
    address: `read_from` is where the page came from (after redirects), or the URL given with its HTML."""
    report.body = page.text
    report.headline = report.headline or page.headline[:HEADLINE_MAX] or _headline_from(page.text)
    report.outlet = report.outlet or page.outlet[:200]
    report.author = report.author or page.author[:300]
    report.published_at = report.published_at or page.published_at
    report.language = _language(language, page.language)
    # Only an address the report had already is replaced: HTML pasted without a URL may be a newsroom's draft, and
    # stays without a public address whatever canonical it declares.
    if read_from and (address := article_address(read_from, page.url, allow_private=_private_allowed())):
        report.url, report.article_key = address, url_key(address)


def _private_allowed() -> bool:
    # Where the fetcher may reach private hosts (tests on 127.0.0.1), a page there may name itself by such an address.
    return settings.FETCH_ALLOW_PRIVATE_HOSTS


def store_sentences(report: Report) -> int:
    """Split the body into sentences, score each, and store them with their offsets (replacing earlier ones)."""
    from claims.ingest.checkworthiness import score_sentences  # the model loads on first use, not at import

    spans = split_sentences(report.body, language=report.language)
    scores = score_sentences([span.text for span in spans], language=report.language)
    ReportSentence.objects.filter(report=report).delete()
    ReportSentence.objects.bulk_create(
        ReportSentence(report=report, position=i, start=s.start, end=s.end, text=s.text, score=score)
        for i, (s, score) in enumerate(zip(spans, scores, strict=True))
    )
    return len(spans)


def _existing(key: str) -> Report | None:
    """The report submitted at this address, else the first one read whose article is at it."""
    if not key:
        return None
    report = Report.objects.filter(url_key=key).first() or Report.objects.filter(article_key=key).order_by("pk").first()
    if report is not None:
        report.found_existing = True
    return report


def _answer_existing(key: str, source: ReportSource, *, user, language: str, given: dict) -> Report | None:
    """The report already at this address: filled with the text given now if it has none yet (its page failed or is
    still being fetched), else as it stands."""
    existing = _existing(key)
    if existing is None or existing.body or source.needs_fetching():
        return existing
    # None: a fetch gave it text meanwhile, and the report is answered as it stands now.
    return _fill(existing.pk, source, user=user, language=language, given=given) or _existing(key)


@transaction.atomic
def submit_report(
    *,
    user,
    headline: str = "",
    language: str = "",
    url: str = "",
    outlet: str = "",
    published_at: datetime | None = None,
    body: str = "",
    html: str = "",
) -> Report:
    """A report from a URL (fetched by a worker), its HTML (read now) or its pasted text.

    A URL that names an article already submitted answers that report (`found_existing` is set on it) and changes
    nothing, unless the report has no text yet and this submission brings the page's HTML or text: then that fills it
    (`filled` is set too). Headline and language may be left out when the page or text can tell them.
    """
    require_submitter(user)
    source = ReportSource(url=url, html=html, body=body)
    _check_source(source)
    key = url_key(url)
    answer = {
        "user": user,
        "language": language,
        "given": {"headline": headline, "outlet": outlet, "published_at": published_at},
    }
    if existing := _answer_existing(key, source, **answer):
        return existing
    report = Report(
        url=url,
        url_key=key,
        headline=headline,
        outlet=outlet,
        published_at=published_at,
        # Left empty while fetching when the submitter named none: the page may say.
        language=_language(language) if language or not source.needs_fetching() else "",
        submitted_by=user,
    )
    if source.needs_fetching():
        report.status = Report.Status.FETCHING
    else:
        _read_given(report, source, language=language)
        # The HTML may name the article by another address (its canonical) that a report was read at already.
        if report.article_key not in ("", key) and (existing := _answer_existing(report.article_key, source, **answer)):
            return existing
    report.full_clean(exclude=["url_key"])
    try:
        with transaction.atomic():  # a savepoint: a parallel submission of the same URL wins, and we answer it
            report.save()
    except IntegrityError:
        if existing := _existing(key):
            return existing
        raise
    _record(report, "")
    if report.status == Report.Status.FETCHING:
        enqueue_on_commit(Task.FETCH_REPORT, report.pk)
    else:
        _after_reading(report)
    return report


def _check_source(source: ReportSource) -> None:
    if not (source.url or source.html or source.body):
        raise InvalidInput({"body": ["Give the report's URL, its HTML or its text."]})
    if len(source.html) > HTML_MAX or len(source.body) > TEXT_MAX:
        field, most = ("html", HTML_MAX) if len(source.html) > HTML_MAX else ("body", TEXT_MAX)
        raise InvalidInput({field: [f"Ensure this field has no more than {most} characters."]})
    if source.url and urlsplit(source.url).scheme.lower() not in WEB_SCHEMES:
        # Refused here rather than by the worker: a report that can never be fetched is not saved.
        raise InvalidInput({"url": ["Give the report's web address: it starts with http:// or https://."]})


def _read_given(report: Report, source: ReportSource, *, language: str) -> None:
    """Read the HTML or the pasted text given with a submission into the report (400 when it cannot be read)."""
    if source.html:
        try:
            page = extract_report(source.html, url=report.url)
        except ExtractionError as exc:
            raise InvalidInput({"html": [str(exc)]}) from exc
        if not (language and language_code(language)) and not page.language:
            # As for pasted text: a guess of the desk's default would route and match the claims as that language.
            raise InvalidInput({"language": ["The page does not say its language: say which language it is in."]})
        _apply_extracted(report, page, read_from=report.url, language=language)
    else:
        report.body = text_from_paste(source.body)
        report.headline = report.headline or _headline_from(report.body)
        report.language = _language(language)


def _after_reading(report: Report) -> None:
    """What every report runs once it has its text: sentences now, claim tracking after the commit."""
    store_sentences(report)
    enqueue_on_commit(Task.TRACK_REPORT, report.pk)


def _fill(report_id: int, source: ReportSource, *, user, language: str, given: dict) -> Report | None:
    """Give a report that has no text yet (its page failed, or is still being fetched) the HTML or text a journalist
    brought with its URL. The failure message asks for just that, and the article is the newsroom's: anyone who may
    cite it may fill it. None when it has text by now (a fetch finished first): that text stands."""
    with transaction.atomic():
        # Locked as a fetch locks it: whichever commits first gives the text, and the fetch task then finds the
        # report no longer `fetching` and leaves it alone.
        report = Report.objects.select_for_update().filter(pk=report_id, body="").first()
        if report is None or report.status == Report.Status.READY:
            return None
        if not reports_citable_by(user).filter(pk=report.pk).exists():
            raise NotAllowed("Only a journalist who may cite this report can give its text.")
        from_status = report.status
        _take_given(report, given)
        _read_given(report, source, language=language or report.language)
        report.status, report.failure = Report.Status.READY, ""
        report.full_clean(exclude=["url_key"])
        report.save()
        what = "HTML" if source.html else "text"
        _record(report, from_status, note=f"{user} gave the page's {what}: {len(report.body)} characters.")
        _after_reading(report)
    report.found_existing = report.filled = True
    return report


def _take_given(report: Report, given: dict) -> None:
    """What the journalist says now about the article wins over what the first submission left."""
    for field, value in given.items():
        if value:
            setattr(report, field, value)


def _lock_fetching(report_id: int) -> Report | None:
    """The report, locked, while it still waits for its page; None when it is gone or read already."""
    return Report.objects.select_for_update().filter(pk=report_id, status=Report.Status.FETCHING).first()


@transaction.atomic
def store_fetched_page(*, report_id: int, page: FetchedPage) -> Report | None:
    """Read the fetched page into the report and make it ready; a page without readable text fails it."""
    report = _lock_fetching(report_id)
    if report is None:
        return None
    try:
        extracted = extract_report(page.body, url=page.url, charset=page.charset)
    except ExtractionError as exc:
        return _fail(report, str(exc))
    _apply_extracted(report, extracted, read_from=page.url, language=report.language)
    report.status, report.failure, report.fetched_at = Report.Status.READY, "", timezone.now()
    report.full_clean(exclude=["url_key"])
    report.save()
    _record(report, Report.Status.FETCHING, note=_read_note(report, page.url))
    _after_reading(report)
    return report


def _read_note(report: Report, read_from: str) -> str:
    """The audit line of a fetch: where the page came from, the article's address when the page named another, and
    the report of the same article read before (each stays a report; public output counts the article once)."""
    # This first sentence's form is read back by migration 0015: keep it.
    note = f"Read {len(report.body)} characters from {read_from}."
    if report.url != read_from:
        note += f" The page names itself {report.url}."
    twin = Report.objects.filter(reports_of_article(report.article_key)).exclude(pk=report.pk).order_by("pk").first()
    if twin is not None:
        note += f" The same article as report {twin.pk}."
    return note


def _fail(report: Report, reason: str) -> Report:
    report.status = Report.Status.FAILED
    report.failure = reason
    report.save(update_fields=["status", "failure"])
    _record(report, Report.Status.FETCHING, note=reason)
    return report


@transaction.atomic
def fail_fetching(*, report_id: int, reason: str) -> Report | None:
    """The URL could not be read: the report says why, and keeps its URL so it can be tried again."""
    report = _lock_fetching(report_id)
    return _fail(report, reason) if report else None


@transaction.atomic
def retry_fetching(*, report_id: int, user) -> Report:
    """Fetch a failed report's URL once more (the site was down, the page moved back)."""
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise InvalidInput({"report": ["No such report."]})
    if not (is_editor(user) or report.submitted_by_id == user.pk):
        raise NotAllowed("Only the report's submitter or an editor can fetch it again.")
    if report.status != Report.Status.FAILED:
        raise InvalidInput({"status": [f"The report is {report.status}; only a failed report is fetched again."]})
    report.status, report.failure = Report.Status.FETCHING, ""
    report.save(update_fields=["status", "failure"])
    _record(report, Report.Status.FAILED, note=f"Fetched again at {user}'s request.")
    enqueue_on_commit(Task.FETCH_REPORT, report.pk)
    return report
