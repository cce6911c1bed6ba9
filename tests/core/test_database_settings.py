"""How the settings talk to PostgreSQL: statements prepared on the server by default, and nothing that outlives a
transaction behind a transaction-mode pooler."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from claims.models import Topic

POSTGRES = "postgres://desk@127.0.0.1:6432/factcheck"


def test_postgresql_statements_are_bound_and_prepared_on_the_server(monkeypatch, read_base_settings):
    monkeypatch.delenv("PGBOUNCER_TRANSACTION_MODE", raising=False)
    monkeypatch.delenv("DB_PREPARED_STATEMENTS", raising=False)
    options = read_base_settings(DATABASE_URL=POSTGRES)["DATABASES"]["default"]["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5

    assert "server_side_binding" not in read_base_settings(DB_PREPARED_STATEMENTS="false")["DATABASES"]["default"].get(
        "OPTIONS", {}
    )
    sqlite = read_base_settings(DATABASE_URL="sqlite:///x.db", DB_PREPARED_STATEMENTS="true")["DATABASES"]["default"]
    assert sqlite["OPTIONS"] == {"transaction_mode": "IMMEDIATE", "timeout": 20}


def test_it_turns_off_session_state_for_transaction_pooling(monkeypatch, read_base_settings):
    monkeypatch.delenv("PGBOUNCER_TRANSACTION_MODE", raising=False)
    monkeypatch.setenv("DATABASE_URL", POSTGRES)
    plain = read_base_settings()["DATABASES"]["default"]
    assert not plain.get("DISABLE_SERVER_SIDE_CURSORS")
    pooled = read_base_settings(PGBOUNCER_TRANSACTION_MODE="true")["DATABASES"]["default"]
    assert pooled["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert pooled["OPTIONS"]["prepare_threshold"] is None
    assert "server_side_binding" not in pooled["OPTIONS"]
    with pytest.raises(ImproperlyConfigured, match="PGBOUNCER_TRANSACTION_MODE"):
        read_base_settings(DATABASE_URL="sqlite:///x.db")


@pytest.mark.django_db
def test_a_statement_run_again_is_planned_once_per_connection():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    Topic.objects.create(name="Economy", slug="economy")

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    for _ in range(6):  # psycopg prepares a statement on its 6th run (prepare_threshold 5)
        assert Topic.objects.get(slug="economy").name == "Economy"
    assert any('"claims_topic"."slug" = $1' in statement for statement in prepared())
