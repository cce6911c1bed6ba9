"""Reads of report ingestion: what a worker must fetch, a report's sentences ranked by check-worthiness, and the
repetitions of a checked claim that the public may see."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from claims.ingest.models import ClaimAppearance, ReportSentence
from claims.ingest.urls import url_key
from claims.models import Report
from claims.similar import SimilarItem, similar_item, visible_to


def url_to_fetch(report_id: int) -> str | None:
    return Report.objects.filter(pk=report_id, status=Report.Status.FETCHING).values_list("url", flat=True).first()


def stale_fetches(older_than_seconds: int, limit: int = 100) -> list[int]:
    """Reports still `fetching` long after their last change: their task was lost (a broker outage, a dead worker)."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    stale = (
        Report.objects.filter(status=Report.Status.FETCHING)
        .annotate(last_change=Max("events__at"))
        .filter(last_change__lt=cutoff)
    )
    return list(stale.values_list("pk", flat=True)[:limit])


@dataclass(frozen=True)
class Candidate:
    sentence_id: int
    position: int
    text: str
    start: int
    end: int
    score: float
    match: SimilarItem | None  # the closest earlier claim or verdict, when it is close enough to show

    @property
    def already_fact_checked(self) -> bool:
        return self.match is not None and self.match.is_fact_check and self.match.score >= settings.MATCHING_THRESHOLD


def report_candidates(report: Report, *, viewer, limit: int | None = None) -> list[Candidate]:
    """The report's sentences, most check-worthy first (ties in reading order), each with its closest earlier claim
    or verdict when `viewer` may see it: a report is the newsroom's, another journalist's claim is not."""
    rows = ReportSentence.objects.filter(report=report).select_related("match").order_by("-score", "position")
    if limit:
        rows = rows[:limit]
    return [
        Candidate(
            sentence_id=row.pk,
            position=row.position,
            text=row.text,
            start=row.start,
            end=row.end,
            score=row.score,
            match=_match_for(row, viewer),
        )
        for row in rows
    ]


def _match_for(row: ReportSentence, viewer) -> SimilarItem | None:
    if row.match is None or not row.match.active:
        return None
    item = similar_item(row.match, row.match_score)
    return item if visible_to(item, viewer) else None


def appearances_of(claim_id: int) -> list[ClaimAppearance]:
    """Where a claim we published a verdict on was repeated, newest first."""
    return list(
        ClaimAppearance.objects.filter(claim_id=claim_id)
        .select_related("report", "claimant")
        .order_by("-appeared_on", "-id")
    )


def public_appearance_rows() -> QuerySet[ClaimAppearance]:
    """The appearances whose report has a public web address; `public_appearances` still picks among them."""
    return ClaimAppearance.objects.filter(ClaimAppearance.PUBLIC)


def public_appearances(rows: Iterable[ClaimAppearance]) -> list[ClaimAppearance]:
    """What public output (a verdict's page, its ClaimReview, the public API) shows of a claim's repetitions, newest
    first: only those in reports with a public web address, and one per article.

    A report that repeats the claim in two places (tracking's sentence and a journalist's quote, or two sentences)
    is one repetition to a reader, and so are two reports of one article (a short link and the article's own
    address, submitted before either was read); the desk keeps every row. Of an article's rows the one naming a
    claimant stands for it, else the first recorded. Reads each row's `report`: select it with the rows.
    """
    chosen: dict[str, ClaimAppearance] = {}
    for row in rows:
        if not row.is_public:
            continue
        article = article_of(row.report)
        kept = chosen.get(article)
        if kept is None or _stands_for_article(row) < _stands_for_article(kept):
            chosen[article] = row
    return sorted(chosen.values(), key=lambda row: (row.appeared_on, row.pk), reverse=True)


def article_of(report: Report) -> str:
    """The key of the article a report is: its article's own address once a page was read, else the address it was
    submitted at (its text was given with it, or a row was loaded without the key). "" without an address."""
    return report.article_key or url_key(report.url)


def reports_of_article(key: str, through: str = "") -> Q:
    """A filter for the reports `article_of` names `key` (never empty); `through` reaches them by a relation, as
    "report__"."""
    return Q(**{f"{through}article_key": key}) | Q(**{f"{through}article_key": "", f"{through}url_key": key})


def _stands_for_article(row: ClaimAppearance) -> tuple[bool, int]:
    return (row.claimant_id is None, row.pk)
