"""Addresses every page links, reversed once per URL map and script prefix instead of on every render.

Each reverse() costs about 50 µs; a public page links the same dozen routes whoever asks, and a list links every
row's page. The address depends on the URL map in force and the script prefix the server mounts the site under,
so both are part of what is remembered.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=256)
def _reversed(route: str, kwargs: tuple, script_prefix: str, urlconf: str | None, root_urlconf: str) -> str:
    return reverse(route, kwargs=dict(kwargs))


def reverse_once(route: str, **kwargs: str) -> str:
    """reverse(route, kwargs=kwargs), remembered: only for arguments drawn from a small set (no per-row values)."""
    return _reversed(route, tuple(sorted(kwargs.items())), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
