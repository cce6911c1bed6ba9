"""The CLEF 2020 Task 2 files that the matching commands read: the same three options, read and checked one way."""

from __future__ import annotations

import csv
from typing import Any

from django.core.management.base import CommandError, CommandParser

from claims.matching import clef


def add_arguments(parser: CommandParser, split: str) -> None:
    """--claims, --queries and --qrels, `split` naming which tweets ("training", "dev"…) the help suggests."""
    parser.add_argument("--claims", required=True, help="verified_claims.docs.tsv")
    parser.add_argument("--queries", required=True, help=f"{split} tweets.queries.tsv")
    parser.add_argument("--qrels", required=True, help=f"{split} tweet-vclaim-pairs.qrels")


def read(options: dict[str, Any]) -> tuple[list[clef.VerifiedClaim], dict[int, str], dict[int, set[int]]]:
    """The claims, queries and relevant claims per query, or a CommandError saying which file could not be read."""
    try:
        claims = clef.read_claims(options["claims"])
        queries = clef.read_queries(options["queries"])
        qrels = clef.read_qrels(options["qrels"])
    except (OSError, ValueError, IndexError, csv.Error) as error:
        raise CommandError(f"could not read the CLEF files: {error}") from error
    if not any(query in qrels for query in queries):
        raise CommandError("no query of --queries has a relevant claim in --qrels")
    return claims, queries, qrels
