"""Each process's in-memory copy of the match documents, kept current from the table's `updated_at`.

The first search of a collection loads its active rows. Every later search first asks for the ids and stamps of
rows updated after the settled point: the newest `updated_at` seen, but no later than the previous check minus
OVERLAP. A transaction that stamped its rows before one already read but committed after it is still seen, as long
as it committed (and the clocks of the writing processes agree) within OVERLAP: rows in that window are counted,
and read again only when the count differs from the rows already applied there. Once nothing has changed for
OVERLAP the check is one indexed query that returns no row; a row is applied again only when its stamp changed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from . import encoder
from . import text as textlib
from .index import LanguageIndex, Row
from .models import MatchDocument

logger = logging.getLogger(__name__)
OVERLAP = timedelta(minutes=2)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
LOAD_CHUNK = 100_000  # rows per segment on a cold load
FETCH_CHUNK = 500
_FIELDS = ("id", "kind", "ref_id", "language", "text", "embedding", "encoder", "active", "updated_at")


class CollectionIndex:
    def __init__(self, collection: str) -> None:
        self.collection = collection
        self.lock = threading.RLock()
        self.load_seconds = 0.0
        self._forget_all()

    def sync(self, *, progress: bool = False) -> None:
        with self.lock:
            encoder_now = encoder.identity() if encoder.encoder_available() else None
            if encoder_now != self.vectors_of:
                # The vectors held were written for another encoder (the adapter turned off or on, the encoder
                # turned off): start again rather than compare them with this encoder's queries.
                self._forget_all()
                self.vectors_of = encoder_now
            if self.watermark is None:
                try:
                    self._load(progress=progress)
                except BaseException:
                    self._forget_all()  # half a load is not an index: the next search loads it again
                    raise
            else:
                self._catch_up()

    def _forget_all(self) -> None:
        """Nothing loaded: the next sync reads the whole table."""
        self.languages: dict[str, LanguageIndex] = {}
        self.language_of: dict[int, str] = {}
        self.watermark: datetime | None = None
        self.checked_at = _EPOCH  # when the table was last read (this process's clock)
        self.applied: dict[int, datetime] = {}  # rows inside the overlap window, with the stamp applied
        self.oldest_applied: datetime | None = None  # the oldest stamp in `applied`
        self.vectors_of: str | None = None  # the encoder whose vectors the index holds (None: no vectors)

    def _rows(self):
        return MatchDocument.objects.filter(collection=self.collection)

    def _load(self, *, progress: bool) -> None:
        started = time.perf_counter()
        # Read the watermark first: rows written while the load runs are stamped later and caught up next time.
        self.checked_at = timezone.now()
        self.watermark = self._rows().aggregate(newest=Max("updated_at"))["newest"] or _EPOCH
        active = self._rows().filter(active=True).order_by("id")
        bar = _progress_bar(active.count() if progress else 0, progress)
        last_id = 0
        # Pages by key, not a server-side cursor: each is one short query, also behind a transaction-mode pooler.
        while batch := list(active.filter(id__gt=last_id).values_list(*_FIELDS)[:LOAD_CHUNK]):
            self._apply(batch)
            bar.update(len(batch))
            last_id = batch[-1][0]
        bar.close()
        self.load_seconds = time.perf_counter() - started

    def _catch_up(self) -> None:
        # Everything stamped before the previous check minus OVERLAP was committed by then, so was read then.
        settled = min(self.watermark, self.checked_at - OVERLAP)
        self.checked_at = timezone.now()
        self._settle(settled)
        rows = self._rows()
        stamps = list(rows.filter(updated_at__gt=self.watermark).values_list("id", "updated_at"))
        reread = False
        if settled < self.watermark:
            # A late commit can only add rows between `settled` and the watermark: count them before reading them.
            # `applied` holds exactly the rows applied there (see _settle), less those stamped again since.
            window = rows.filter(updated_at__gt=settled, updated_at__lte=self.watermark)
            moved = sum(1 for doc_id, _ in stamps if doc_id in self.applied)
            reread = window.count() != len(self.applied) - moved
            if reread:
                stamps += window.values_list("id", "updated_at")
        fresh = [doc_id for doc_id, stamp in stamps if self.applied.get(doc_id) != stamp]
        for start in range(0, len(fresh), FETCH_CHUNK):
            chunk = fresh[start : start + FETCH_CHUNK]
            self._apply(list(MatchDocument.objects.filter(id__in=chunk).values_list(*_FIELDS)))
        if reread:  # the window as read replaces what was known of it
            self.applied, self.oldest_applied = {}, None
        if stamps:
            self.watermark = max(self.watermark, max(stamp for _, stamp in stamps))
        for doc_id, stamp in stamps:
            if stamp > settled:
                self._remember(doc_id, stamp)

    def _settle(self, settled: datetime) -> None:
        """Drop the rows stamped at or before `settled` from `applied`: one pass, and only when one is there (a bulk
        write leaves thousands in it, which every search would otherwise walk until they settle)."""
        if self.oldest_applied is not None and self.oldest_applied <= settled:
            self.applied = {doc_id: stamp for doc_id, stamp in self.applied.items() if stamp > settled}
            self.oldest_applied = min(self.applied.values(), default=None)

    def _remember(self, doc_id: int, stamp: datetime) -> None:
        self.applied[doc_id] = stamp
        if self.oldest_applied is None or stamp < self.oldest_applied:
            self.oldest_applied = stamp

    def _apply(self, rows: list[tuple]) -> None:
        """Index active rows, drop inactive ones; rows may repeat ones already applied."""
        by_language: dict[str, list[Row]] = defaultdict(list)
        missing: list[tuple[str, int]] = []
        current = self.vectors_of
        for doc_id, kind, ref_id, language, text, embedding, written_by, active, stamp in rows:
            if stamp > self.checked_at - OVERLAP:
                self._remember(doc_id, stamp)
            language = language.lower()
            previous = self.language_of.pop(doc_id, None)
            if previous is not None:
                self.languages[previous].remove(doc_id)
            if not active:
                continue
            self.language_of[doc_id] = language
            # Another encoder's vector is as good as none: its cosines to this encoder's queries mean nothing.
            vector = encoder.from_bytes(embedding) if written_by == current else None
            row = Row(doc_id, kind, ref_id, text, vector)
            if row.vector is None:
                missing.append((language, len(by_language[language])))
            by_language[language].append(row)
        if missing and current is not None:
            # Rows written where no encoder was installed, or by another one, get their vectors here, in this process
            # only (the worker's reencode_matching task, or the command, stores them).
            logger.warning(
                "collection %r: encoding %d rows whose stored vectors are missing or from another encoder than %s, "
                "in this process only; a worker stores them when beat sends claims.reencode_matching, or run "
                "`python manage.py reencode_matching`",
                self.collection,
                len(missing),
                current,
            )
            vectors = encoder.encode([textlib.clean(by_language[lang][i].text) for lang, i in missing])
            for (lang, i), vector in zip(missing, vectors, strict=True):
                by_language[lang][i].vector = vector
        for language, language_rows in by_language.items():
            self.languages.setdefault(language, LanguageIndex()).add(language_rows)

    def forget(self, document_ids: list[int]) -> None:
        with self.lock:
            for doc_id in document_ids:
                language = self.language_of.pop(doc_id, None)
                if language is not None:
                    self.languages[language].remove(doc_id)

    def memory_bytes(self) -> int:
        total = 0
        for index in self.languages.values():
            for _, seg in index.segments:
                total += seg.rows.data.nbytes + seg.rows.indices.nbytes + seg.post_docs.nbytes * 2
            total += sum(len(t) for t in index.texts) + 100 * len(index.texts)
            if index.dense is not None:
                total += index.dense.memory_bytes
        return total


class _NoBar:
    def update(self, count: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress_bar(total: int, enabled: bool):
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", desc="index")


_collections: dict[str, CollectionIndex] = {}
_registry_lock = threading.Lock()


def collection_index(collection: str) -> CollectionIndex:
    with _registry_lock:
        if collection not in _collections:
            _collections[collection] = CollectionIndex(collection)
        return _collections[collection]


def reset(collection: str | None = None) -> None:
    """Forget the in-memory copy (of one collection, or all): the next search loads it again from the table."""
    with _registry_lock:
        if collection is None:
            _collections.clear()
        else:
            _collections.pop(collection, None)
