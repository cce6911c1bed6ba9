"""Claim tracking on a long report: every sentence matched one at a time, against the batches `track_report` uses.

    .venv/bin/python bench/tracking.py [--sentences 2000] [--documents 2000] [--database URL]

The desk's matcher holds `--documents` generated claims (bench/matching_corpus.py, seeded) as published verdicts; a
report of `--sentences` sentences (other generated claims, so each is worth matching) is stored, then matched twice:
sentence by sentence through `similar_to_text`, as tracking did before it batched, and by `track_report` itself.
Printed: seconds and milliseconds per sentence for each, and their ratio. The default database is a new SQLite file
in a temporary folder; a PostgreSQL URL names a database this script may empty (it is created when missing).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from benchkit import create_database_if_missing

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SEED = 2020


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=2000, help="sentences in the report")
    parser.add_argument("--documents", type=int, default=2000, help="verdicts the matcher holds")
    parser.add_argument("--database", help="database URL (default: a new SQLite file)")
    return parser.parse_args()


def setup(database: str | None) -> None:
    os.environ["DATABASE_URL"] = database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'tracking.sqlite3'}"
    create_database_if_missing(os.environ["DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_verdicts(count: int) -> None:
    from matching_corpus import sentences

    from claims import matching
    from claims.matching.models import MatchDocument

    MatchDocument.objects.filter(collection="desk").delete()
    # Verdicts of no claim row and no publication date: matched like any, never recorded as repeated.
    texts = list(sentences(count, seed=SEED))
    matching.upsert_documents([matching.DocumentInput("fact_check", i + 1, t, "en") for i, t in enumerate(texts)])


def long_report(count: int):
    from django.contrib.auth import get_user_model
    from matching_corpus import sentences

    from claims.ingest.services import store_sentences
    from claims.models import Report

    user, _ = get_user_model().objects.get_or_create(username="bench-tracking")
    body = " ".join(sentences(count, seed=SEED + 1))
    report = Report.objects.create(
        body=body, language="en", headline=f"Tracking bench {time.time()}", submitted_by=user, status="ready"
    )
    store_sentences(report)
    return report


def one_by_one(report) -> float:
    from claims.ingest.models import ReportSentence
    from claims.matching import encoder
    from claims.similar import similar_to_text

    texts = list(ReportSentence.objects.filter(report=report).order_by("position").values_list("text", flat=True))
    encoder.forget_remembered()
    started = time.perf_counter()
    for text in texts:
        similar_to_text(text, language=report.language, limit=1)
    return time.perf_counter() - started


def batched(report) -> float:
    from claims.ingest.tracking import track_report
    from claims.matching import encoder

    encoder.forget_remembered()
    started = time.perf_counter()
    track_report(report_id=report.pk)
    return time.perf_counter() - started


def main() -> None:
    args = parse_args()
    setup(args.database)
    from claims.matching import encoder

    load_verdicts(args.documents)
    report = long_report(args.sentences)
    count = report.sentences.count()
    similar_warm = one_by_one(long_report(20))  # loads the models and the index before anything is timed
    batched(long_report(300))
    print(f"machine: {encoder.cpu().model}; warm-up {similar_warm:.1f} s")
    print(f"report: {count} sentences; matcher: {args.documents} verdicts")
    alone, together = one_by_one(report), batched(report)
    for label, seconds in (("one at a time", alone), ("track_report (batches)", together)):
        print(f"{label:>24}: {seconds:7.1f} s, {1000 * seconds / count:6.2f} ms per sentence")
    print(f"{'ratio':>24}: {alone / together:.2f}x")


if __name__ == "__main__":
    main()
