"""Other publishers' fact-checks: import them from a URL or a saved page, and find them again by text."""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q, QuerySet

from claims import indexing
from core import dispatch
from core.fetching import FetchError, fetch_html
from core.names import Task
from factcheck.integrations.importing import PageParse, ParsedReview, parse_page
from factcheck.integrations.models import ExternalFactCheck

MAX_FILE_BYTES = 5 * 1024 * 1024
log = logging.getLogger(__name__)


@dataclass
class ImportOutcome:
    """What one source (URL or file) gave: the rows written and everything worth telling the editor."""

    source: str
    created: list[ExternalFactCheck] = field(default_factory=list)
    updated: list[ExternalFactCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # about the source or page as a whole

    @property
    def stored(self) -> list[ExternalFactCheck]:
        return self.created + self.updated

    @property
    def ok(self) -> bool:
        return bool(self.stored)

    def report(self) -> list[str]:
        """What the editor is told: the counts, then every problem of the page and of each stored review."""
        problems = self.problems + [f"{row.url}: {p}" for row in self.stored for p in row.problems]
        return [f"{self.source}: {len(self.created)} created, {len(self.updated)} updated.", *problems]


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


@transaction.atomic
def store_review(review: ParsedReview, *, source_page: str) -> tuple[ExternalFactCheck, bool]:
    """Insert or update by the review's URL, so a re-import refreshes what the publisher changed."""
    defaults = {**review.fields, "problems": review.problems, "raw": review.raw, "source_page": source_page}
    defaults.pop("url")
    stored, created = ExternalFactCheck.objects.update_or_create(url=review.url, defaults=defaults)
    indexing.index_external(
        external_id=stored.pk,
        text=stored.claim_reviewed,
        language=stored.language or settings.LANGUAGE_CODE.split("-")[0],
        payload={
            "url": stored.url,
            "rating": stored.rating_label,
            "publisher": stored.publisher_name,
            "published_at": stored.date_published.isoformat() if stored.date_published else None,
        },
    )
    return stored, created


def _store_all(parsed: PageParse, outcome: ImportOutcome, *, source_page: str) -> ImportOutcome:
    outcome.problems.extend(parsed.problems)
    for review in parsed.reviews:
        row, created = store_review(review, source_page=source_page)
        (outcome.created if created else outcome.updated).append(row)
    return outcome


def import_url(url: str) -> ImportOutcome:
    outcome = ImportOutcome(source=url)
    try:
        page = fetch_html(url)
    except FetchError as exc:
        outcome.problems.append(str(exc))
        return outcome
    parsed = parse_page(page.body, page_url=page.url, encoding=page.charset)
    return _store_all(parsed, outcome, source_page=page.url)


def import_file(path: str | Path, *, page_url: str = "") -> ImportOutcome:
    """A saved page; without `page_url` only reviews that carry their own url can be stored."""
    outcome = ImportOutcome(source=str(path))
    try:
        with open(path, "rb") as handle:
            body = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        outcome.problems.append(f"{path} could not be read: {exc.strerror or exc}.")
        return outcome
    if len(body) > MAX_FILE_BYTES:
        outcome.problems.append(f"{path} is larger than {MAX_FILE_BYTES} bytes; it was not read.")
        return outcome
    return _store_all(parse_page(body, page_url=page_url), outcome, source_page=page_url)


def queue_import(urls: list[str], *, editor_id: int) -> bool:
    """Fetching is slow (up to ten seconds a page), so the admin hands it to a worker; False if the broker is down."""
    return dispatch.send(Task.IMPORT_CLAIMREVIEW, urls, editor_id)


def import_and_report(urls: list[str], *, editor_id: int | None) -> int:
    """Import each page and email the editor who asked what came of it; returns how many reviews were stored."""
    outcomes = [import_url(url) for url in urls]
    lines = [line for outcome in outcomes for line in outcome.report()]
    log.info("ClaimReview import for editor %s:\n%s", editor_id, "\n".join(lines))
    editor = get_user_model().objects.filter(pk=editor_id).first()
    if editor is not None and editor.email:
        stored = sum(len(outcome.stored) for outcome in outcomes)
        send_mail(f"ClaimReview import: {stored} reviews stored", "\n".join(lines) + "\n", None, [editor.email])
    return sum(len(outcome.stored) for outcome in outcomes)


def import_source(source: str) -> ImportOutcome:
    """A URL is fetched (SSRF-safe); anything else is read as a file path."""
    return import_url(source) if is_url(source) else import_file(source)


def search_external(text: str) -> QuerySet[ExternalFactCheck]:
    """External fact-checks mentioning every word of `text` in the claim, claimant or publisher, newest first.

    Deliberately simple (word containment); the claim matching still to come can rank by similarity instead.
    """
    query = Q()
    for word in text.split()[:20]:  # a pasted paragraph must not turn into hundreds of LIKE clauses
        query &= Q(claim_reviewed__icontains=word) | Q(claimant__icontains=word) | Q(publisher_name__icontains=word)
    return ExternalFactCheck.objects.filter(query).order_by(F("date_published").desc(nulls_last=True), "-id")
