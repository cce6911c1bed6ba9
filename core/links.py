"""Addresses every page links, reversed once per URL map and script prefix instead of on every render.

Each reverse() costs about 50 µs; a public page links the same dozen routes whoever asks, and a list links every
row's page. The address depends on the URL map in force and the script prefix the server mounts the site under,
so both are part of what is remembered.
"""

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=256)
def _reversed(route: str, kwargs: tuple, script_prefix: str, urlconf: str | None, root_urlconf: str) -> str:
    return reverse(route, kwargs=dict(kwargs))


def reverse_once(route: str, **kwargs: str) -> str:
    """reverse(route, kwargs=kwargs), remembered: only for arguments drawn from a small set (no per-row values)."""
    return _reversed(route, tuple(sorted(kwargs.items())), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)


@lru_cache(maxsize=64)
def _reversed_all(routes: tuple[tuple[str, str], ...], script_prefix: str, urlconf: str | None, root_urlconf: str):
    return MappingProxyType({key: reverse(route) for key, route in routes})


def reverse_all_once(routes: tuple[tuple[str, str], ...]) -> Mapping[str, str]:
    """{key: reverse(route)} for (key, route) pairs, remembered as one read-only mapping: the links every page shows."""
    return _reversed_all(routes, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
