"""The public pages' cache: whole rendered pages under keys built from a site-wide stamp.

Reading a cached page costs two cache look-ups (the stamp, then the page) and no SQL query; the answer carries an
ETag (a hash of the body) and, where the view gave one, Last-Modified, so a returning reader gets a 304.

Invalidation happens in one place: `core.freshness.invalidate_public_pages()`, which `factcheck.record.services`
calls when it publishes, corrects or retracts. Once the transaction has committed it replaces the stamp, so every key
built from the old one goes out of use and ages out (PAGE_TTL). The stamp is read before a page is rendered, so a page
rendered from data older than a bump is stored under the old stamp and never served afterwards.

Keys also hold a digest of the app's templates and static files: a deploy that changes them does not serve pages
rendered by the old ones. Admin edits of rows the pages show (claimants, topics, reports, rating scales) invalidate
them too, through `core.admin_actions.RefreshesPublicPages`.

The same stamp keys the feeds and sitemaps (cached with `cached_page` too) and values the pages share, such as the
list's filter choices (`stamped`): a page the cache does not hold yet is rendered without recounting them.
"""

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, wraps
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from core.freshness import STAMPED_TTL, current_stamp, stamped_value

logger = logging.getLogger(__name__)

PAGE_TTL = STAMPED_TTL
# Headers a cached answer keeps besides its type and validators (sitemaps ask not to be indexed; feeds are public).
KEPT_HEADERS = ("X-Robots-Tag", "Access-Control-Allow-Origin")
T = TypeVar("T")
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


def _page_key(request: HttpRequest) -> str:
    # JSON keeps every part apart: "?q=a%26rating%3Dfalse" must not share a key with "?q=a&rating=false".
    query = sorted((name, value) for name, values in request.GET.lists() for value in values)
    where = hashlib.sha256(json.dumps([request.path, query]).encode()).hexdigest()
    return f"factcheck:page:{current_stamp()}:{_release()}:{where}"


@dataclass(frozen=True)
class _Page:
    body: bytes
    content_type: str
    etag: str
    last_modified: int | None
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, response: HttpResponse) -> "_Page":
        if hasattr(response, "render"):  # a TemplateResponse (the sitemaps') renders on demand
            response.render()
        body = response.content
        return cls(
            body=body,
            content_type=response["Content-Type"],
            etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"',
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            headers=tuple((name, response[name]) for name in KEPT_HEADERS if response.has_header(name)),
        )


def with_last_modified(response: HttpResponse, when: datetime | None) -> HttpResponse:
    """Views say when their content last changed; the cache keeps it and answers If-Modified-Since."""
    if when is not None:
        response["Last-Modified"] = http_date(when.timestamp())
    return response


def _answer(request: HttpRequest, page: _Page) -> HttpResponse:
    response = HttpResponse(page.body, content_type=page.content_type)
    for name, value in page.headers:
        response[name] = value
    response["ETag"] = page.etag
    if page.last_modified is not None:
        response["Last-Modified"] = http_date(page.last_modified)
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return (
        get_conditional_response(request, etag=page.etag, last_modified=page.last_modified, response=response)
        or response
    )


def cached_page(view):
    """Serve a GET page from the cache, render and store it on a miss; only 200 answers are kept.

    Keyed by path and query string, so a page must not depend on who asks (no user, session or cookie).
    """

    @wraps(view)
    def serve(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            key = _page_key(request)
            page = cache.get(key)
        except Exception:  # the cache is down: the site still answers, from the database
            logger.exception("page cache unavailable; rendering %s without it", request.path)
            key = page = None
        if page is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            page = _Page.of(response)
            if key is not None:
                try:
                    cache.set(key, page, PAGE_TTL)
                except Exception:
                    logger.exception("could not store %s in the page cache", request.path)
        return _answer(request, page)

    return serve


def stamped(name: str, compute: Callable[[], T]) -> T:
    """A value the pages derive from public content (e.g. the list's filter choices), computed once per stamp and
    per release of the templates (core.freshness.stamped_value)."""
    return stamped_value(f"{name}:{_release()}", compute)
