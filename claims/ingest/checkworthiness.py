"""Check-worthiness of the sentences of a report: a score in 0..1 per sentence, higher = more worth checking.

The model is a logistic regression over the features of `checkworthiness_features`, shipped as JSON next to this
module (built by `python manage.py build_checkworthiness_model`). Scoring needs only the standard library. The model
is trained on English debates; sentences in other languages or scripts still get a score from the cues that need no
vocabulary (digits, percentages, money, years, length, questions), since English n-grams rarely fire on them.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from claims.ingest.checkworthiness_features import document_features

MODEL_PATH = Path(__file__).with_name("checkworthiness_model.json")
MODEL_FORMAT = "checkworthiness-logreg/1"


@dataclass(frozen=True)
class Model:
    bias: float
    weights: dict[str, float]
    meta: dict

    @classmethod
    def from_dict(cls, data: dict) -> Model:
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"unsupported check-worthiness model format: {data.get('format')!r}")
        return cls(bias=float(data["bias"]), weights=dict(data["weights"]), meta=dict(data.get("meta", {})))

    def logit(self, features: dict[str, float]) -> float:
        weights = self.weights
        return self.bias + sum(weights.get(name, 0.0) * value for name, value in features.items())

    def score_document(self, sentences: Sequence[str]) -> list[float]:
        return [_sigmoid(self.logit(row)) for row in document_features(sentences)]


def _sigmoid(x: float) -> float:
    # Split by sign so math.exp never overflows.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


_lock = threading.Lock()
_loaded: dict[Path, Model] = {}


def load_model(path: Path = MODEL_PATH) -> Model:
    """The model at `path`, read once per process."""
    model = _loaded.get(path)
    if model is None:
        with _lock:
            model = _loaded.get(path)
            if model is None:
                model = Model.from_dict(json.loads(path.read_text(encoding="utf-8")))
                _loaded[path] = model
    return model


def score_sentences(sentences: list[str], *, language: str = "en") -> list[float]:
    """Scores in 0..1 in the order given. Pass the sentences of one report in reading order: each sentence's score
    also looks at its neighbours. `language` is accepted for every language; the single model is English-trained and
    relies on its script-independent cues elsewhere."""
    if not sentences:
        return []
    return load_model().score_document([text if isinstance(text, str) else "" for text in sentences])
