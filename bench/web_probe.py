"""SQL queries per request, counted in the bench process: Django's test client against the bench's database and
cache, with the bench settings, so each request runs the same code gunicorn runs (CaptureQueriesContext)."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from web_load import Load


@dataclass(frozen=True)
class Probe:
    status: int
    queries: int
    ms: float
    size: int


def _cold(path: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}cold=probe-{secrets.token_hex(6)}"


def probe(load: Load) -> Probe:
    """One request like the load's: a cold one on a path no one asked for before, else the second of two.

    The request before the one counted pays for what a process does once (imports, caches kept per process, the
    matcher's first read of its table), which no request under load pays again."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in load.headers.items()}
    extra.pop("HTTP_CONTENT_TYPE", None)

    def send() -> Any:
        path = _cold(load.paths[0]) if load.cold else load.paths[0]
        if load.method == "POST":
            body = load.bodies[0].replace("{n}", f"probe-{secrets.token_hex(4)}")
            return client.post(path, data=body, content_type="application/json", **extra)
        return client.get(path, **extra)

    send()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        answer = send()
        ms = 1000 * (time.perf_counter() - started)
    body = b"".join(answer.streaming_content) if answer.streaming else answer.content
    return Probe(answer.status_code, len(captured.captured_queries), ms, len(body))


def last_page_path(path: str, rows, terms: list[str]) -> str:
    """A list's last page, by the cursor its paginator would link to from the page before (core.pagination)."""
    from core.pagination import MAX_PAGE_SIZE, encode_cursor

    size = 25
    assert size <= MAX_PAGE_SIZE
    total = rows.count()
    start = total - (total % size or size)
    if start <= 0:
        return path
    position = list(rows.order_by(*terms).values_list(*(term.lstrip("-") for term in terms))[start - 1])
    return f"{path}?{urlencode({'cursor': encode_cursor(terms, position)})}"


def page_pairs(editor_headers: dict[str, str]) -> list[tuple[str, Load, Load]]:
    """(list, first page, last page) of each paginated list."""
    from claims.models import Claim
    from factcheck.record.models import FactCheck

    published = FactCheck.objects.exclude(current_version=None)
    fact_checks_last = last_page_path("/api/v1/fact-checks/", published, ["-published_at", "-id"])
    claims_last = last_page_path("/api/v1/claims/", Claim.objects.all(), ["-created_at", "-id"])
    return [
        # Cold: a cached page would count no query at all.
        ("API fact-checks (uncached)", Load(paths=("/api/v1/fact-checks/",), cold=True),
         Load(paths=(fact_checks_last,), cold=True)),
        (
            "API claims (editor)",
            Load(paths=("/api/v1/claims/",), headers=editor_headers),
            Load(paths=(claims_last,), headers=editor_headers),
        ),
        # Django's Paginator answers a page past the end with the last page.
        ("/fact-checks/ (cold)", Load(paths=("/fact-checks/",), cold=True),
         Load(paths=("/fact-checks/?page=1000000",), cold=True)),
    ]  # fmt: skip
