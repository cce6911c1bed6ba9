"""Training the check-worthiness model on CLEF 2019 Task 1 debates (needs scikit-learn; scoring does not).

Features come from `checkworthiness_features`, the module the scorer uses. The result is a plain dict (bias,
rounded weights, metadata) written as sorted JSON, so the same input always gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from claims.ingest.checkworthiness import MODEL_FORMAT, Model
from claims.ingest.checkworthiness_features import document_features
from claims.ingest.clef2019 import Line, group_by_file, mean_average_precision, split_files


@dataclass(frozen=True)
class TrainingOptions:
    c: float = 0.1  # chosen by cross-validation over the training files (see the build command's --cross-validate)
    min_df: int = 2  # features seen in fewer sentences get no weight
    seed: int = 2019
    digits: int = 4  # significant digits kept per weight
    prune: float = 0.02  # smaller weights (in absolute value) are left out: a third of the file, same MAP


def features_by_line(lines: Sequence[Line]) -> list[dict[str, float]]:
    """Features of each line, computed per file in line order (so neighbours are the same as at scoring time)."""
    rows: dict[tuple[str, int], dict[str, float]] = {}
    for name, file_lines in group_by_file(lines).items():
        for line, row in zip(file_lines, document_features([x.text for x in file_lines]), strict=True):
            rows[(name, line.line_number)] = row
    return [rows[(x.file_name, x.line_number)] for x in lines]


def _round(value: float, digits: int) -> float:
    return float(f"{value:.{digits}g}")


def train(lines: Sequence[Line], options: TrainingOptions = TrainingOptions()) -> dict:
    """Fit a logistic regression on `lines` and return the model as a JSON-ready dict."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform(features_by_line(lines))
    document_frequency = np.asarray((matrix > 0).sum(axis=0)).ravel()
    kept = np.flatnonzero(document_frequency >= options.min_df)
    # Balanced weights: about 1 sentence in 37 is check-worthy, and the ranking is what matters.
    classifier = LogisticRegression(
        C=options.c, class_weight="balanced", max_iter=5000, tol=1e-6, random_state=options.seed
    )
    classifier.fit(matrix[:, kept], [line.label for line in lines])
    names = vectorizer.get_feature_names_out()[kept]
    weights = {
        str(name): _round(float(weight), options.digits)
        for name, weight in zip(names, classifier.coef_[0], strict=True)
        if abs(weight) >= options.prune
    }
    return {
        "format": MODEL_FORMAT,
        "bias": _round(float(classifier.intercept_[0]), options.digits),
        "weights": dict(sorted(weights.items())),
        "meta": {
            "trained_on": sorted({line.file_name for line in lines}),
            "sentences": len(lines),
            "check_worthy": sum(line.label for line in lines),
            "c": options.c,
            "min_df": options.min_df,
        },
    }


def dumps(model: dict) -> str:
    return json.dumps(model, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_model(model: dict, path: Path) -> None:
    path.write_text(dumps(model), encoding="utf-8")


def score_lines(model: Model, lines: Sequence[Line]) -> list[float]:
    """Scores of CLEF lines with a model, each file scored as one document in line order."""
    scores: dict[tuple[str, int], float] = {}
    for name, file_lines in group_by_file(lines).items():
        for line, score in zip(file_lines, model.score_document([x.text for x in file_lines]), strict=True):
            scores[(name, line.line_number)] = score
    return [scores[(x.file_name, x.line_number)] for x in lines]


def cross_validate(
    lines: Sequence[Line], folds: Iterable[Sequence[str]], options: TrainingOptions = TrainingOptions()
) -> tuple[float, dict[str, float]]:
    """Leave-files-out: for each fold, train on the other files and rank the held-out ones. MAP over all files."""
    per_file: dict[str, float] = {}
    for held_out in folds:
        training, testing = split_files(lines, held_out)
        model = Model.from_dict(train(training, options))
        per_file.update(mean_average_precision(testing, score_lines(model, testing))[1])
    return sum(per_file.values()) / len(per_file), dict(sorted(per_file.items()))
