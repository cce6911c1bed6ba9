"""The query planner's estimate of how many rows a query returns, for counts that only need to know "more than N".

A capped count still reads every match when an index can only answer as a whole: PostgreSQL's GIN index builds a
bitmap of every fact-check that holds a search word (48,000 at a million claims, 7 ms) before the count stops at
1,001. The planner's estimate comes from the table's statistics in a fraction of that. It is used only once the
table has statistics (ANALYZE, or autovacuum, has run on it): before that the planner guesses from the table's size
on disk, which says nothing about a handful of rows.
"""

import json

from django.db import connection
from django.db.models import QuerySet


def estimated_rows(queryset: QuerySet) -> int | None:
    """The planner's estimate of the rows `queryset` returns; None on databases other than PostgreSQL, and while its
    table has no statistics."""
    if connection.vendor != "postgresql":
        return None
    # Its keys only: the rows' joins and columns change nothing in the count, and planning them costs milliseconds.
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table])
        (rows_on_record,) = cursor.fetchone()
        if rows_on_record <= 0:  # -1: never analyzed; 0: analyzed empty, and may have filled since
            return None
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
