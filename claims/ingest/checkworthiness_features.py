"""Features of a sentence for check-worthiness, shared by training and scoring so the two cannot drift.

A sentence becomes a sparse dict of named features in blocks: word 1-2-grams ("w:"), character 2-5-grams inside
words ("c:"), a few cues that need no vocabulary or only a short English list ("d:": digits, percentages, money,
years, length, capitalised words, claiming verbs, comparatives, filler) and the same cues of the previous and next
sentence ("p:", "n:"), because check-worthy claims come in runs inside a speech (the neighbours' words added nothing
in cross-validation). Counts are damped (1 + log) and each n-gram block is divided by the square root of the number
of n-grams the sentence produced, which depends only on the sentence, so leaving a near-zero weight out of the
model never changes another feature's value.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence

_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|\w+|[%$€£¥?!]")
_DIGIT = re.compile(r"\d")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# English cues; other languages still get the digit, symbol and length cues.
_COMPARATIVES = _word_set(
    "more less fewer most least higher lower larger smaller bigger biggest largest highest lowest increase increased "
    "decrease decreased doubled tripled than times percent million billion trillion thousand hundred half"
)
_CLAIM_VERBS = _word_set(
    "said says voted vote passed signed cut cuts raised raise spent spend cost costs lost lose created killed "
    "paid pay taxes tax grew grown fell dropped rose record"
)
_FILLER = _word_set("thank thanks applause laughter okay ok yes no well crosstalk")

WORD_PREFIX = "w:"
CHAR_PREFIX = "c:"
DENSE_PREFIX = "d:"
CONTEXT_PREFIXES = ("p:", "n:")


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; every digit becomes 0 so "3.5" and "7.2" share a feature."""
    return [_DIGIT.sub("0", token) for token in _TOKEN.findall(text.lower())]


def _word_ngrams(words: Sequence[str]) -> list[str]:
    grams = [WORD_PREFIX + word for word in words]
    grams.extend(f"{WORD_PREFIX}{a} {b}" for a, b in itertools.pairwise(words))
    return grams


def _char_ngrams(words: Sequence[str]) -> list[str]:
    grams = []
    for word in words:
        padded = f" {word} "
        size = len(padded)
        for n in range(2, 6):
            grams.extend(CHAR_PREFIX + padded[i : i + n] for i in range(size - n + 1))
    return grams


def _damped(grams: list[str]) -> dict[str, float]:
    if not grams:
        return {}
    scale = 1.0 / math.sqrt(len(grams))
    return {gram: (1.0 + math.log(count)) * scale for gram, count in Counter(grams).items()}


def cues(text: str, words: Sequence[str]) -> dict[str, float]:
    """Language-independent and English cues, each a small number (no vocabulary needed)."""
    digits = sum(1 for word in words if word[:1] == "0")
    found = {
        "len": math.log1p(len(words)),
        "chars": math.log1p(len(text)) / 5.0,
        "short": 1.0 if len(words) < 6 else 0.0,
        "digits": min(digits, 3) / 3.0,
        "percent": 1.0 if "%" in text or "percent" in words else 0.0,
        "money": 1.0 if any(symbol in text for symbol in "$€£¥") or "dollars" in words else 0.0,
        "year": 1.0 if _YEAR.search(text) else 0.0,
        "question": 1.0 if "?" in text else 0.0,
        "capitalised": min(len(_CAPITALISED.findall(text)), 4) / 4.0,
        "comparative": min(sum(1 for word in words if word in _COMPARATIVES), 3) / 3.0,
        "claim_verb": min(sum(1 for word in words if word in _CLAIM_VERBS), 3) / 3.0,
        "filler": min(sum(1 for word in words if word in _FILLER), 2) / 2.0,
    }
    return {DENSE_PREFIX + name: value for name, value in found.items() if value}


def _own_features(text: str) -> tuple[dict[str, float], dict[str, float]]:
    words = tokens(text)
    sparse = _damped(_word_ngrams(words))
    sparse.update(_damped(_char_ngrams(words)))
    return sparse, cues(text, words)


def document_features(sentences: Sequence[str]) -> list[dict[str, float]]:
    """Features of each sentence of one document, in order; neighbours are the adjacent sentences."""
    own = [_own_features(text or "") for text in sentences]
    edge = {DENSE_PREFIX + "none": 1.0}  # no neighbour: the first or last sentence
    rows = []
    for index, (sparse, dense) in enumerate(own):
        previous = own[index - 1][1] if index > 0 else edge
        following = own[index + 1][1] if index + 1 < len(own) else edge
        row = {**sparse, **dense}
        row.update({CONTEXT_PREFIXES[0] + name: value for name, value in previous.items()})
        row.update({CONTEXT_PREFIXES[1] + name: value for name, value in following.items()})
        rows.append(row)
    return rows
