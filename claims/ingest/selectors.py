"""Reads of report ingestion: what a worker must fetch, and a report's sentences ranked by check-worthiness."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from claims.ingest.models import ClaimAppearance, ReportSentence
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
