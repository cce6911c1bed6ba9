"""Idempotency-Key on creating and transitioning POSTs: a client that retries a request gets the first answer, not a
second object or a 409 for a step its first attempt already took.

The contract (https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/):

- Keys are per user. Anonymous requests are served as if no key had been sent: a key alone would let anyone who
  guesses it read another caller's answer, and there is no user to scope it to.
- Same key, same method, path and body bytes: the stored status and body, with `Idempotent-Replayed: true`.
- Same key, any other request: 422. Same key while the first request is still running: 409 with Retry-After.
- Only 2xx answers are stored. The view and the storing of its answer share one transaction, so a 4xx or 5xx
  answer (or a crash) leaves no effect behind; the key is released and may be reused, e.g. for the corrected body.
- Records live 24 hours. Expired ones are deleted lazily: a user's own, on their next keyed request (an indexed
  range delete), so no sweep is needed for correctness; rows of users who never come back stay until one is added.

The record is inserted in its own transaction before the view runs, so two concurrent requests with one key collide
on the (user, key) unique constraint in the database rather than in Python.
"""

import functools
import hashlib
import json
import logging
from collections.abc import Callable
from datetime import timedelta

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
TTL = timedelta(hours=24)
# A record still in progress after this long belongs to a request that died (its transaction rolled back with it),
# so a retry may take the key over. Far above any request's run time: gunicorn kills workers after 30 s.
ABANDONED_AFTER = timedelta(minutes=5)
MAX_KEY_LENGTH = 200

logger = logging.getLogger(__name__)
State = IdempotencyRecord.State

# For the OpenAPI schema of a decorated view: extend_schema(parameters=[IDEMPOTENCY_KEY_PARAMETER],
# responses={201: ..., **IDEMPOTENCY_RESPONSES}).
IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Any unique string up to 200 visible ASCII characters (a UUID). A retry with the same key and body "
    "gets the first answer again, with Idempotent-Replayed: true. Keys are per user and last 24 hours.",
)
IDEMPOTENCY_RESPONSES = {
    code: OpenApiResponse(
        {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
        description=description,
        examples=[OpenApiExample(str(code), value={"detail": example}, status_codes=[str(code)])],
    )
    for code, description, example in [
        (
            409,
            "A request with this Idempotency-Key is still in progress (Retry-After says when to retry).",
            f"A request with this {HEADER} is still in progress; retry shortly to get its answer.",
        ),
        (
            422,
            "This Idempotency-Key was used for a different request.",
            f"This {HEADER} was used for a different request (POST /api/v1/claims/ with another body). "
            "Use a new key for a new request.",
        ),
    ]
}


def _request_of(args: tuple) -> Request:
    # Function views receive (request, ...), viewset methods (self, request, ...).
    for arg in args[:2]:
        if isinstance(arg, Request):
            return arg
    raise TypeError("@idempotent decorates DRF views: f(request, ...) or method(self, request, ...)")


def _key_problem(key: str) -> str | None:
    if not 1 <= len(key) <= MAX_KEY_LENGTH:
        return f"{HEADER} must be 1 to {MAX_KEY_LENGTH} characters long."
    if not all("!" <= ch <= "~" for ch in key):
        return f"{HEADER} may contain only visible ASCII characters (a UUID is a good choice)."
    return None


def _error(code: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    return Response({"detail": detail}, status=code, headers=headers)


def _in_progress() -> Response:
    return _error(
        status.HTTP_409_CONFLICT,
        f"A request with this {HEADER} is still in progress; retry shortly to get its answer.",
        {"Retry-After": "1"},
    )


def _replay(record: IdempotencyRecord) -> Response:
    return Response(record.response_body, status=record.response_status, headers={REPLAYED_HEADER: "true"})


def _claim_key(user, key: str, method: str, path: str, body_hash: str) -> IdempotencyRecord | Response:
    """Insert the in-progress record, or answer from (or about) the one already there."""
    now = timezone.now()
    IdempotencyRecord.objects.filter(user=user, created_at__lt=now - TTL).delete()
    # Two rounds: the record we collided with may be released (its request failed) before we can read it.
    for _ in range(2):
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    user=user, key=key, method=method, path=path, body_hash=body_hash
                )
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is None:
            continue
        if (existing.method, existing.path, existing.body_hash) != (method, path, body_hash):
            return _error(
                status.HTTP_422_UNPROCESSABLE_ENTITY,
                f"This {HEADER} was used for a different request ({existing.method} {existing.path} with another "
                "body). Use a new key for a new request.",
            )
        if existing.state == State.DONE:
            return _replay(existing)
        if existing.created_at < now - ABANDONED_AFTER and _take_over(existing, now):
            return existing
        return _in_progress()
    return _in_progress()


def _take_over(record: IdempotencyRecord, now) -> bool:
    # Conditional UPDATE: of several retries finding the same abandoned record, exactly one wins it.
    won = IdempotencyRecord.objects.filter(pk=record.pk, state=State.IN_PROGRESS, created_at=record.created_at).update(
        created_at=now
    )
    return won == 1


def _store(record: IdempotencyRecord, response: Response) -> None:
    # Stored exactly as JSON renders it (datetimes as strings…), so a replay is byte-for-byte the same body.
    body = json.loads(JSONRenderer().render(response.data)) if response.data is not None else None
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        state=State.DONE, response_status=response.status_code, response_body=body
    )


def _release(record: IdempotencyRecord) -> None:
    try:
        IdempotencyRecord.objects.filter(pk=record.pk, state=State.IN_PROGRESS).delete()
    except DatabaseError:
        # The key stays blocked until ABANDONED_AFTER; better than hiding the error that brought us here.
        logger.exception("Could not release idempotency key %s", record.key)


def idempotent(view: Callable[..., Response]) -> Callable[..., Response]:
    """Honour Idempotency-Key on a creating or transitioning view; put it directly above the function (below
    @api_view/@action)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs) -> Response:
        request = _request_of(args)
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            return view(*args, **kwargs)
        if problem := _key_problem(key):
            return _error(status.HTTP_400_BAD_REQUEST, problem)
        # Reading the raw body here (not request.data) fingerprints the exact bytes; too large a body raises
        # RequestDataTooBig, which the API maps to 413 like any other oversized request.
        body_hash = hashlib.sha256(request.body).hexdigest()
        claimed = _claim_key(request.user, key, request.method, request.path[:500], body_hash)
        if isinstance(claimed, Response):
            return claimed
        try:
            with transaction.atomic():
                response = view(*args, **kwargs)
                succeeded = status.is_success(response.status_code)
                if succeeded:
                    _store(claimed, response)
                else:
                    # An error answer must leave nothing behind, or releasing the key could let a retry duplicate it.
                    transaction.set_rollback(True)
        except BaseException:
            _release(claimed)  # the view raised, or the commit failed: nothing was kept, so neither is the key
            raise
        if not succeeded:
            _release(claimed)
        return response

    return wrapper
