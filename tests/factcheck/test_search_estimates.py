"""A broad search is not counted when the planner expects many times the cap (core.pagination.estimated_matches): its
GIN index would read every match first. Without statistics the planner's guess is not trusted, and all is counted."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.pagination import estimated_matches
from factcheck.models import FactCheck
from factcheck.record.selectors import search_fact_checks
from factcheck.site.pages import listing

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="estimates are PostgreSQL's")


@pytest.fixture
def six_claims(make_claim, publish):
    for n in range(6):
        publish(make_claim(f"Claim number {n}", claimant=f"Claimant {n}"))


def searched(client, query: str) -> tuple[str, list[str]]:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/fact-checks/", {"q": query}).content.decode()
    return html, [q["sql"] for q in queries]


def counts(sql: list[str]) -> list[str]:
    """The paginator's capped counts (`COUNT(*)` over a `LIMIT`ed subquery), not the filter choices' total."""
    return [statement for statement in sql if statement.startswith("SELECT COUNT(") and " LIMIT " in statement]


def analyze() -> None:
    """Statistics for the fact-check table. ANALYZE writes a table's row count in place, outside the test's
    transaction, so the tests that call it run in a live database: the flush after them truncates the table,
    which takes the statistics away again, and later tests see a table without them, as a fresh database has."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE factcheck_factcheck")


@postgresql_only
def test_a_table_without_statistics_gives_no_estimate_and_the_search_is_counted(client, six_claims, monkeypatch):
    monkeypatch.setattr(listing, "SEARCH_COUNT_CAP", 2)
    assert estimated_matches(FactCheck.objects.all()) is None

    html, sql = searched(client, "claim")

    assert len(counts(sql)) == 1
    assert "More than 2 fact-checks found" in html


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_estimated_at_many_times_the_cap_are_not_counted(six_claims):
    analyze()
    published = search_fact_checks()  # a word's estimate on six rows is too coarse to test with: all six, then
    assert estimated_matches(published) == 6

    with CaptureQueriesContext(connection) as queries:
        paginator = listing.CappedPaginator(published, 20, cap=2, estimate_first=True)
        assert (paginator.count, paginator.capped, paginator.num_pages) == (3, True, 1)
    assert counts([q["sql"] for q in queries]) == []

    exact = listing.CappedPaginator(published, 20, cap=2)
    with CaptureQueriesContext(connection) as queries:
        assert (exact.count, exact.capped) == (3, True)
    assert len(counts([q["sql"] for q in queries])) == 1


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_search_estimated_near_the_cap_is_counted_exactly(client, six_claims, monkeypatch):
    analyze()
    monkeypatch.setattr(listing, "SEARCH_COUNT_CAP", 5)  # 6 matches: within the margin (1.25 times the cap)

    broad, broad_sql = searched(client, "claim")
    narrow, narrow_sql = searched(client, "number 3")

    assert len(counts(broad_sql)) == 1 and "More than 5 fact-checks found" in broad
    assert len(counts(narrow_sql)) == 1 and "1 fact-check found." in narrow


def test_there_is_no_estimate_off_postgresql(db):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite and the like")
    assert estimated_matches(FactCheck.objects.all()) is None


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_searchs_estimate_is_planned_once_per_stamp_of_public_content(client, six_claims):
    analyze()
    cache.clear()

    def explains(n: int) -> int:
        with CaptureQueriesContext(connection) as queries:  # a parameter the page does not read: not cached
            assert client.get("/fact-checks/", {"q": "claim", "cold": n}).status_code == 200
        return sum(q["sql"].startswith("EXPLAIN") for q in queries)

    assert [explains(1), explains(2), explains(3)] == [1, 0, 0]
    cache.clear()  # as a publication replaces the stamp
    assert explains(4) == 1


@postgresql_only
def test_a_search_is_counted_once_per_stamp_and_again_once_a_publication_changes_it(
    client, six_claims, make_claim, publish, django_capture_on_commit_callbacks
):
    cache.clear()

    def found(n: int) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:  # a parameter the page does not read: not cached
            html = client.get("/fact-checks/", {"q": "claim", "cold": n}).content.decode()
        return len(counts([q["sql"] for q in queries])), html

    (first, html), (again, html_again) = found(1), found(2)
    assert (first, again) == (1, 0)
    assert "6 fact-checks found." in html and "6 fact-checks found." in html_again

    with django_capture_on_commit_callbacks(execute=True):
        publish(make_claim("Claim number 6", claimant="Claimant 6"))

    counted, html = found(3)
    assert counted == 1 and "7 fact-checks found." in html
