"""Claim tracking: a report that repeats a claim we have published a verdict on is recorded as an appearance of that
claim (report, sentence, claimant, date), for the desk's "repeated claims" list, the verdict page and ClaimReview's
`itemReviewed.appearance`.

Two paths record one: reading a new report (every sentence is matched once it is ready), and a claim submitted from a
report that matches a verdict. Both are idempotent: one appearance per claim and place in a report, where places
that overlap (a quote inside a recorded sentence) are one place. What public output shows of them is decided in
claims.ingest.selectors.public_appearances: reports with a public web address only, one repetition per article.

A report's tracking is stamped (`tracked_at`) when it completes; the report sweep tracks a ready report still without
the stamp (`untracked_reports`), so a task lost to a broker outage or a killed worker runs again, and running twice
records nothing twice.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.utils import timezone

from claims.ingest.languages import sentence_readings
from claims.ingest.models import ClaimAppearance, ReportSentence
from claims.ingest.selectors import article_of, reports_of_article
from claims.matching import language_sizes
from claims.matching.models import MatchDocument
from claims.models import Claim, Report
from claims.similar import SimilarItem, similar_to_texts
from core.freshness import invalidate_public_pages

# Below this score a sentence's closest match is not worth showing beside it.
SHOWN_MATCH_FLOOR = 0.3
# Sentences matched as one batch: the model encodes a batch at a quarter of the cost per sentence of one at a time,
# and a few hundred keep the vectors' memory small whatever the report's length.
MATCH_BATCH = 256


def _report_day(report: Report) -> date:
    return (report.published_at or report.created_at).date()


def _checked_on(item: SimilarItem) -> date | None:
    published = item.payload.get("published_at")
    return date.fromisoformat(published[:10]) if published else None


def _repeats_verdict(item: SimilarItem | None, report: Report) -> bool:
    """An appearance is a repetition after we published: our own verdict, close enough, in a later (or same-day)
    report that is not the article the claim came from (that report, or another of the same article)."""
    if item is None or item.kind != MatchDocument.Kind.FACT_CHECK or item.score < settings.MATCHING_THRESHOLD:
        return False
    checked_on = _checked_on(item)
    if checked_on is None or _report_day(report) < checked_on:
        return False
    claim = Claim.objects.filter(pk=item.id)
    if claim.filter(report=report).exists():
        return False
    article = article_of(report)
    return not (article and claim.filter(reports_of_article(article, through="report__")).exists())


def _record(item: SimilarItem, report: Report, *, start: int, end: int, quote: str, claimant_id=None) -> bool:
    # One place in a report is one appearance: a claim quoted from inside (or across) a sentence already recorded is
    # that sentence's repetition, so it names the claimant on that row instead of adding a second one.
    overlapping = (
        ClaimAppearance.objects.filter(claim_id=item.id, report=report, start__lt=end, end__gt=start)
        .order_by("start")
        .first()
    )
    if overlapping is not None:
        if claimant_id and overlapping.claimant_id is None:
            ClaimAppearance.objects.filter(pk=overlapping.pk, claimant=None).update(claimant_id=claimant_id)
        return False
    _, created = ClaimAppearance.objects.get_or_create(
        claim_id=item.id,
        report=report,
        start=start,
        defaults={
            "end": end,
            "quote": quote,
            "claimant_id": claimant_id,
            "appeared_on": _report_day(report),
            "score": item.score,
        },
    )
    if not created and claimant_id:
        ClaimAppearance.objects.filter(claim_id=item.id, report=report, start=start, claimant=None).update(
            claimant_id=claimant_id
        )
    return created


def _better(best: SimilarItem | None, found: SimilarItem | None) -> SimilarItem | None:
    if found is None or found.score < SHOWN_MATCH_FLOOR:
        return best
    return found if best is None or found.score > best.score else best


def _by_language(sentences: list[ReportSentence], report_language: str) -> dict[str, list[tuple]]:
    """The sentences' readings grouped by language: each sentence in the report's language, and a quote in another
    script in its own (claims.ingest.languages.sentence_readings), each with the text to match."""
    held = language_sizes()
    grouped: dict[str, list[tuple]] = {}
    for sentence in sentences:
        for language, text in sentence_readings(sentence.text, report_language, held=held):
            grouped.setdefault(language, []).append((sentence, text))
    return grouped


def track_report(*, report_id: int) -> int:
    """Match every sentence of a ready report; store each one's closest match and record repeated verdicts.
    Returns the appearances recorded now."""
    report = Report.objects.filter(pk=report_id, status=Report.Status.READY).first()
    if report is None:
        return 0
    sentences = list(ReportSentence.objects.filter(report=report).order_by("position"))
    best_by_sentence: dict[int, SimilarItem | None] = dict.fromkeys((sentence.pk for sentence in sentences), None)
    for language, readings in _by_language(sentences, report.language).items():
        for start in range(0, len(readings), MATCH_BATCH):
            batch = readings[start : start + MATCH_BATCH]
            found = similar_to_texts([text for _sentence, text in batch], language=language, limit=1)
            for (sentence, _text), items in zip(batch, found, strict=True):
                best_by_sentence[sentence.pk] = _better(best_by_sentence[sentence.pk], items[0] if items else None)
    recorded = 0
    with transaction.atomic():
        # The sentences' rows first, in the order submit_claim locks its sentence before it records an appearance:
        # a claim made from a sentence while its report is tracked then waits instead of deadlocking.
        list(ReportSentence.objects.filter(report=report).order_by("pk").select_for_update().values_list("pk"))
        for sentence in sentences:
            best = best_by_sentence[sentence.pk]
            sentence.match_id = best.document_id if best else None
            sentence.match_score = best.score if best else None
            if _repeats_verdict(best, report):
                recorded += _record(best, report, start=sentence.start, end=sentence.end, quote=sentence.text)
        ReportSentence.objects.bulk_update(sentences, ["match", "match_score"])
        Report.objects.filter(pk=report.pk).update(tracked_at=timezone.now())
        if recorded:
            invalidate_public_pages()
    return recorded


def untracked_reports(older_than_seconds: int, limit: int = 100) -> list[int]:
    """Ready reports that tracking has not stamped within `older_than_seconds` of becoming ready (their last audited
    change, else their creation): their task was lost (a broker outage, a killed worker), or is failing. Oldest
    first."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    waiting = (
        Report.objects.filter(status=Report.Status.READY, tracked_at=None)
        .annotate(ready_since=Coalesce(Max("events__at"), "created_at"))
        .filter(ready_since__lt=cutoff)
        .order_by("pk")
    )
    return list(waiting.values_list("pk", flat=True)[:limit])


def record_claim_appearance(claim: Claim, similar: list[SimilarItem]) -> bool:
    """A claim submitted from a report that repeats one of our verdicts is an appearance of that verdict's claim,
    with the claimant the journalist named. Runs in the submission's transaction."""
    if claim.report is None or claim.quote_start is None or not similar:
        return False
    best = similar[0]
    if not _repeats_verdict(best, claim.report):
        return False
    created = _record(
        best,
        claim.report,
        start=claim.quote_start,
        end=claim.quote_end,
        quote=claim.quote,
        claimant_id=claim.claimant_id,
    )
    invalidate_public_pages()
    return created
