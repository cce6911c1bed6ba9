"""A slice of CLEF 2020 Task 2 written as its own files: some tweets, their gold claims and others at a stride."""

import csv
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from claims.matching import clef

DATA = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "clef2020-task2"


def write_slice(folder: Path, split: str, queries_count: int, others: int) -> dict[str, Path]:
    """The first `queries_count` tweets of `split` (train or dev), the claims they need and `others` more."""
    queries = dict(list(clef.read_queries(DATA / split / "tweets.queries.tsv").items())[:queries_count])
    qrels = clef.read_qrels(DATA / split / "tweet-vclaim-pairs.qrels")
    gold = {claim for q in queries for claim in qrels.get(q, ())}
    claims = clef.read_claims(DATA / "verified_claims.docs.tsv")
    stride = len(claims) // others
    chosen = [c for i, c in enumerate(claims) if c.id in gold or i % stride == 0]
    paths = {name: folder / name for name in ("claims.tsv", "queries.tsv", "qrels")}
    with open(paths["claims.tsv"], "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(["", "vclaim", "title"])
        writer.writerows([c.id, c.vclaim, c.title] for c in chosen)
    with open(paths["queries.tsv"], "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(["", "tweet_content"])
        writer.writerows(queries.items())
    paths["qrels"].write_text("".join(f"{q}\t0\t{c}\t1\n" for q in queries for c in sorted(qrels.get(q, ()))))
    return paths


def run_command(name: str, paths: dict[str, Path], **options) -> str:
    """A CLEF command on a slice's files (`options` may replace one of them); what it printed."""
    out = StringIO()
    files = {"claims": paths["claims.tsv"], "queries": paths["queries.tsv"], "qrels": paths["qrels"]}
    arguments = {key: str(value) for key, value in {**files, **options}.items()}
    call_command(name, stdout=out, **arguments)
    return out.getvalue()
