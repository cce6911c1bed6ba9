"""The matcher's vectors for the web benchmark's claims.

Every generated claim is one of web_texts.sentences plus its number, and its matcher rows carry the vector of that
base sentence. Encoding each of a million claims would take most of an hour on two cores, for nothing the web
benchmark measures: the matcher's dense search is exhaustive, so a query costs the same whichever vectors it holds.
The 2,000 base sentences are encoded once and cached in bench/.cache/, under the encoder's identity and a digest of
their text.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import numpy as np
from benchkit import log
from web_texts import LANGUAGES, sentences

CACHE = Path(__file__).resolve().parent / ".cache"


def _cache_path() -> Path:
    from claims.matching import encoder

    digest = hashlib.sha256("\n".join(s for lang in LANGUAGES for s in sentences(lang.code)).encode()).hexdigest()
    return CACHE / f"web-sentences-{encoder.identity()}-{digest[:12]}.npz"


def _encode_all() -> dict[str, np.ndarray]:
    from claims.matching import encoder
    from claims.matching import text as textlib

    started = time.perf_counter()
    arrays = {}
    for language in LANGUAGES:
        texts = [textlib.clean(sentence) for sentence in sentences(language.code)]
        arrays[language.code] = encoder.encode(texts, batch_size=128, max_seq_length=64)
    count = sum(len(array) for array in arrays.values())
    log(f"encoded {count:,} base sentences in {time.perf_counter() - started:.0f} s (cached for later runs)")
    return arrays


def sentence_vectors() -> dict[str, list[bytes]] | None:
    """Per language code, the stored form of each base sentence's vector; None where no encoder is installed (the
    rows are then written without one, as the service does)."""
    from claims.matching import encoder

    if not encoder.encoder_available():
        return None
    path = _cache_path()
    if path.exists():
        arrays = dict(np.load(path))
    else:
        arrays = _encode_all()
        CACHE.mkdir(exist_ok=True)
        np.savez(path, **arrays)
    return {code: [encoder.to_bytes(vector) for vector in array] for code, array in arrays.items()}
