"""The editors' admin lists of the tables that grow with every claim count cheaply: exactly up to a cap (a COUNT over
a LIMIT), past it PostgreSQL's estimate when the list is unfiltered; never a COUNT(*) of the whole table per page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, ClaimEvent, ClaimStatus, Report
from core import pagination
from core.pagination import EstimatedCountPaginator

LISTS = [
    "/admin/claims/claim/",
    "/admin/claims/report/",
    "/admin/claims/claimevent/",
    "/admin/factcheck/factcheck/",
]


@pytest.fixture
def many_claims(journalist, report):
    claims = Claim.objects.bulk_create(
        Claim(text=f"Инфляция выросла {i} раз", language="ru", submitted_by=journalist, report=report)
        for i in range(12)
    )
    ClaimEvent.objects.bulk_create(
        ClaimEvent(claim=claim, from_status="", to_status=ClaimStatus.SUBMITTED) for claim in claims
    )


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("query", ["", "?q=Инфляция", "?o=-1"])
def test_the_admin_lists_never_count_the_whole_table(client, editor, many_claims, monkeypatch, url, query):
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    client.force_login(editor)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(url + query)

    assert page.status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if re.search(r"\bCOUNT\(", q["sql"], re.IGNORECASE)]
    assert counts, "the list counts its rows somehow"
    assert all(" LIMIT " in sql.upper() for sql in counts), counts


def test_it_counts_exactly_below_the_cap_and_says_the_cap_above_it(many_claims, monkeypatch):
    assert EstimatedCountPaginator(Claim.objects.all(), 5).count == 12
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)

    filtered = EstimatedCountPaginator(Claim.objects.filter(language="ru"), 5)
    assert (filtered.count, filtered.num_pages) == (5, 1)
    assert EstimatedCountPaginator(Report.objects.all(), 5).count == 1
    assert EstimatedCountPaginator(list(range(7)), 5).count == 7


def test_an_unfiltered_list_past_the_cap_reports_the_estimate(many_claims, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    monkeypatch.setattr(pagination, "_estimated_rows", lambda rows: 1_000_000)

    assert EstimatedCountPaginator(Claim.objects.all(), 100).count == 1_000_000
    assert EstimatedCountPaginator(Claim.objects.filter(language="ru"), 100).count == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_class statistics are PostgreSQL's")
def test_the_estimate_is_what_analyze_left_in_pg_class(db):
    # A table of the test's own: ANALYZE writes pg_class outside the test's transaction, and statistics of a
    # handful of claims would mislead the planner in the tests that follow.
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE counted AS SELECT generate_series(1, 5000) AS n")
        assert pagination.estimated_rows("counted") is None  # never analysed
        cursor.execute("ANALYZE counted")

    assert pagination.estimated_rows("counted") == 5000
