"""CLEF 2019 CheckThat! Task 1 (check-worthiness in debates): reading the CSV and the official MAP measure.

The CSV has the columns line_number, speaker, text, label, file_name; one file is one debate or speech. MAP follows
the organisers' scorer: per file, sentences are ranked by score (ties keep line order), AP is the sum of the precision
at each check-worthy sentence divided by the number of check-worthy sentences (0.0 for a file without any), and MAP
is the mean over files.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

# Whole debates held out for validation: sorted(random.Random(2019).sample(sorted(file names), 5)) over the 19 files,
# written out so the split never depends on the CSV's order or on Python's random module. The five files hold 4,531
# sentences, 174 of them check-worthy; the other 14 files (11,890 sentences, 266 check-worthy) train.
VALIDATION_FILES: tuple[str, ...] = (
    "20160722_trump_acceptance.tsv",
    "20160926_1pres.tsv",
    "20161005_vice_pres.tsv",
    "20161019_3pres.tsv",
    "20181010_medicare.tsv",
)


@dataclass(frozen=True)
class Line:
    file_name: str
    line_number: int
    speaker: str
    text: str
    label: int


def read_lines(path: str | Path) -> list[Line]:
    """Read the CSV, ordered by file then line number (the order the scorer sees a debate in)."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [
            Line(
                file_name=row["file_name"],
                line_number=int(row["line_number"]),
                speaker=row.get("speaker") or "",
                text=row["text"] or "",
                label=int(row["label"]),
            )
            for row in csv.DictReader(handle)
        ]
    return sorted(rows, key=lambda line: (line.file_name, line.line_number))


def group_by_file(lines: Iterable[Line]) -> dict[str, list[Line]]:
    files: dict[str, list[Line]] = {}
    for line in lines:
        files.setdefault(line.file_name, []).append(line)
    return files


def split_files(lines: Sequence[Line], held_out: Iterable[str]) -> tuple[list[Line], list[Line]]:
    """(training lines, held-out lines) for a set of held-out file names."""
    held = set(held_out)
    return [x for x in lines if x.file_name not in held], [x for x in lines if x.file_name in held]


def average_precision(labels: Sequence[int], scores: Sequence[float]) -> float:
    """AP of one file; labels and scores are in line order, so a stable sort keeps ties in line order."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    relevant = sum(1 for label in labels if label)
    if not relevant:
        return 0.0
    found = 0
    total = 0.0
    for rank, index in enumerate(order, start=1):
        if labels[index]:
            found += 1
            total += found / rank
    return total / relevant


def mean_average_precision(lines: Sequence[Line], scores: Sequence[float]) -> tuple[float, dict[str, float]]:
    """MAP over the files in `lines` (scores aligned with lines) and the AP of each file."""
    per_file: dict[str, tuple[list[int], list[float]]] = {}
    for line, score in zip(lines, scores, strict=True):
        labels, file_scores = per_file.setdefault(line.file_name, ([], []))
        labels.append(line.label)
        file_scores.append(score)
    aps = {name: average_precision(labels, file_scores) for name, (labels, file_scores) in sorted(per_file.items())}
    return (sum(aps.values()) / len(aps) if aps else 0.0), aps
