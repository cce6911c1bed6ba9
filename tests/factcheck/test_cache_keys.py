"""Made-up query parameters cannot fill the page cache: a page stores one copy per query it reads, and a query with
a parameter it does not read is answered without storing another copy (nor carrying the parameter in its links
to other readers)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext


def stored_entries() -> int:
    return len(cache._cache)  # the tests' in-process cache


def queries_of(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **headers).status_code == 200
    return len(queries)


def templates_rendered_by(client, url: str) -> int:
    """How many templates answering `url` rendered: 0 for an answer the cache held."""
    rendered = []

    def note(sender, **kwargs) -> None:
        rendered.append(kwargs["template"])

    template_rendered.connect(note)
    try:
        assert client.get(url).status_code == 200
    finally:
        template_rendered.disconnect(note)
    return len(rendered)


@pytest.fixture
def published(make_claim, publish):
    for n in range(3):
        publish(make_claim(f"Exports grew by {n} percent"))
    cache.clear()


@pytest.mark.parametrize(
    "page", ["/fact-checks/", "/fact-checks/?q=exports", "/topics/", "/corrections/", "/sitemap.xml"]
)
def test_a_parameter_the_page_does_not_read_is_answered_but_never_stored(client, published, page):
    sep = "&" if "?" in page else "?"
    client.get(page)
    before = stored_entries()

    for n in range(5):
        assert client.get(f"{page}{sep}fbclid=visitor{n}").status_code == 200

    assert stored_entries() == before
    # Rendered again: it was not stored (by its templates; the topic index runs no query, its counts are shared).
    assert templates_rendered_by(client, f"{page}{sep}fbclid=visitor0") > 0
    assert templates_rendered_by(client, page) == 0  # the page itself was


def test_each_query_the_list_reads_is_stored_once(client, published):
    assert queries_of(client, "/fact-checks/?q=exports&page=1") > 0
    assert queries_of(client, "/fact-checks/?page=1&q=exports") == 0


def test_a_stylesheet_version_does_not_store_another_copy(client, published):
    client.get("/ratings.css?v=one")
    before = stored_entries()

    assert queries_of(client, "/ratings.css?v=two") == 0
    assert stored_entries() == before


def test_the_api_list_stores_only_queries_it_reads(api, published):
    reader = api()
    assert queries_of(reader, "/api/v1/fact-checks/?language=en") > 0
    assert queries_of(reader, "/api/v1/fact-checks/?language=en") == 0
    before = stored_entries()

    for n in range(5):
        answer = reader.get(f"/api/v1/fact-checks/?language=en&utm_source=feed{n}")
        assert len(answer.json()["results"]) == 3

    assert stored_entries() == before


def test_a_repeated_api_parameter_is_answered_by_its_last_value_whatever_was_cached_first(client, published):
    # The list reads the last value of a repeated parameter: the order of the values is part of what was asked.
    first = client.get("/api/v1/fact-checks/?page_size=1&page_size=2", HTTP_ACCEPT="application/json")
    swapped = client.get("/api/v1/fact-checks/?page_size=2&page_size=1", HTTP_ACCEPT="application/json")
    valid_then_not = client.get("/api/v1/fact-checks/?page_size=abc&page_size=7", HTTP_ACCEPT="application/json")
    not_then_valid = client.get("/api/v1/fact-checks/?page_size=7&page_size=abc", HTTP_ACCEPT="application/json")

    assert (len(first.json()["results"]), len(swapped.json()["results"])) == (2, 1)
    assert (valid_then_not.status_code, not_then_valid.status_code) == (200, 400)
