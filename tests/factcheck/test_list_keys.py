"""The list's commonest shapes are read by compiled statements (factcheck.record.list_keys): they must list what the
queryset lists, in its order, page after page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck.models import FactCheck
from factcheck.record.list_keys import listed_keys
from factcheck.record.selectors import search_fact_checks

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored lexemes are PostgreSQL's")


@pytest.fixture
def published(make_claim, publish):
    texts = ["Budget doubled", "The budget fell", "Exports rose", "Budgets were cut", "Imports halved"] * 3
    for n, text in enumerate(texts):
        publish(make_claim(f"{text} ({n})", claimant=f"Claimant {n}"))
    first = FactCheck.objects.order_by("id").first()
    # Ties on the publication time: the id must order them, as it does in the queryset.
    FactCheck.objects.filter(pk__lte=first.pk + 5).update(published_at=first.published_at)


def pages(found, per_page: int = 4) -> list[list[int]]:
    """Pages of keys, as the paginator slices the list (a queryset's slices read as keys)."""
    if hasattr(found, "values_list"):
        found = found.values_list("pk", flat=True)
    return [list(found[start : start + per_page]) for start in range(0, 16, per_page)]


def test_the_unfiltered_list_is_the_querysets(published):
    keys = listed_keys({})
    assert keys is not None
    assert pages(keys) == pages(search_fact_checks())
    assert keys.count() == search_fact_checks().count() == 15


@postgresql_only
@pytest.mark.parametrize("text", ["budget", "BUDGET doubled", "exports", "nothing-like-it", "Бюджет"])
def test_a_plain_search_is_the_querysets(published, text):
    keys = listed_keys({"text": text})
    assert keys is not None
    assert pages(keys) == pages(search_fact_checks(text=text))
    assert keys.count_up_to(100) == search_fact_checks(text=text).count()


@pytest.mark.parametrize(
    "filters",
    [
        {"text": "budget", "rating": "false"},
        {"topic": "trade"},
        {"claimant_name": "Claimant 1"},
        {"text": "a"},  # one letter: matched as a substring, which a statement cannot bind
        {"text": "budget %% a"},  # a one-letter word among others (punctuation is no word): the same
        {"text": "税"},  # one character of a script written without spaces: the same
    ],
)
def test_other_shapes_are_left_to_the_queryset(filters):
    assert listed_keys(filters) is None


def test_list_and_search_pages_read_their_keys_through_the_statements(client, published):
    for query, shown, hidden in [({}, "Imports halved (14)", ""), ({"q": "exports"}, "Exports rose (12)", "Budget")]:
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/fact-checks/", {**query, "cold": "1"}).content.decode()  # not from the page cache
        assert shown in html and (not hidden or hidden not in html)
        # A statement reads a page with bound LIMIT and OFFSET; the ORM writes no OFFSET for the first page.
        assert any(" OFFSET 0" in q["sql"] for q in queries) == (connection.vendor == "postgresql" or not query)
