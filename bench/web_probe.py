"""SQL queries per request, counted in the bench process: Django's test client against the bench's database and
cache, with the bench settings, so each request runs the same code gunicorn runs (CaptureQueriesContext)."""

from __future__ import annotations

import base64
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


def last_cursor_path() -> str:
    """The public fact-check API's last page, by a cursor built as DRF builds it (core.pagination): the position is
    the `published_at` of the last verdict on the page before."""
    from factcheck.record.models import FactCheck

    newest_first = FactCheck.objects.exclude(current_version=None).order_by("-published_at", "-id")
    total = newest_first.count()
    size = 25
    start = total - (total % size or size)
    if start <= 0:
        return "/api/v1/fact-checks/"
    position = str(newest_first.values_list("published_at", flat=True)[start - 1])
    cursor = base64.b64encode(urlencode({"p": position}).encode("ascii")).decode("ascii")
    return f"/api/v1/fact-checks/?{urlencode({'cursor': cursor})}"


def page_pairs(editor_headers: dict[str, str]) -> list[tuple[str, Load, Load]]:
    """(list, first page, last page) of each paginated list."""
    from claims.models import Claim

    claims_last = max(1, -(-Claim.objects.count() // 25))
    return [
        ("API fact-checks (cursor)", Load(paths=("/api/v1/fact-checks/",)), Load(paths=(last_cursor_path(),))),
        (
            "API claims (editor, page numbers)",
            Load(paths=("/api/v1/claims/?page=1",), headers=editor_headers),
            Load(paths=(f"/api/v1/claims/?page={claims_last}",), headers=editor_headers),
        ),
        # Django's Paginator answers a page past the end with the last page.
        ("/fact-checks/ (cold)", Load(paths=("/fact-checks/",), cold=True),
         Load(paths=("/fact-checks/?page=1000000",), cold=True)),
    ]  # fmt: skip
