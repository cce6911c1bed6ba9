"""Slugs made from what people type, readable whatever the script, unique within their table.

Django's `slugify` keeps only ASCII letters, so a Cyrillic, Greek, Arabic, Devanagari or Chinese name came out empty.
AnyAscii transliterates each of them ("Владимир Путин" → "vladimir-putin", "习近平" → "xijinping") before slugifying.
"""

import itertools
import unicodedata
from collections.abc import Callable

from anyascii import anyascii
from django.db.models import QuerySet
from django.utils.text import slugify

from core.links import reverse_once
from core.text import name_key

# Room kept for a "-N" suffix when the prefix of taken slugs is looked up; seven digits and the hyphen, plus one for a
# hyphen stripped where the base is cut.
_SUFFIX_ROOM = 10


def _transliterated(text: str, max_length: int) -> str:
    return slugify(anyascii(unicodedata.normalize("NFKC", text)))[:max_length].strip("-_")


def slug_base(text: str, *, max_length: int, fallback: str) -> str:
    """The text transliterated to ASCII and slugified, at most `max_length` characters; `fallback` when nothing of
    it transliterates (symbols alone)."""
    return _transliterated(text, max_length) or fallback


def _with_suffix(base: str, number: int, max_length: int) -> str:
    suffix = f"-{number}"
    return f"{base[: max_length - len(suffix)].rstrip('-')}{suffix}"


def unique_slug(queryset: QuerySet, text: str, *, max_length: int, fallback: str, field: str = "slug") -> str:
    """The text's slug, or the first of slug-2, slug-3, … that no row of `queryset` holds yet.

    Two transactions may still pick the same slug at the same moment: the unique constraint refuses the second, and
    its caller retries (see `claims.services.get_or_create_claimant`). Text with nothing to transliterate gets
    `fallback` and a short digest of the text: stable, and different for different texts, so such names do not all
    queue up behind one slug.
    """
    base = _transliterated(text, max_length) or f"{fallback}-{name_key(text)[:8]}"[:max_length]
    prefix = base[: max_length - _SUFFIX_ROOM]
    taken = set(queryset.filter(**{f"{field}__startswith": prefix}).values_list(field, flat=True))
    if base not in taken:
        return base
    return next(
        candidate
        for candidate in (_with_suffix(base, n, max_length) for n in itertools.count(2))
        if candidate not in taken
    )


_SLUG_PLACEHOLDER = "slug-placeholder"


def slug_url(route: str) -> Callable[[str], str]:
    """reverse(route, slug=…) for many slugs at the cost of one, for lists that link every row. A <slug:> takes only
    [-a-zA-Z0-9_], which reverse writes unquoted, so the slug in the place of a placeholder gives the same URL."""
    pattern = reverse_once(route, slug=_SLUG_PLACEHOLDER)
    return lambda slug: pattern.replace(_SLUG_PLACEHOLDER, slug)
