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
    held = found.get(key)
    if isinstance(held, tuple) and len(held) == 2 and held[0] == stamp:
        return stamp, held[1]
    return stamp, None


def store_stamped(key: str, stamp: str, value: Any) -> None:
    cache.set(key, (stamp, value), STAMPED_TTL)


def stamped_value(name: str, compute: Callable[[], T]) -> T:
    """A value derived from public content, computed once per stamp and shared by every process.

    It goes out of use at the same moment as the pages (`read_stamped`); a cache that is down only costs the
    computation. `compute` must not return None (that reads as a miss).
    """
    key = f"factcheck:{name}"
    try:
        stamp, value = read_stamped(key)
    except Exception:
        logger.exception("cache unavailable; computing %s without it", name)
        return compute()
    if value is None:
        value = compute()
        try:
            store_stamped(key, stamp, value)
        except Exception:
            logger.exception("could not cache %s", name)
    return value
