"""A site-wide stamp of the public content: cached public pages are keyed by it, and any change that readers must see
replaces it.

Kept here rather than with the pages so that every app that changes what the public pages show (publishing, and edits
of the rows those pages display) can invalidate them without importing the site.
"""

import logging
import secrets
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

STAMP_KEY = "factcheck:pages:stamp"
STAMPED_TTL = 10 * 60
T = TypeVar("T")
logger = logging.getLogger(__name__)


def _new_stamp() -> str:
    return f"{time.time_ns():x}-{secrets.token_hex(4)}"


def current_stamp() -> str:
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        cache.add(STAMP_KEY, _new_stamp(), timeout=None)
        stamp = cache.get(STAMP_KEY)
    return stamp or _new_stamp()


def _bump_stamp() -> None:
    cache.set(STAMP_KEY, _new_stamp(), timeout=None)


def invalidate_public_pages() -> None:
    """Every public page is rendered afresh once the current transaction commits (at once outside one)."""
    # robust: a cache that is down must not turn a committed publication into an error for the editor.
    transaction.on_commit(_bump_stamp, robust=True)


def read_stamped(key: str) -> tuple[str, Any]:
    """The current stamp, and what `key` holds if it was stored under that stamp (else None): one cache round trip.

    Values are stored with the stamp read before they were computed (`store_stamped`), so one computed from data
    older than a bump is never read after it; a later store under the same key replaces it rather than piling up.
    """
    found = cache.get_many([STAMP_KEY, key])
    stamp = found.get(STAMP_KEY) or current_stamp()
    return stamp, _held_under(found.get(key), stamp)


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
    key = f"factcheck:{name}"
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


def lagging_value(name: str, compute: Callable[[], T]) -> tuple[T, bool]:
    """`stamped_value` for a value readers may see a moment behind the content (a page's filter choices, not the
    verdicts it lists), and whether it is the current stamp's: after a bump, callers keep the value of an earlier
    stamp while one caller, across all processes, computes the new one. Only when there is no earlier value do
    callers wait for one, as with `stamped_value`. An answer built from a lagging value must not be kept under the
    current stamp (`core.page_cache.keep_out_of_cache`), or it would lag until the next bump.

    Were each stamp's value computed afresh, a value that takes longer to compute than publications take to follow
    each other (the filter choices take 1.5 s at a million claims) would never be stored under a current stamp, and
    every reader would compute it, together.
    """
    key = f"factcheck:{name}"
    try:
        found = cache.get_many([STAMP_KEY, key])
    except Exception:
        logger.exception("cache unavailable; computing %s without it", name)
        return compute(), True
    stamp = found.get(STAMP_KEY) or current_stamp()
    held = _stored(found.get(key))
    if held is None:
        return stamped_value(name, compute), True
    held_stamp, value = held
    if held_stamp == stamp:
        return value, True
    if not claim_computation(key, REFRESHING):
        return value, False
    return _compute_and_store(key, stamp, compute, claimed_as=REFRESHING), True
