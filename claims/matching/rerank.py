"""The learned re-ranker: logistic regression over claims.matching.features, weights read from reranker.json.

Its output is the probability that a candidate states the same claim as the query (calibrated on the training
queries' candidates), so a threshold such as 0.8 reads as "already fact-checked". Two models ship: one with the
encoder's cosines and a lexical one for processes without the encoder. `python manage.py build_matching_model`
writes the file; see claims/matching/training.py.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from . import features

MODEL_PATH = Path(__file__).with_name("reranker.json")


@dataclass(frozen=True)
class LinearModel:
    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def score(self, matrix: np.ndarray) -> np.ndarray:
        if not len(matrix):
            return np.zeros(0, dtype=np.float64)
        logits = ((matrix - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -40, 40)))

    def to_json(self) -> dict:
        return {
            "features": list(self.names),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
            "intercept": round(float(self.intercept), 6),
        }

    @classmethod
    def from_json(cls, data: dict) -> LinearModel:
        return cls(
            names=tuple(data["features"]),
            mean=np.array(data["mean"], dtype=np.float64),
            scale=np.array(data["scale"], dtype=np.float64),
            coef=np.array(data["coef"], dtype=np.float64),
            intercept=float(data["intercept"]),
        )


def _fallback(names: tuple[str, ...]) -> LinearModel:
    # Before a model is built: a plain blend that ranks like the published 0.2·BM25 + 0.8·cosine baseline.
    weights = {"cos": 8.0, "bm25_share": 2.0, "bm25_cover": 2.0}
    coef = np.array([weights.get(name, 0.0) for name in names])
    zeros, ones = np.zeros(len(names)), np.ones(len(names))
    intercept = -6.0 if "cos" in names else -2.0
    return LinearModel(names, zeros, ones, coef, intercept)


@cache
def models() -> dict[str, LinearModel]:
    if MODEL_PATH.exists():
        data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
        return {kind: LinearModel.from_json(model) for kind, model in data["models"].items()}
    return {"full": _fallback(features.FULL), "lexical": _fallback(features.LEXICAL)}


def model_for(dense: bool) -> LinearModel:
    return models()["full" if dense else "lexical"]


def sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))
