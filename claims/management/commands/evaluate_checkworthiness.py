"""Score every sentence of a CLEF 2019 Task 1 style CSV with the shipped check-worthiness model and print MAP.

    python manage.py evaluate_checkworthiness --input ../shared/benchmarks/clef2019-task1/CT19-T1-Training.csv \
        --files validation

MAP as the organisers compute it: per file, sentences ranked by score (ties keep line order), AP = mean precision at
each check-worthy sentence, MAP = mean over files. Each file is scored as one document in line order. The time is
the scoring time alone (the model is loaded before the clock starts), divided by the number of sentences.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.ingest import checkworthiness, clef2019
from claims.ingest.checkworthiness_training import score_lines

SELECTIONS = ("all", "validation", "training")


class Command(BaseCommand):
    help = "MAP, files, sentences and ms per sentence of the check-worthiness model on a CLEF 2019 Task 1 CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="CSV: line_number, speaker, text, label, file_name")
        parser.add_argument(
            "--files",
            choices=SELECTIONS,
            default="all",
            help="validation: only the held-out debates (claims.ingest.clef2019.VALIDATION_FILES); training: the rest",
        )
        parser.add_argument("--model", default=str(checkworthiness.MODEL_PATH), help="default: the shipped model")
        parser.add_argument("--per-file", action="store_true", help="also print the AP of each file")

    def handle(self, *args, **options) -> None:
        path = Path(options["input"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        lines = self._select(clef2019.read_lines(path), options["files"])
        if not lines:
            raise CommandError(f"no sentences in {path} for --files {options['files']}")
        model = checkworthiness.load_model(Path(options["model"]))
        started = time.perf_counter()
        scores = score_lines(model, lines)
        elapsed = time.perf_counter() - started
        score, per_file = clef2019.mean_average_precision(lines, scores)
        if options["per_file"]:
            for name, ap in per_file.items():
                self.stdout.write(f"  {name}: AP {ap:.4f}")
        self.stdout.write(f"files: {len(per_file)}")
        self.stdout.write(f"sentences: {len(lines)} ({sum(line.label for line in lines)} check-worthy)")
        self.stdout.write(f"MAP: {score:.4f}")
        self.stdout.write(f"ms per sentence: {1000 * elapsed / len(lines):.3f}")

    @staticmethod
    def _select(lines: list[clef2019.Line], selection: str) -> list[clef2019.Line]:
        if selection == "all":
            return lines
        training, validation = clef2019.split_files(lines, clef2019.VALIDATION_FILES)
        return validation if selection == "validation" else training
