"""The benchmark's desk: reviewers, claims queued in bulk, and reading back when each was assigned.

Django is set up by bench/routing.py before any of these run, so models are imported inside the functions.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass
class Desk:
    journalist: Any
    editor: Any
    reviewer_ids: list[int]


def set_up_desk(reviewers: int, capacity: int) -> Desk:
    from core.roles import Role
    from reviews.services.members import add_member

    journalist = add_member(username="bench-journalist", role=Role.JOURNALIST)
    editor = add_member(username="bench-editor", role=Role.EDITOR, email="editor@example.org")
    reviewer_ids = [
        add_member(
            username=f"bench-reviewer{n:03}",
            role=Role.REVIEWER,
            email=f"reviewer{n}@example.org",
            languages=["en"],
            capacity=capacity,
        ).pk
        for n in range(reviewers)
    ]
    return Desk(journalist, editor, reviewer_ids)


def bulk_queue_claims(desk: Desk, count: int, label: str) -> list[int]:
    """Setup only: queued claims and their audit rows written directly, so no routing task is enqueued."""
    from django.db import transaction

    from claims.models import Claim, ClaimEvent, ClaimStatus

    ids: list[int] = []
    with transaction.atomic():
        for start in range(0, count, 1000):
            batch = [
                Claim(text=f"{label} claim {n}", language="en", status=ClaimStatus.QUEUED, submitted_by=desk.journalist)
                for n in range(start, min(start + 1000, count))
            ]
            Claim.objects.bulk_create(batch)
            events = []
            for claim in batch:
                events.append(ClaimEvent(claim=claim, actor=desk.journalist, to_status=ClaimStatus.SUBMITTED))
                events.append(
                    ClaimEvent(
                        claim=claim, actor=desk.editor, from_status=ClaimStatus.SUBMITTED, to_status=ClaimStatus.QUEUED
                    )
                )
            ClaimEvent.objects.bulk_create(events)
            ids.extend(claim.pk for claim in batch)
    return ids


def assigned_times(claim_ids: Sequence[int]) -> dict[int, datetime]:
    from claims.models import ClaimEvent, ClaimStatus

    rows = ClaimEvent.objects.filter(claim_id__in=claim_ids, to_status=ClaimStatus.ASSIGNED).values_list(
        "claim_id", "at"
    )
    return dict(rows)


def count_assigned(claim_ids: Sequence[int]) -> int:
    from claims.models import Claim, ClaimStatus

    return Claim.objects.filter(pk__in=claim_ids).exclude(status=ClaimStatus.QUEUED).count()


def wait_for_routing(claim_ids: Sequence[int], stall_s: float = 30) -> int:
    """Poll until every claim is assigned or nothing moved for `stall_s` seconds; returns how many were assigned."""
    last, last_change = -1, time.monotonic()
    while True:
        done = count_assigned(claim_ids)
        if done == len(claim_ids):
            return done
        if done != last:
            last, last_change = done, time.monotonic()
        elif time.monotonic() - last_change > stall_s:
            return done
        time.sleep(0.25)


def reset_claims(keep_history: bool) -> None:
    """Between the burst and the steady load: reviewers back to no load, with or without the burst's history."""
    from django.db import connection, transaction
    from django.utils import timezone

    from claims.models import Claim, ClaimStatus
    from reviews.models import ACTIVE_STATES, Assignment, AssignmentState

    if keep_history:
        with transaction.atomic():
            Assignment.objects.filter(state__in=ACTIVE_STATES).update(
                state=AssignmentState.COMPLETED, finished_at=timezone.now()
            )
            Claim.objects.filter(status=ClaimStatus.ASSIGNED).update(status=ClaimStatus.PUBLISHED)
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {Claim._meta.db_table} CASCADE")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
