"""Pagination shared by every list: by cursor (keyset), so a deep page costs what the first one costs and no list
counts its rows; and the admin's paginator, which counts cheaply.

A keyset cursor holds the values of the list's sort key at the edge of the page it came from; the next page is the
rows strictly beyond them, read through the index in the list's order. The key always ends with the primary key, so
it is unique: no row is skipped or repeated when rows are added between requests, and none is lost among ties.
"""

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, Field, Model, OrderBy, Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.utils.functional import cached_property
from rest_framework import exceptions
from rest_framework.exceptions import NotFound
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination
from rest_framework.utils.urls import replace_query_param

MAX_PAGE_SIZE = 100
INVALID_CURSOR = "Invalid cursor: follow the `next` and `previous` links of the same list and ordering."


class KeyPart:
    """One column of a list's sort key: its lookup path, direction, model field (for nulls and parsing)."""

    def __init__(self, model: type[Model], term: str) -> None:
        self.descending = term.startswith("-")
        self.name = term.lstrip("-")
        self.field = _field_at(model, self.name)
        self.nullable = bool(self.field and self.field.null)

    def order(self, reverse: bool) -> Any:
        descending = self.descending != reverse
        if not self.nullable:
            return f"-{self.name}" if descending else self.name
        # Nulls come last on every database (PostgreSQL and SQLite disagree by default), first when paging back.
        nulls = {"nulls_first": True} if reverse else {"nulls_last": True}
        return F(self.name).desc(**nulls) if descending else F(self.name).asc(**nulls)

    def beyond(self, value: Any, reverse: bool) -> Q:
        """Rows strictly past `value` in this column's order (taken backwards when `reverse`)."""
        descending = self.descending != reverse
        nulls_after = self.nullable and not reverse
        if value is None:
            return Q(**{f"{self.name}__isnull": False}) if self.nullable and reverse else Q(pk__in=[])
        past = Q(**{f"{self.name}__{'lt' if descending else 'gt'}": value})
        return past | Q(**{f"{self.name}__isnull": True}) if nulls_after else past

    def same(self, value: Any) -> Q:
        return Q(**{f"{self.name}__isnull": True}) if value is None else Q(**{self.name: value})

    def bound(self, value: Any, reverse: bool) -> Q | None:
        """A range on the leading column the index can seek to; the OR of `beyond` alone it cannot use."""
        if self.nullable or value is None:
            return None
        return Q(**{f"{self.name}__{'lte' if self.descending != reverse else 'gte'}": value})

    def parse(self, raw: Any) -> Any:
        if raw is None or self.field is None:
            return raw
        value = self.field.to_python(raw)
        if isinstance(value, datetime) and value.tzinfo is not None:
            # A forged time at the edge of the calendar ("0001-01-01T00:00+14:00") has no UTC form: OverflowError.
            value = value.astimezone(UTC)
        return value

    def value_of(self, row: Any) -> Any:
        if isinstance(row, dict):
            return row[self.name]
        value = row
        for part in self.name.split(LOOKUP_SEP):
            value = getattr(value, "pk" if part == "pk" else part, None)
        return value


def _field_at(model: type[Model], path: str) -> Field | None:
    field = None
    for part in path.split(LOOKUP_SEP):
        if model is None:
            return None
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist:
            return None  # an annotation: compared as it comes
        model = field.related_model
    return field


def _ordering_of(queryset: QuerySet) -> list[str]:
    """The queryset's order as lookup terms, up to the first that is not a plain column."""
    query = queryset.query
    terms: list[str] = []
    for item in query.order_by or (queryset.model._meta.ordering if query.default_ordering else ()):
        if isinstance(item, str) and item != "?":
            terms.append(item)
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            terms.append(("-" if item.descending else "") + item.expression.name)
        else:
            break
    return terms or ["-pk"]


def encode_cursor(terms: list[str], position: list, reverse: bool = False) -> str:
    """The cursor of the page after (or, reversed, before) the row at `position` in the order `terms`."""
    cursor = {"o": terms, "p": [_plain(v) for v in position], "r": int(reverse)}
    return base64.urlsafe_b64encode(json.dumps(cursor, separators=(",", ":")).encode()).rstrip(b"=").decode("ascii")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class KeysetPagination(CursorPagination):
    """Pages by cursor over a unique sort key: `?ordering=` (where the list offers it), the view's
    `keyset_ordering`, the class's `ordering` or the queryset's own order, always ending with the id.
    `?page_size=` up to MAX_PAGE_SIZE. The answer is `{next, previous, results}`: no count, which would read every
    matching row."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering: tuple[str, ...] | None = None  # a subclass may fix it; else the queryset's own order
    invalid_cursor_message = INVALID_CURSOR

    def paginate_queryset(self, queryset: QuerySet, request, view=None) -> list:
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        terms = self.get_ordering(request, queryset, view)
        self.key = [KeyPart(queryset.model, term) for term in terms]
        self.terms = [("-" if part.descending else "") + part.name for part in self.key]
        position, self.reverse = self.read_cursor(request)

        queryset = queryset.order_by(*(part.order(self.reverse) for part in self.key))
        if position is not None:
            queryset = queryset.filter(self.past(position))
        rows = list(queryset[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if self.reverse:
            rows.reverse()
        edges = (self.position_of(rows[0]), self.position_of(rows[-1])) if rows else (position, position)
        self.previous_position = edges[0] if (more if self.reverse else position is not None) else None
        self.next_position = edges[1] if (position is not None if self.reverse else more) else None
        self.display_page_controls = self.previous_position is not None or self.next_position is not None
        return rows

    def get_page_size(self, request) -> int:
        """The asked size, capped at max_page_size; one that is not a whole number from 1 is a 400, not the default
        page quietly served in its place."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            refusal = f"A whole number of rows, at least 1 (a page holds at most {self.max_page_size})."
            raise exceptions.ValidationError({self.page_size_query_param: [refusal]})
        return min(int(raw), self.max_page_size)

    def get_ordering(self, request, queryset: QuerySet, view) -> list[str]:
        terms: list[str] = []
        for backend in getattr(view, "filter_backends", []):
            if issubclass(backend, OrderingFilter) and request.query_params.get(backend.ordering_param):
                terms = list(backend().get_ordering(request, queryset, view) or [])
        terms = terms or list(getattr(view, "keyset_ordering", None) or self.ordering or _ordering_of(queryset))
        if not {"id", "pk", "-id", "-pk"} & set(terms):
            terms.append("-id" if terms[0].startswith("-") else "id")
        return terms

    def past(self, position: list) -> Q:
        """Rows after the position in the key's order: a > x, or a = x and b > y, and so on."""
        condition, equal = Q(pk__in=[]), Q()
        for part, value in zip(self.key, position, strict=True):
            condition |= equal & part.beyond(value, self.reverse)
            equal &= part.same(value)
        bound = self.key[0].bound(position[0], self.reverse)
        return condition & bound if bound is not None else condition

    def position_of(self, row: Any) -> list:
        return [part.value_of(row) for part in self.key]

    def read_cursor(self, request) -> tuple[list | None, bool]:
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return None, False
        try:
            cursor = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii") + b"=" * (-len(encoded) % 4)))
            if cursor["o"] != self.terms or len(cursor["p"]) != len(self.key):
                raise ValueError("the cursor belongs to another ordering")
            return [part.parse(raw) for part, raw in zip(self.key, cursor["p"], strict=True)], bool(cursor["r"])
        except (ValueError, TypeError, KeyError, OverflowError, UnicodeError, binascii.Error, ValidationError):
            raise NotFound(self.invalid_cursor_message) from None

    def link(self, position: list, *, reverse: bool) -> str:
        return replace_query_param(self.base_url, self.cursor_query_param, encode_cursor(self.terms, position, reverse))

    def get_next_link(self) -> str | None:
        return None if self.next_position is None else self.link(self.next_position, reverse=False)

    def get_previous_link(self) -> str | None:
        if self.previous_position is None:
            return None
        return self.link(self.previous_position, reverse=True)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        answer = super().get_paginated_response_schema(schema)
        answer["required"] = ["next", "previous", "results"]
        answer["description"] = (
            "One page, by cursor. Follow `next` (older rows in the list's order) and `previous` until null; there is "
            "no count and no page number."
        )
        return answer


class DeskPagination(KeysetPagination):
    """The default for lists behind a token (REST_FRAMEWORK's DEFAULT_PAGINATION_CLASS)."""


class PublicCursorPagination(KeysetPagination):
    """Public lists page by cursor too: stable while new rows arrive and never a COUNT(*) over the whole table."""


# The admin's lists number their pages; these keep the count behind them cheap.

COUNT_CAP = 10_000


class EstimatedCountPaginator(Paginator):
    """Counts exactly up to COUNT_CAP rows (an index-only scan that stops there); past that, an unfiltered list on
    PostgreSQL says what the planner's statistics say (`pg_class.reltuples`), a filtered one says COUNT_CAP. The
    admin then links pages up to that count; search and filters reach the rest."""

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return super().count
        counted = rows.order_by().values("pk")[: COUNT_CAP + 1].count()
        if counted <= COUNT_CAP:
            return counted
        estimate = _estimated_rows(rows) if not rows.query.where else None
        return max(estimate or 0, COUNT_CAP)


def _estimated_rows(rows: QuerySet) -> int | None:
    return estimated_rows(rows.model._meta.db_table, using=rows.db)


def estimated_rows(table: str, *, using: str = "default") -> int | None:
    """PostgreSQL's estimate of a table's rows, kept by ANALYZE and autovacuum; None elsewhere or before any."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        found = cursor.fetchone()
    return int(found[0]) if found and found[0] > 0 else None


def estimated_matches(rows: QuerySet) -> int | None:
    """The planner's estimate of how many rows a filtered query returns, for counts that only need "more than N";
    None where `estimated_rows` has none for its table (not PostgreSQL, or no statistics yet: before ANALYZE the
    planner guesses from the table's size on disk, which says nothing about a handful of rows).

    A capped count still reads every match when an index can only answer as a whole: PostgreSQL's GIN index builds a
    bitmap of every fact-check holding a search word (48,000 at a million claims) before the count stops at 1,001.
    """
    if _estimated_rows(rows) is None:
        return None
    # Its keys only: the rows' joins and columns change nothing in the count, and planning them costs milliseconds.
    sql, params = rows.values("pk").query.sql_with_params()
    return planned_rows(sql, params, using=rows.db)


def planned_rows(sql: str, params: Sequence, *, using: str = "default") -> int:
    """The rows the planner expects `sql` to return (PostgreSQL's EXPLAIN)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
