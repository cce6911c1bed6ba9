"""A site-wide stamp of the public content: cached public pages are keyed by it, and any change that readers must see
replaces it.

Kept here rather than with the pages so that every app that changes what the public pages show (publishing, and edits
of the rows those pages display) can invalidate them without importing the site.
"""

import logging
import secrets
import time
from collections.abc import Callable
from typing import TypeVar

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


def stamped_value(name: str, compute: Callable[[], T]) -> T:
    """A value derived from public content, computed once per stamp and shared by every process.

    It is stored under the stamp read before it was computed, so it goes out of use at the same moment as the pages;
    a cache that is down only costs the computation. `compute` must not return None (that reads as a miss).
    """
    try:
        key = f"factcheck:{name}:{current_stamp()}"
        value = cache.get(key)
    except Exception:
        logger.exception("cache unavailable; computing %s without it", name)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, STAMPED_TTL)
        except Exception:
            logger.exception("could not cache %s", name)
    return value
