"""Whole answers cached under the public content's stamp (core.freshness), for pages and public API lists alike.

Reading a cached answer costs one cache round trip (the stamp and the answer together) and no SQL query; it carries
an ETag (a hash of the body) and, where the view gave one, Last-Modified, so a returning reader gets a 304. Answers
are stored with the stamp read before they were built (core.freshness.read_stamped), so one built from data older
than a bump is never served after it: all go out of use when `core.freshness.invalidate_public_pages()` runs.

A miss is built by one request at a time per answer and stamp: the others that miss meanwhile wait for its answer
(core.freshness.wait_for_computation) instead of rendering the same page again, so a publication does not send
every reader of a popular page to the database at once.

An answer built from values that lag the stamp (core.freshness.lagging_value, such as the list's filter choices) is
kept with a note of them, and built again by one request once they are refreshed; meanwhile the others get the kept
one. No view has to say so: the page cache notes every lagging value read while it builds.
"""

import hashlib
import json
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from core.freshness import (
    claim_computation,
    lags_ended,
    noting_lags,
    read_stamped,
    release_computation,
    store_stamped,
    wait_for_computation,
)

logger = logging.getLogger(__name__)

# Headers a cached answer keeps besides its type and validators (sitemaps ask not to be indexed; feeds are public).
KEPT_HEADERS = ("X-Robots-Tag", "Access-Control-Allow-Origin")


def _answer_key(request: HttpRequest, reads: Collection[str], variant: tuple[str, ...]) -> str:
    # JSON keeps every part apart: "?q=a%26rating%3Dfalse" must not share a key with "?q=a&rating=false". A repeated
    # parameter keeps its values in their order: a view reads the last one, so "?n=1&n=2" and "?n=2&n=1" differ.
    query = sorted((name, values) for name, values in request.GET.lists() if name in reads)
    where = hashlib.sha256(json.dumps([request.path, query, variant]).encode()).hexdigest()
    return f"factcheck:page:{where}"


@dataclass(frozen=True)
class CachedAnswer:
    body: bytes
    content_type: str
    etag: str
    last_modified: int | None
    headers: tuple[tuple[str, str], ...] = ()
    lags: tuple[tuple[str, str], ...] = ()  # the lagging values it was built from (core.freshness.noting_lags)

    @classmethod
    def of(cls, response: HttpResponse, lags: tuple[tuple[str, str], ...] = ()) -> "CachedAnswer":
        if hasattr(response, "render"):  # a TemplateResponse (the sitemaps') renders on demand
            response.render()
        body = response.content
        return cls(
            body=body,
            content_type=response["Content-Type"],
            etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"',
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            headers=tuple((name, response[name]) for name in KEPT_HEADERS if response.has_header(name)),
            lags=lags,
        )

    def to_response(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(self.body, content_type=self.content_type)
        for name, value in self.headers:
            response[name] = value
        response["ETag"] = self.etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified)
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        conditional = get_conditional_response(
            request, etag=self.etag, last_modified=self.last_modified, response=response
        )
        return conditional or response


def serve_cached(
    request: HttpRequest,
    build: Callable[[], HttpResponse],
    *,
    reads: Collection[str] = (),
    ignoring: Collection[str] = (),
    variant: tuple[str, ...] = (),
) -> HttpResponse:
    """The cached answer, else `build()`'s, stored when it is a whole 200. A cache that is down costs only the
    building: the answer still goes out.

    Keyed by the path, the query parameters the answer `reads` and whatever else it varies by (`variant`: a release
    digest, a negotiated media type). Parameters in `ignoring` (a stylesheet's version) are left out of the key. A
    query with any other parameter is answered but never stored: otherwise every made-up parameter would store
    another copy, and a client sending a new one each time would fill the cache.
    """
    if not {*reads, *ignoring}.issuperset(request.GET):
        return build()
    try:
        where = _answer_key(request, reads, variant)
        stamp, found = read_stamped(where)
    except Exception:
        logger.exception("answer cache unavailable; building %s without it", request.path)
        where = stamp = found = None
    claimed = False
    if found is None and where is not None:
        claimed = claim_computation(where, stamp)
        if not claimed:
            found = wait_for_computation(where, stamp)
    elif found is not None and found.lags and lags_ended(found.lags):
        # One request builds it again with the refreshed values; the others keep the answer there is meanwhile.
        claimed = claim_computation(where, stamp)
        if claimed:
            found = None
    if found is None:
        return _build_and_store(request, build, where, stamp, claimed)
    return found.to_response(request)


def _build_and_store(
    request: HttpRequest, build: Callable[[], HttpResponse], where: str | None, stamp: str | None, claimed: bool
) -> HttpResponse:
    try:
        with noting_lags() as lags:
            response = build()
        if response.status_code != 200 or response.streaming:
            return response
        found = CachedAnswer.of(response, tuple(lags))
        if where is not None:
            try:
                store_stamped(where, stamp, found)
            except Exception:
                logger.exception("could not store %s in the answer cache", request.path)
    finally:
        if claimed:
            release_computation(where, stamp)
    return found.to_response(request)
