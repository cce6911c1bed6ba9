"""Timestamps read through psycopg's C loader (core/timestamps.py) are what Django's own loader gives: the same
instant, to the microsecond, with the same time zone object."""

from datetime import UTC, datetime, timedelta, timezone

import psycopg
import pytest
from django.db import connection
from psycopg.pq import Format

from core.timestamps import TimestamptzLoader, loader_for

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL loader")

TEXTS = [
    "2026-11-06 21:24:42.123456+00",
    "2026-01-31 23:59:59.999999+05:30",
    "1999-12-31 18:30:00-08",
    "2026-03-29 01:00:00+01",
    "0044-03-15 12:00:00+00",
]


def read(sql: str, *, django_loader: bool) -> list:
    with connection.cursor() as cursor:
        if django_loader:
            from django.db.backends.postgresql.psycopg_any import register_tzloader

            register_tzloader(connection.timezone, cursor.cursor)
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


def test_each_connection_reads_timestamps_with_the_c_loader(db):
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(
        connection.connection.adapters.types["timestamptz"].oid, Format.TEXT
    )
    assert issubclass(loader, TimestamptzLoader)
    assert loader.timezone is connection.timezone  # so Django keeps it, and registers none of its own per cursor


def test_the_values_are_what_djangos_loader_gives(db):
    sql = "SELECT v::timestamptz FROM (VALUES " + ", ".join(f"('{text}')" for text in TEXTS) + ") AS t(v)"

    ours, djangos = read(sql, django_loader=False), read(sql, django_loader=True)

    assert ours == djangos
    assert [value.tzinfo for value in ours] == [value.tzinfo for value in djangos]
    assert all(value.tzinfo is connection.timezone for value in ours)
    assert ours[0] == datetime(2026, 11, 6, 21, 24, 42, 123456, tzinfo=UTC)
    assert ours[1] == datetime(2026, 1, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=5, minutes=30)))


def test_a_model_reads_back_what_it_wrote(db, django_user_model):
    joined = datetime(2026, 2, 28, 23, 59, 59, 654321, tzinfo=timezone(timedelta(hours=-3)))
    user = django_user_model.objects.create(username="Дарья", date_joined=joined)

    user.refresh_from_db()

    assert user.date_joined == joined and user.date_joined.tzinfo is connection.timezone


def test_without_a_time_zone_the_value_is_naive():
    loader = loader_for(None)(psycopg.postgres.types["timestamptz"].oid)
    assert loader.load(b"2026-11-06 21:24:42.5+00").tzinfo is None
