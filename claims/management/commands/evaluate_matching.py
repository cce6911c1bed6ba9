"""Rank the CLEF 2020 CheckThat! Task 2 tweets against its verified claims through the matcher and score it.

    python manage.py evaluate_matching --claims ../shared/benchmarks/clef2020-task2/verified_claims.docs.tsv \
        --queries ../shared/benchmarks/clef2020-task2/dev/tweets.queries.tsv \
        --qrels ../shared/benchmarks/clef2020-task2/dev/tweet-vclaim-pairs.qrels
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from claims.management import clef_files
from claims.matching import clef, encoder_available, evaluation


class Command(BaseCommand):
    help = "Score the matcher on CLEF 2020 Task 2: MAP@1, MAP@5, MRR and milliseconds per query."

    def add_arguments(self, parser: CommandParser) -> None:
        clef_files.add_arguments(parser, "dev")
        parser.add_argument("--limit", type=int, help="only the first N queries")
        parser.add_argument("--collection", default=evaluation.COLLECTION, help="where the claims are loaded")

    def handle(self, *args, **options) -> None:
        claims, queries, qrels = clef_files.read(options)
        if options["limit"]:
            queries = dict(list(queries.items())[: options["limit"]])
        written, seconds = evaluation.load_claims(claims, collection=options["collection"], progress=True)
        mode = "encoder + lexical" if encoder_available() else "lexical only (no encoder)"
        loaded = f"loaded {written} claims in {seconds:.1f} s" if written else "claims already loaded"
        self.stdout.write(f"{len(claims)} claims ({loaded}), {len(queries)} queries; {mode}")
        run = evaluation.rank_queries(queries, collection=options["collection"])
        scores = clef.evaluate(run.ranked, {q: qrels[q] for q in queries if q in qrels})
        self.stdout.write(f"index load and first query: {run.warm_up_seconds:.1f} s")
        for name in ("MAP@1", "MAP@5", "MRR"):
            self.stdout.write(f"{name}: {scores[name]:.4f}")
        self.stdout.write(f"gold in top 5: {scores['R@5']:.4f}")
        self.stdout.write(f"ms per query: median {run.median_ms:.1f}, p95 {run.p95_ms:.1f}")
        self.stdout.write(f"machine: {evaluation.machine()}")
