"""A site-wide stamp of the public content: cached public pages are keyed by it, and any change that readers must see
replaces it.

Kept here rather than with the pages so that every app that changes what the public pages show (publishing, and edits
of the rows those pages display) can invalidate them without importing the site.
"""

import logging
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

from core.dispatch import enqueue_on_commit
from core.names import Task

STAMP_KEY = "factcheck:pages:stamp"
STAMPED_TTL = 10 * 60
T = TypeVar("T")
logger = logging.getLogger(__name__)


def _new_stamp() -> str:
    return f"{time.time_ns():x}-{secrets.token_hex(4)}"


def _age(stamp: str) -> float:
    """Seconds since `stamp` was made (infinite for one this module did not make)."""
    try:
        return time.time() - int(stamp.partition("-")[0], 16) / 1e9
    except ValueError:
        return float("inf")


def current_stamp() -> str:
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        cache.add(STAMP_KEY, _new_stamp(), timeout=None)
        stamp = cache.get(STAMP_KEY)
    return stamp or _new_stamp()


def _bump_stamp() -> None:
    cache.set(STAMP_KEY, _new_stamp(), timeout=None)


def invalidate_public_pages() -> None:
    """Every public page is rendered afresh once the current transaction commits (at once outside one), and a task
    computes the values readers may see lagging (`lagging_value`) for the new stamp, so that no reader waits for
    them."""
    # robust: a cache that is down must not turn a committed publication into an error for the editor.
    transaction.on_commit(_bump_stamp, robust=True)
    enqueue_on_commit(Task.REFRESH_PUBLIC_VALUES)


def read_stamped(key: str) -> tuple[str, Any]:
    """The current stamp, and what `key` holds if it was stored under that stamp (else None): one cache round trip.

    Values are stored with the stamp read before they were computed (`store_stamped`), so one computed from data
    older than a bump is never read after it; a later store under the same key replaces it rather than piling up.
    """
    stamp, held = _read_held(key)
    return stamp, _held_under(held, stamp)


@dataclass
class _ReadAhead:
    keys: list[str]  # to fetch with the first read
    held: dict[str, Any] = field(default_factory=dict)  # fetched and not read yet
    stamp: str = ""  # read with them


_ahead: ContextVar[_ReadAhead | None] = ContextVar("read_ahead", default=None)


@contextmanager
def reading_ahead(names: Iterable[str]) -> Iterator[None]:
    """Inside the block, the first stamped value read (`stamped_value`, `lagging_value`) fetches the values named
    here in the same cache round trip, and each serves its first read. A page that shows the ratings sheet's digest
    and the filter choices reads both in one round trip, not two: on a page the cache does not hold, the round trips
    cost more than unpickling the values."""
    token = _ahead.set(_ReadAhead(keys=[_value_key(name) for name in names]))
    try:
        yield
    finally:
        _ahead.reset(token)


def page_stamp() -> str | None:
    """The stamp the page being built read with its values (`reading_ahead`); None outside a page or before its
    first read. Something derived from the content and kept in process may be keyed by it."""
    ahead = _ahead.get()
    return ahead.stamp or None if ahead is not None else None


def _read_held(key: str) -> tuple[str, tuple[str, Any] | None]:
    """The current stamp, and the (stamp, value) pair `key` holds whatever stamp it was stored under: one round trip,
    none for a value read ahead (`reading_ahead`)."""
    ahead = _ahead.get()
    if ahead is not None and key in ahead.held:
        # A value read ahead serves once: one computed and stored since is read from the cache.
        return ahead.stamp, _stored(ahead.held.pop(key))
    along = [other for other in ahead.keys if other != key] if ahead is not None else []
    found = cache.get_many([STAMP_KEY, key, *along])
    stamp = found.get(STAMP_KEY) or current_stamp()
    if ahead is not None:
        ahead.keys, ahead.held, ahead.stamp = [], {other: found.get(other) for other in along}, stamp
    return stamp, _stored(found.get(key))


def _value_key(name: str) -> str:
    return f"factcheck:{name}"


def _held_under(held: Any, stamp: str) -> Any:
    stored = _stored(held)
    return stored[1] if stored and stored[0] == stamp else None


def _stored(held: Any) -> tuple[str, Any] | None:
    """(stamp, value) as `store_stamped` wrote it, or None for a miss or anything else."""
    if isinstance(held, tuple) and len(held) == 2 and held[1] is not None:
        return held
    return None


def store_stamped(key: str, stamp: str, value: Any) -> None:
    cache.set(key, (stamp, value), STAMPED_TTL)


# After a bump every stamped value is missed at once, by every process. The first to miss one marks it as being
# computed (`claim_computation`); the others wait for its value (`wait_for_computation`), polling every
# COMPUTE_POLL for at most COMPUTE_WAIT, rather than all computing it together. A mark expires after
# COMPUTE_MARK_SECONDS should its process die mid-way.
COMPUTE_WAIT = 2.0
COMPUTE_POLL = 0.02
COMPUTE_MARK_SECONDS = 30


def _mark(key: str, stamp: str) -> str:
    return f"{key}:computing:{stamp}"


def claim_computation(key: str, stamp: str) -> bool:
    """Whether this caller is the first to compute `key` under `stamp`; it must then `release_computation`, after
    storing its value (a waiter that finds the mark gone reads the value)."""
    try:
        return bool(cache.add(_mark(key, stamp), True, COMPUTE_MARK_SECONDS))
    except Exception:
        logger.exception("cache unavailable while claiming %s", key)
        return False


def release_computation(key: str, stamp: str) -> None:
    try:
        cache.delete(_mark(key, stamp))
    except Exception:
        logger.exception("cache unavailable while releasing %s", key)


# Any stamp: one refresh of a lagging value at a time, whichever stamp it was started under.
REFRESHING = "refreshing"


def wait_for_computation(key: str, stamp: str) -> Any:
    """The value another caller is computing under `stamp`, once stored; None as soon as it stops without storing
    one (an error, an answer not worth keeping), the stamp moves on, or COMPUTE_WAIT has passed."""
    mark = _mark(key, stamp)
    deadline = time.monotonic() + COMPUTE_WAIT
    try:
        while time.monotonic() < deadline:
            time.sleep(COMPUTE_POLL)
            # The mark is listed first: a memory cache reads the keys in order, and a value is stored before its
            # mark goes, so a mark seen gone means the value (if any) is seen.
            found = cache.get_many([mark, STAMP_KEY, key])
            now = found.get(STAMP_KEY) or stamp
            value = _held_under(found.get(key), now)
            if value is not None or now != stamp or mark not in found:
                return value
    except Exception:
        logger.exception("cache unavailable while waiting for %s", key)
    return None


def stamped_value(name: str, compute: Callable[[], T]) -> T:
    """A value derived from public content, computed once per stamp and shared by every process: a caller that
    misses it while another computes it waits for that value.

    It goes out of use at the same moment as the pages (`read_stamped`); a cache that is down only costs the
    computation. `compute` must not return None (that reads as a miss).
    """
    key = _value_key(name)
    try:
        stamp, value = read_stamped(key)
    except Exception:
        logger.exception("cache unavailable; computing %s without it", name)
        return compute()
    if value is not None:
        return value
    claimed = claim_computation(key, stamp)
    if not claimed and (value := wait_for_computation(key, stamp)) is not None:
        return value
    return _compute_and_store(key, stamp, compute, claimed_as=stamp if claimed else None)


def _compute_and_store(key: str, stamp: str, compute: Callable[[], T], *, claimed_as: str | None) -> T:
    """`compute()`, stored under `stamp` (a cache that fails only costs the storing); then the computation claimed
    under `claimed_as`, if any, is released."""
    try:
        value = compute()
        try:
            store_stamped(key, stamp, value)
        except Exception:
            logger.exception("could not cache %s", key)
    finally:
        if claimed_as is not None:
            release_computation(key, claimed_as)
    return value


# After a bump, the task has this long to refresh the lagging values; then the reader that finds one lagging does (a
# worker that is down or behind). Publications that keep coming faster than that still cannot hold a value back for
# longer than STAMPED_TTL: the earlier value then expires and is computed as `stamped_value` does.
REFRESH_GRACE = 10.0
# A refresh computes again, up to this many times, when publications came while it computed.
REFRESH_ROUNDS = 5
# (key, stamp of the value read) of each lagging value read in the current `noting_lags` block.
_lags_read: ContextVar[list[tuple[str, str]] | None] = ContextVar("lags_read", default=None)


def lagging_value(name: str, compute: Callable[[], T]) -> T:
    """`stamped_value` for a value readers may see a moment behind the content (a page's filter choices, not the
    verdicts it lists). After a bump, callers get the value of an earlier stamp while a task computes the new one
    (`refresh_lagging_value`, on every publication); a caller computes it only when there is no earlier value (as
    `stamped_value` does), or when no task has refreshed it within REFRESH_GRACE of the bump.

    A lagging value read is noted (`noting_lags`): the page cache keeps an answer built from it only until it is
    refreshed. Were each stamp's value computed afresh by readers, a value that takes longer to compute than
    publications take to follow each other (the filter choices take 1.5 s at a million claims) would never be stored
    under a current stamp, and every reader would compute it, together.
    """
    key = _value_key(name)
    try:
        stamp, held = _read_held(key)
    except Exception:
        logger.exception("cache unavailable; computing %s without it", name)
        return compute()
    if held is None:
        return stamped_value(name, compute)
    held_stamp, value = held
    if held_stamp == stamp:
        return value
    if _age(stamp) > REFRESH_GRACE and claim_computation(key, REFRESHING):
        return _compute_and_store(key, stamp, compute, claimed_as=REFRESHING)
    if (noted := _lags_read.get()) is not None:
        noted.append((key, held_stamp))
    return value


def refresh_lagging_value(name: str, compute: Callable[[], T]) -> int:
    """Compute `name` for the current stamp unless it is current already or another caller is refreshing it; again
    if the stamp moved on meanwhile (up to REFRESH_ROUNDS times). Returns how many times it computed."""
    key = _value_key(name)
    for rounds in range(REFRESH_ROUNDS):
        try:
            stamp, value = read_stamped(key)
        except Exception:  # nowhere to keep it: readers compute it while the cache is down
            logger.exception("cache unavailable; not refreshing %s", name)
            return rounds
        if value is not None or not claim_computation(key, REFRESHING):
            return rounds
        _compute_and_store(key, stamp, compute, claimed_as=REFRESHING)
    return REFRESH_ROUNDS


@contextmanager
def noting_lags() -> Iterator[list[tuple[str, str]]]:
    """The lagging values read inside the block, as (key, stamp of the value read); an enclosing block sees them too.
    An answer built from them is out of date once any is refreshed (`lags_ended`)."""
    outer, noted = _lags_read.get(), []
    token = _lags_read.set(noted)
    try:
        yield noted
    finally:
        _lags_read.reset(token)
        if outer is not None:
            outer.extend(noted)


def lags_ended(lags: tuple[tuple[str, str], ...]) -> bool:
    """Whether any of these lagging values (as `noting_lags` noted them) was refreshed, or is gone, since."""
    if not lags:
        return False
    try:
        found = cache.get_many([key for key, _ in lags])
    except Exception:
        logger.exception("cache unavailable while checking lagging values")
        return True
    return any((_stored(found.get(key)) or (None,))[0] != stamp for key, stamp in lags)
