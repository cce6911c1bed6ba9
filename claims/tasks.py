"""Celery tasks of report ingestion and of the matcher's upkeep: thin, take ids, re-read rows and return early when
there is nothing to do."""

import logging
import time

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError

from claims.ingest import services, tracking
from claims.ingest.selectors import stale_fetches, url_to_fetch
from claims.matching import encoder_available, reencode, stale_documents
from core.fetching import FetchError, RefusedTarget, fetch_html
from core.names import Task

TRANSIENT = (OperationalError, InterfaceError, ConnectionError)
# Seconds a report may stay `fetching` before the sweep sends its fetch again.
STALE_FETCH_SECONDS = 300
# Seconds a ready report may wait for its tracking before the sweep sends it again (tracking twice is harmless).
UNTRACKED_SECONDS = 120
# Rows one run of reencode_matching encodes before it hands over to the next (15-50 s on 2 cores): a run stays well
# inside the task time limit, and the tasks queued behind it wait for one slice, not for a whole collection.
REENCODE_SLICE = 10_000
REENCODE_LOCK = "matching:reencode"

logger = logging.getLogger(__name__)


def _fetch(url: str):
    """The page, trying again after each of settings.REPORT_FETCH_RETRY_DELAYS when the site fails (it may be
    restarting); a refused address is final at once. Short waits in the task, not broker countdowns."""
    for delay in (*settings.REPORT_FETCH_RETRY_DELAYS, None):
        try:
            return fetch_html(url)
        except RefusedTarget:
            raise
        except FetchError:
            if delay is None:
                raise
            time.sleep(delay)
    return None  # not reached: the last attempt returns or raises


@shared_task(name=Task.FETCH_REPORT, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def fetch_report(report_id: int) -> str | None:
    url = url_to_fetch(report_id)
    if url is None:
        return None  # read already, failed, or deleted
    try:
        page = _fetch(url)
    except FetchError as exc:
        services.fail_fetching(report_id=report_id, reason=str(exc))
        return "failed"
    report = services.store_fetched_page(report_id=report_id, page=page)
    return report.status if report else None


@shared_task(name=Task.TRACK_REPORT, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def track_report(report_id: int) -> int:
    """Match each sentence of a ready report against earlier claims and verdicts; record repeated claims."""
    return tracking.track_report(report_id=report_id)


@shared_task(name=Task.SWEEP_REPORTS, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def sweep_reports() -> int:
    """Send again the work of reports whose task was lost: fetches of reports still `fetching`, and the tracking of
    ready reports never tracked. Returns how many were sent."""
    stale = stale_fetches(STALE_FETCH_SECONDS)
    for report_id in stale:
        fetch_report.delay(report_id)
    untracked = tracking.untracked_reports(UNTRACKED_SECONDS)
    for report_id in untracked:
        track_report.delay(report_id)
    if untracked:
        logger.info("tracking %d reports again: %s", len(untracked), untracked)
    return len(stale) + len(untracked)


@shared_task(name=Task.REENCODE_MATCHING, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def reencode_matching() -> int:
    """After the encoder changed (a package upgrade, a new adapter): store its vectors on the match documents that
    hold another encoder's, a slice per run, sending itself again while any remain. Beat starts it; the other
    processes stop encoding those rows for themselves as they read the new vectors. One run at a time: a lock in
    the shared cache, which its timeout frees if the worker dies holding it."""
    if not encoder_available() or not cache.add(REENCODE_LOCK, True, settings.CELERY_TASK_TIME_LIMIT):
        return 0
    try:
        written = reencode(limit=REENCODE_SLICE)
        more = written > 0 and stale_documents().exists()
    finally:
        cache.delete(REENCODE_LOCK)
    if written:
        logger.info("re-encoded %d match documents%s", written, "; more to go" if more else "")
    if more:
        reencode_matching.delay()
    return written
