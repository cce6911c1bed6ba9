"""The public pages' cache: whole rendered pages under keys built from a site-wide stamp (core.page_cache).

Invalidation happens in one place: `core.freshness.invalidate_public_pages()`, which `factcheck.record.services`
calls when it publishes, corrects or retracts. Once the transaction has committed it replaces the stamp, so every key
built from the old one goes out of use and ages out (STAMPED_TTL).

Keys also hold a digest of the app's templates and static files: a deploy that changes them does not serve pages
rendered by the old ones. Admin edits of rows the pages show (claimants, topics, reports, rating scales) invalidate
them too, through `core.admin_actions.RefreshesPublicPages`.

The same stamp keys the feeds and sitemaps (cached with `cached_page` too) and values the pages share, such as the
list's filter choices (`stamped`): a page the cache does not hold yet is rendered without recounting them.
"""

import hashlib
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import lru_cache, wraps
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.http import http_date

from core.freshness import lagging_value, reading_ahead, refresh_lagging_value, stamped_value
from core.page_cache import serve_cached

T = TypeVar("T")
# The ratings sheet's digest (site/ratings_css.py), which the head of every page links.
SHEET_VERSION = "badge-sheet-version"
# The app's folder, which holds templates/ and static/ (this module sits one level below it, in site/).
_APP_DIR = Path(__file__).resolve().parent.parent


def _digest_of_templates_and_static() -> str:
    digest = hashlib.sha256()
    for folder in ("templates", "static"):
        for path in sorted(p for p in (_APP_DIR / folder).rglob("*") if p.is_file()):
            digest.update(path.relative_to(_APP_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


_release_digest = lru_cache(maxsize=1)(_digest_of_templates_and_static)


def _release() -> str:
    # In development templates change under a running server; in production they change only with a deploy.
    return _digest_of_templates_and_static() if settings.DEBUG else _release_digest()


def with_last_modified(response: HttpResponse, when: datetime | None) -> HttpResponse:
    """Views say when their content last changed; the cache keeps it and answers If-Modified-Since."""
    if when is not None:
        response["Last-Modified"] = http_date(when.timestamp())
    return response


# Page numbers start at 1: "?page=1" is the page without it.
FIRST_PAGE = {"page": "1"}


def canonical_query(query: QueryDict, defaults: Mapping[str, str]) -> QueryDict:
    """The query as the page reads it: the last value of a repeated parameter (what QueryDict.get gives), and none
    for one sent with its default value. Requests that show the same page then share one key and one copy."""
    canonical = QueryDict(mutable=True)
    for name in query:
        value = query[name]
        if defaults.get(name) != value:
            canonical[name] = value
    canonical._mutable = False
    return canonical


def cached_page(
    view=None,
    *,
    params: Iterable[str] = (),
    ignoring: Iterable[str] = (),
    values: Iterable[str] = (),
    defaults: Mapping[str, str] | None = None,
):
    """Serve a GET page from the cache, render and store it on a miss; only 200 answers are kept.

    Keyed by path and the query parameters the page reads (`params`; `ignoring` lists those it may be sent but does
    not read), so a page must not depend on who asks (no user, session or cookie). A query with any other parameter
    is rendered and not stored (core.page_cache.serve_cached). The view is given the canonical query
    (`canonical_query`: `defaults` names the values that mean the same as leaving the parameter out), so a page
    must read each parameter once, with `.get()`.

    A page rendered afresh reads the ratings sheet's digest and the `stamped` or `lagging` values named in `values`
    in one cache round trip (core.freshness.reading_ahead).
    """
    reads, ignored, shared = frozenset(params), frozenset(ignoring), (SHEET_VERSION, *values)
    same_as_absent = dict(defaults or {})

    def decorate(view):
        @wraps(view)
        def serve(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            request.GET = canonical_query(request.GET, same_as_absent)

            def render() -> HttpResponse:
                with reading_ahead(f"{name}:{_release()}" for name in shared):
                    return view(request, *args, **kwargs)

            return serve_cached(request, render, reads=reads, ignoring=ignored, variant=(_release(),))

        return serve

    return decorate if view is None else decorate(view)


def stamped(name: str, compute: Callable[[], T]) -> T:
    """A value the pages derive from public content (e.g. the ratings sheet's colours), computed once per stamp and
    per release of the templates (core.freshness.stamped_value)."""
    return stamped_value(f"{name}:{_release()}", compute)


def lagging(name: str, compute: Callable[[], T]) -> T:
    """`stamped`, but after a publication readers keep the previous value while a task computes the new one
    (core.freshness.lagging_value); a page built from a lagging value is cached only until it is refreshed."""
    return lagging_value(f"{name}:{_release()}", compute)


def refresh_lagging(name: str, compute: Callable[[], T]) -> int:
    """Compute a `lagging` value for the current stamp (core.freshness.refresh_lagging_value)."""
    return refresh_lagging_value(f"{name}:{_release()}", compute)
