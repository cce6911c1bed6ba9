"""Train the check-worthiness model on CLEF 2019 Task 1 and write claims/ingest/checkworthiness_model.json.

    python manage.py build_checkworthiness_model --input ../shared/benchmarks/clef2019-task1/CT19-T1-Training.csv

By default the validation debates (claims.ingest.clef2019.VALIDATION_FILES) are left out, so
`evaluate_checkworthiness --files validation` measures the shipped model on debates it never saw; `--all-files`
trains on every debate instead. `--cross-validate` also prints leave-one-debate-out MAP over every file (19 fits).
Deterministic: the same input and options give the same file, byte for byte.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.ingest import checkworthiness, clef2019
from claims.ingest.checkworthiness_training import TrainingOptions, cross_validate, train, write_model


class Command(BaseCommand):
    help = "Train the check-worthiness model (logistic regression over n-grams and cues) and write it as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="CSV: line_number, speaker, text, label, file_name")
        parser.add_argument("--output", default=str(checkworthiness.MODEL_PATH), help="default: the shipped model")
        parser.add_argument("--all-files", action="store_true", help="also train on the validation debates")
        parser.add_argument("--c", type=float, default=TrainingOptions.c, help="inverse regularisation strength")
        parser.add_argument("--min-df", type=int, default=TrainingOptions.min_df)
        parser.add_argument("--cross-validate", action="store_true", help="print leave-one-debate-out MAP too")

    def handle(self, *args, **options) -> None:
        path = Path(options["input"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        lines = clef2019.read_lines(path)
        training_options = TrainingOptions(c=options["c"], min_df=options["min_df"])
        training = lines
        if not options["all_files"]:
            training, _held_out = clef2019.split_files(lines, clef2019.VALIDATION_FILES)
        if not training:
            raise CommandError("no training sentences left (all files are validation files; try --all-files)")
        model = train(training, training_options)
        write_model(model, Path(options["output"]))
        files = len(model["meta"]["trained_on"])
        self.stdout.write(
            f"trained on {files} files, {len(training)} sentences ({model['meta']['check_worthy']} check-worthy); "
            f"{len(model['weights'])} weights; wrote {options['output']} ({Path(options['output']).stat().st_size} B)"
        )
        if options["cross_validate"]:
            names = sorted({line.file_name for line in lines})
            score, per_file = cross_validate(lines, [[name] for name in names], training_options)
            for name, ap in per_file.items():
                self.stdout.write(f"  {name}: AP {ap:.4f}")
            self.stdout.write(f"leave-one-file-out MAP over {len(names)} files: {score:.4f}")
