"""Page numbers of the public lists: a page that does not exist is a 404, never a copy of another page, and the
spellings of one page share one copy in the page cache."""

import pytest
from django.core.cache import cache

from claims.models import Topic
from factcheck.site.pages.present import PAGE_SIZE

LISTS = ["/fact-checks/", "/claimants/ann-alpha/", "/topics/economy/"]


def stored_entries() -> int:
    return len(cache._cache)  # the tests' in-process cache


@pytest.fixture
def published(make_claim, publish):
    Topic.objects.get_or_create(slug="economy", defaults={"name": "Economy"})
    for n in range(PAGE_SIZE + 1):  # two pages
        publish(make_claim(f"Exports grew by {n} percent", claimant="Ann Alpha", topics=["economy"]))
    cache.clear()


@pytest.mark.parametrize("url", LISTS)
def test_a_page_that_does_not_exist_is_not_found(client, published, url):
    # Past the end, not a number, or another spelling of a page that exists.
    for page in ["3", "999999", "0", "-1", "abc", "", "1.5", "01", " 2", "2_0", "\u0661", "1e3"]:
        assert client.get(url, {"page": page}).status_code == 404, page


@pytest.mark.parametrize("url", LISTS)
def test_the_pages_that_exist_are_found(client, published, url):
    first, second = client.get(url), client.get(url, {"page": "2"})

    assert first.status_code == second.status_code == 200
    assert first.content != second.content


@pytest.mark.parametrize("url", LISTS)
def test_made_up_page_numbers_store_nothing(client, published, url):
    client.get(url)
    before = stored_entries()

    for n in range(50):
        assert client.get(url, {"page": str(1000 + n)}).status_code == 404
        assert client.get(url, {"page": f"x{n}"}).status_code == 404

    assert stored_entries() == before


@pytest.mark.parametrize("url", LISTS)
def test_the_spellings_of_one_page_share_one_copy(client, published, url):
    page = client.get(url)
    before = stored_entries()

    for query in ["?page=1", "?page=1&page=1", "?page=7&page=1"]:
        again = client.get(url + query)
        assert again.status_code == 200
        assert again["ETag"] == page["ETag"]
    assert client.get(url + "?page=2&page=2")["ETag"] == client.get(url + "?page=2")["ETag"]

    assert stored_entries() == before + 1  # page 2, once


def test_empty_filters_are_the_list_without_them(client, published):
    page = client.get("/fact-checks/")
    before = stored_entries()

    sent_by_the_form = client.get("/fact-checks/?q=&rating=&topic=&claimant=&language=&since=&until=")

    assert sent_by_the_form.status_code == 200
    assert sent_by_the_form["ETag"] == page["ETag"]
    assert stored_entries() == before


def test_a_search_pages_through_its_matches_and_no_further(client, published):
    assert client.get("/fact-checks/", {"q": "exports", "page": "2"}).status_code == 200
    assert client.get("/fact-checks/", {"q": "exports", "page": "3"}).status_code == 404
    assert client.get("/fact-checks/", {"q": "nothing-matches-this"}).status_code == 200


@pytest.mark.parametrize("page", ["abc", "9999", "01"])
def test_the_corrections_log_answers_404_for_a_page_that_does_not_exist(client, db, page):
    assert client.get("/corrections/", {"page": page}).status_code == 404
    assert client.get("/corrections/").status_code == 200
