"""Where routing spends its time: each SQL statement of route_claim (or of one batch) timed in this process, by kind."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass
class Profile:
    routes: int
    queries_per_route: float
    ms_per_route: float
    db_ms_per_route: float
    top: list[tuple[str, float, float]]  # (statement kind, ms per route, share of the route's database time)


def _statement_kind(sql: str) -> str:
    words = sql.replace('"', "").split()
    verb = words[0].upper() if words else "?"
    anchor = {"SELECT": "FROM", "INSERT": "INTO", "UPDATE": "UPDATE", "DELETE": "FROM"}.get(verb)
    if anchor and anchor in (w.upper() for w in words):
        table = words[[w.upper() for w in words].index(anchor) + 1]
        return f"{verb} {table}" + (" FOR UPDATE" if sql.rstrip().endswith("FOR UPDATE") else "")
    return verb


def profile_routing(claim_ids: Sequence[int], batched: bool = False) -> Profile:
    """route_claim in this process for each claim (or route_claims once for all of them when `batched`), every
    statement timed (the same code a worker runs, minus Celery). Figures are per claim."""
    from django.db import connection

    from reviews.services.assignments import route_claim
    from reviews.services.batch_routing import route_claims

    by_kind: dict[str, float] = defaultdict(float)
    queries = 0

    def timed(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries += 1
            by_kind[_statement_kind(sql)] += time.perf_counter() - started

    started = time.perf_counter()
    with connection.execute_wrapper(timed):
        if batched:
            route_claims(claim_ids=claim_ids, limit=len(claim_ids))
        else:
            for claim_id in claim_ids:
                route_claim(claim_id=claim_id)
    elapsed = time.perf_counter() - started
    n = len(claim_ids)
    db_time = sum(by_kind.values())
    top = sorted(by_kind.items(), key=lambda kv: kv[1], reverse=True)[:3]
    shares = [(kind, 1000 * seconds / n, seconds / db_time) for kind, seconds in top]
    return Profile(n, queries / n, 1000 * elapsed / n, 1000 * db_time / n, shares)
