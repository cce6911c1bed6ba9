"""Loading the CLEF 2020 verified claims into a collection of their own and ranking the tweets against them."""

from __future__ import annotations

import hashlib
import os
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from . import DocumentInput, encoder, find_similar, stale_documents, store, upsert_documents
from .clef import VerifiedClaim
from .encoder import encoder_available
from .models import MatchDocument

COLLECTION = "clef2020"
LANGUAGE = "en"
KIND = MatchDocument.Kind.EXTERNAL
UPSERT_BATCH = 512


def _fingerprint(pairs: Sequence[tuple[int, str]]) -> str:
    digest = hashlib.sha256()
    for ref_id, text in sorted(pairs):
        digest.update(f"{ref_id}\t{text}\n".encode())
    return digest.hexdigest()


def load_claims(
    claims: Sequence[VerifiedClaim], *, collection: str = COLLECTION, progress: bool = False
) -> tuple[int, float]:
    """Make the collection hold exactly these claims (kind external, ref id = claim id); (written, seconds).

    A collection that already holds the same texts (with this encoder's embeddings when it is installed) is kept, so
    a second run skips the encoding.
    """
    rows = MatchDocument.objects.filter(collection=collection, active=True)
    wanted = _fingerprint([(c.id, c.text) for c in claims])
    held = _fingerprint(list(rows.values_list("ref_id", "text")))
    # Rows without this encoder's vectors (none, or another encoder's) are written again.
    stale = encoder_available() and stale_documents(collection).filter(active=True).exists()
    if held == wanted and not stale:
        return 0, 0.0
    from tqdm import tqdm

    started = time.perf_counter()
    MatchDocument.objects.filter(collection=collection).delete()
    store.reset(collection)
    for start in tqdm(range(0, len(claims), UPSERT_BATCH), disable=not progress, desc="claims", unit="batch"):
        batch = claims[start : start + UPSERT_BATCH]
        upsert_documents([DocumentInput(KIND, c.id, c.text, LANGUAGE) for c in batch], collection=collection)
    return len(claims), time.perf_counter() - started


@dataclass
class Run:
    ranked: dict[int, list[int]]
    milliseconds: list[float]
    warm_up_seconds: float

    @property
    def median_ms(self) -> float:
        return statistics.median(self.milliseconds) if self.milliseconds else 0.0

    @property
    def p95_ms(self) -> float:
        return percentile(self.milliseconds, 95)


def percentile(values: Sequence[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def rank_queries(
    queries: Mapping[int, str],
    *,
    collection: str = COLLECTION,
    depth: int = 5,
    search: Callable[..., list] = find_similar,
) -> Run:
    """Each query through the public search, timed one by one after a first search that loads index and encoder."""
    started = time.perf_counter()
    search("warm up", language=LANGUAGE, limit=depth, collection=collection)
    warm_up = time.perf_counter() - started
    ranked, times = {}, []
    for query_id, text in queries.items():
        started = time.perf_counter()
        matches = search(text, language=LANGUAGE, limit=depth, collection=collection)
        times.append((time.perf_counter() - started) * 1000)
        ranked[query_id] = [m.ref_id for m in matches]
    return Run(ranked, times, warm_up)


def machine() -> str:
    """The CPU, which runtime encodes one text and which a batch, and one text's encoding time now. The same code
    measured twice as fast on one 2-core VM as on another, and one VM's speed drifted threefold within an hour
    (bench/README.md): latency figures compare only beside this line."""
    here = encoder.cpu()
    extensions = [name for name in ("avx2", "avx512f", "avx512_bf16", "amx_bf16") if name in here.flags]
    described = f"{here.model}, {len(os.sched_getaffinity(0))} cores ({' '.join(extensions) or 'no AVX2'})"
    if not encoder_available():
        return f"{described}; no encoder"
    encoder.forget_remembered()  # a second call must encode its texts again; within one call they all differ
    timings = []
    for n in range(60):
        started = time.perf_counter()
        encoder.encode([f"The talks lasted more than {n} hours, officials said on Tuesday."])
        timings.append((time.perf_counter() - started) * 1000)
    return (
        f"{described}; one text on {encoder.backend(1)}, batches on {encoder.backend(encoder.SMALL_BATCH + 1)}; "
        f"one tweet-sized text: median {statistics.median(timings[10:]):.1f} ms"
    )
