"""Writing generated rows fast: COPY on PostgreSQL (psycopg 3), batched INSERTs elsewhere (the tests' SQLite).

Rows are tuples in the order of a table's columns; every concrete column of the model must be given, so a field
added to a model fails here, loudly, instead of leaving a column to a default the service would never write.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

INSERT_BATCH = 2000


def dumps(value: Any) -> str:
    """A JSON column's value as text: COPY and SQLite both take JSON as a string."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def columns_of(model: Any, names: Sequence[str]) -> tuple[str, list[str]]:
    """The table and column names for `names` (field names), refusing a list that misses a concrete column."""
    opts = model._meta
    concrete = {field.name for field in opts.concrete_fields}
    missing, unknown = concrete - set(names), set(names) - concrete
    if missing or unknown:
        raise ValueError(f"{opts.label}: columns missing {sorted(missing)}, unknown {sorted(unknown)}")
    return opts.db_table, [opts.get_field(name).column for name in names]


class RowWriter:
    """Appends rows to tables on one database connection, inside the caller's transaction."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.copy = connection.vendor == "postgresql"
        self.written: dict[str, int] = {}

    def write(self, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
        quote = self.connection.ops.quote_name
        names = ", ".join(quote(c) for c in columns)
        count = 0
        with self.connection.cursor() as cursor:
            if self.copy:
                with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
            else:
                sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
                batch: list[tuple] = []
                for row in rows:
                    batch.append(tuple(self._adapt(value) for value in row))
                    if len(batch) >= INSERT_BATCH:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
        self.written[table] = self.written.get(table, 0) + count

    def _adapt(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return self.connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, date):
            return self.connection.ops.adapt_datefield_value(value)
        return value

    def next_ids(self, models: Iterable[Any]) -> dict[str, int]:
        """The first free id of each model's table: ids are given explicitly, then the sequences are moved on."""
        found = {}
        with self.connection.cursor() as cursor:
            for model in models:
                cursor.execute(
                    f"SELECT COALESCE(MAX(id), 0) + 1 FROM {self.connection.ops.quote_name(model._meta.db_table)}"
                )
                found[model._meta.label] = cursor.fetchone()[0]
        return found

    def reset_sequences(self, models: Sequence[Any]) -> None:
        from django.core.management.color import no_style

        with self.connection.cursor() as cursor:
            for sql in self.connection.ops.sequence_reset_sql(no_style(), list(models)):
                cursor.execute(sql)

    def analyze(self) -> None:
        """Fresh statistics for the planner; VACUUM also sets the visibility map that index-only scans read. VACUUM
        cannot run inside a transaction (the tests' database), where ANALYZE alone is done."""
        vacuum = self.copy and not self.connection.in_atomic_block
        with self.connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
