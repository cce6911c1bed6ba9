"""Has this claim been checked already? Find earlier claims, our fact-checks and imported ones that say the same.

    upsert_documents([DocumentInput("fact_check", claim.id, text, "en", payload)])   # in the writer's transaction
    find_similar("5G towers spread the virus", language="en", kinds={"fact_check", "external"})

Candidates come from BM25 over word tokens (any script) and, when the encoder package is installed, from the
nearest sentence embeddings; a logistic re-ranker turns their features into a 0..1 score. Each process keeps its
own in-memory index per collection and language and catches up with the table before every search
(claims.matching.store), so a row written by another process shows up in the next search.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from . import encoder, search, store
from . import text as textlib
from .encoder import encoder_available
from .models import MatchDocument

if TYPE_CHECKING:
    import numpy as np
    from django.db.models import QuerySet

__all__ = [
    "DocumentInput",
    "Match",
    "deactivate",
    "encode_ahead",
    "encoder_available",
    "find_similar",
    "find_similar_many",
    "reencode",
    "reset",
    "stale_documents",
    "upsert_documents",
]

ENCODE_BATCH = 64
REENCODE_BATCH = 512  # rows read, encoded and written together by reencode()


@dataclass(frozen=True)
class Match:
    document_id: int
    kind: str
    ref_id: int
    text: str
    language: str
    score: float  # 0..1: the re-ranker's probability that the document states the same claim
    payload: dict


@dataclass(frozen=True)
class DocumentInput:
    kind: str
    ref_id: int
    text: str
    language: str
    payload: dict = field(default_factory=dict)
    active: bool = True


def upsert_documents(docs: list[DocumentInput], *, collection: str = "desk", batch_size: int = 2000) -> None:
    """Create or replace documents by (collection, kind, ref_id); embeddings are computed in one batch."""
    # One row per reference: the last of repeated ones wins (an upsert may not touch a row twice).
    docs = list({(d.kind, d.ref_id): d for d in docs}.values())
    if not docs:
        return
    vectors: list[bytes | None] = [None] * len(docs)
    written_by = ""
    if encoder_available():
        encoded = encoder.encode([textlib.clean(d.text) for d in docs], batch_size=ENCODE_BATCH)
        vectors = [encoder.to_bytes(v) for v in encoded]
        written_by = encoder.identity()
    now = timezone.now()
    rows = [
        MatchDocument(
            collection=collection,
            kind=d.kind,
            ref_id=d.ref_id,
            language=d.language.lower(),
            text=d.text,
            embedding=vector,
            encoder=written_by,
            payload=d.payload,
            active=d.active,
            updated_at=now,
        )
        for d, vector in zip(docs, vectors, strict=True)
    ]
    with transaction.atomic():
        for start in range(0, len(rows), batch_size):
            MatchDocument.objects.bulk_create(
                rows[start : start + batch_size],
                update_conflicts=True,
                unique_fields=["collection", "kind", "ref_id"],
                update_fields=["language", "text", "embedding", "encoder", "payload", "active", "updated_at"],
            )


def deactivate(kind: str, ref_id: int, *, collection: str = "desk") -> None:
    """The document stops being returned (retracted, deleted); upserting it again with active=True brings it back."""
    MatchDocument.objects.filter(collection=collection, kind=kind, ref_id=ref_id).update(
        active=False, updated_at=timezone.now()
    )


def stale_documents(collection: str | None = None) -> QuerySet[MatchDocument]:
    """Rows whose vectors this encoder did not write (none, or another encoder's), of one collection or all."""
    stale = MatchDocument.objects.exclude(encoder=encoder.identity())
    return stale if collection is None else stale.filter(collection=collection)


def reencode(
    *,
    collection: str | None = None,
    progress: Callable[[int], None] | None = None,
    limit: int | None = None,
) -> int:
    """Store the current encoder's vectors on the stale rows (stale_documents); how many were rewritten.

    Each batch is encoded outside any transaction, then its rows are locked and written only where the text is
    still the one encoded and the label still stale: a row upserted meanwhile already holds the right vector.
    Stopped half-way, a second run goes on. With `limit`, it stops after reading about that many rows.
    """
    if not encoder_available():
        raise RuntimeError("no encoder here to write vectors with")
    current = encoder.identity()
    stale = stale_documents(collection).order_by("id")
    written, read, last_id = 0, 0, 0
    while (limit is None or read < limit) and (
        batch := list(stale.filter(id__gt=last_id).values_list("id", "text")[:REENCODE_BATCH])
    ):
        read += len(batch)
        last_id = batch[-1][0]
        vectors = encoder.encode([textlib.clean(text) for _, text in batch], batch_size=ENCODE_BATCH)
        now = timezone.now()
        with transaction.atomic():
            still = dict(
                stale.filter(id__in=[doc_id for doc_id, _ in batch]).select_for_update().values_list("id", "text")
            )
            fresh = [
                MatchDocument(id=doc_id, embedding=encoder.to_bytes(vector), encoder=current, updated_at=now)
                for (doc_id, text), vector in zip(batch, vectors, strict=True)
                if still.get(doc_id) == text
            ]
            MatchDocument.objects.bulk_update(fresh, ["embedding", "encoder", "updated_at"])
        written += len(fresh)
        if progress:
            progress(len(batch))
    return written


def reset() -> None:
    """Forget every in-memory index of this process (tests, after a rolled-back transaction)."""
    store.reset()


def find_similar(
    text: str,
    *,
    language: str,
    limit: int = 5,
    kinds: set[str] | None = None,
    exclude: set[tuple[str, int]] = frozenset(),
    collection: str = "desk",
) -> list[Match]:
    """The documents of `language` most likely to state the same claim as `text`, best first."""
    options = {"language": language, "limit": limit, "kinds": kinds, "exclude": exclude, "collection": collection}
    return find_similar_many([text], **options)[0]


def language_sizes(collection: str = "desk") -> dict[str, int]:
    """How many active documents the matcher holds in each language."""
    index_set = store.collection_index(collection)
    index_set.sync()
    return {language: len(index) for language, index in index_set.languages.items()}


def find_similar_many(
    texts: list[str],
    *,
    language: str,
    limit: int = 5,
    kinds: set[str] | None = None,
    exclude: set[tuple[str, int]] = frozenset(),
    collection: str = "desk",
) -> list[list[Match]]:
    """find_similar for each of `texts`: the model encodes them as one batch (a report's thousands of sentences cost
    a quarter of the time they would one by one) and one query reads the matches' rows."""
    found: list[list[Match]] = [[] for _ in texts]
    index_set, language = store.collection_index(collection), language.lower()
    index_set.sync()
    if limit <= 0 or language not in index_set.languages:
        return found
    pending, vectors = list(range(len(texts))), _vectors(texts)
    for _attempt in range(2):
        ranked = {i: _rank(index_set, texts[i], vectors[i], language, limit, kinds, exclude) for i in pending}
        rows = _active_rows({doc_id for pairs in ranked.values() for doc_id, _ in pairs})
        gone = {doc_id for pairs in ranked.values() for doc_id, _ in pairs if doc_id not in rows}
        for i, pairs in ranked.items():
            found[i] = [_match(rows[doc_id], score) for doc_id, score in pairs if doc_id in rows]
        if not gone:
            break
        # Rows the index holds that the table no longer has active (a rolled-back write, a deactivation that
        # raced this search): drop them and rank again the texts that had them.
        index_set.forget(list(gone))
        index_set.sync()
        pending = [i for i, pairs in ranked.items() if any(doc_id in gone for doc_id, _ in pairs)]
    return found


def _rank(
    index_set: store.CollectionIndex,
    text: str,
    vector: np.ndarray | None,
    language: str,
    limit: int,
    kinds: set[str] | None,
    exclude: set,
) -> list[tuple[int, float]]:
    with index_set.lock:
        index = index_set.languages.get(language)
        if index is None or not len(index):
            return []
        if index.dense is None:
            vector = None
        pool = search.gather(index, text, vector, limit=limit, kinds=kinds, exclude=exclude)
        return search.rank(index, text, vector, pool, limit)


def _vector(text: str) -> np.ndarray | None:
    return encoder.encode([textlib.clean(text)])[0] if encoder_available() else None


def _vectors(texts: list[str]) -> list[np.ndarray | None]:
    """The texts' vectors, encoded before any lock is taken: other threads' searches and catch-ups need not wait for
    the model."""
    if not encoder_available() or not texts:
        return [None] * len(texts)
    return list(encoder.encode([textlib.clean(text) for text in texts], batch_size=ENCODE_BATCH))


def encode_ahead(text: str) -> None:
    """Encode `text` now, before the caller opens a transaction or takes a lock: the search and the indexing of the
    same text that follow find its vector remembered (encoder.encode) instead of running the model inside them."""
    _vector(text)


def _active_rows(ids: set[int]) -> dict[int, dict]:
    if not ids:
        return {}
    fields = ("id", "kind", "ref_id", "text", "language", "payload")
    return {row["id"]: row for row in MatchDocument.objects.filter(id__in=ids, active=True).values(*fields)}


def _match(row: dict, score: float) -> Match:
    return Match(
        document_id=row["id"],
        kind=row["kind"],
        ref_id=row["ref_id"],
        text=row["text"],
        language=row["language"],
        score=min(1.0, max(0.0, score)),
        payload=row["payload"],
    )
