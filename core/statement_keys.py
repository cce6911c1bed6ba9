"""A list's keys read a page at a time by compiled statements (core.statements), for Django's Paginator.

Building a list's queryset, then compiling it to SQL for its page, its count and the planner's estimate, cost a
cold list page more than PostgreSQL took to answer. A list whose shape is fixed (the newest published fact-checks,
or those matching a search) keeps two statements: one in the list's order, read by pages, and the same rows
unordered, counted or estimated.
"""

from django.db import connections

from core.pagination import estimated_rows, planned_rows
from core.statements import Argument, Statement


class StatementKeys:
    """The keys (`values("pk")`) of `ordered`'s rows, sliced as a paginator slices its list; `unordered` selects
    the same rows in any order. `table` is the one whose statistics tell whether the planner's estimate means
    anything."""

    def __init__(self, ordered: Statement, unordered: Statement, *arguments: Argument, table: str) -> None:
        self.ordered, self.unordered, self.arguments, self.table = ordered, unordered, arguments, table

    def __getitem__(self, window: slice) -> list:
        if not isinstance(window, slice) or window.step not in (None, 1) or window.stop is None:
            raise TypeError("read a page of keys with a bounded slice")
        start = window.start or 0
        rows = self.ordered.rows(*self.arguments, limit=max(window.stop - start, 0), offset=start)
        return [row["pk"] for row in rows]

    def count(self) -> int:
        return self._counted("")

    def count_up_to(self, most: int) -> int:
        """The rows, counted until there are `most`: a count that stops early."""
        return self._counted(f" LIMIT {int(most)}")

    def estimate(self) -> int | None:
        """The planner's estimate of the rows (core.pagination.estimated_matches); None without statistics."""
        found = self.unordered.sql(*self.arguments)
        if found is None:
            return 0
        if estimated_rows(self.table, using=self.unordered.using) is None:
            return None
        return planned_rows(*found, using=self.unordered.using)

    def _counted(self, limit: str) -> int:
        found = self.unordered.sql(*self.arguments)
        if found is None:
            return 0
        sql, params = found
        with connections[self.unordered.using].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}{limit}) AS counted", params)
            (counted,) = cursor.fetchone()
        return counted
