"""SQLite's LIKE, case-insensitive in every script.

SQLite folds case for ASCII letters only, so on the embedded default a search for "путин" missed "Путин" and one for
"ÉLYSÉE" missed "Élysée", where PostgreSQL finds both. Django's `contains` and `icontains` are both LIKE on SQLite, so
replacing the function on each new connection extends what they already did for ASCII to every script.
"""

import re
from functools import lru_cache

from django.db.backends.base.base import BaseDatabaseWrapper


@lru_cache(maxsize=512)
def _pattern(like: str, escape: str | None) -> re.Pattern[str]:
    parts, chars = [], iter(like)
    for char in chars:
        if escape and char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def like(pattern: str | None, value: object, escape: str | None = None) -> bool | None:
    """SQL's `value LIKE pattern [ESCAPE escape]`, folding case as Unicode does; NULL in, NULL out."""
    if pattern is None or value is None:
        return None
    return _pattern(pattern, escape).fullmatch(str(value)) is not None


def use_unicode_like(sender, connection: BaseDatabaseWrapper, **kwargs) -> None:
    """`connection_created` receiver: on SQLite, LIKE in Python in place of SQLite's ASCII-only one."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("like", 2, like, deterministic=True)
    connection.connection.create_function("like", 3, like, deterministic=True)
