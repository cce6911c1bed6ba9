"""The public site at scale: the list, search, sitemaps and feeds render in the same number of queries however many
fact-checks, claimants and topics there are, run none once cached, and show a change as soon as it commits."""

import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Topic
from core.roles import Role
from factcheck.models import FactCheck
from factcheck.record import selectors
from factcheck.record import services as publishing
from factcheck.record.selectors import search_fact_checks, text_matches
from factcheck.site import choices, sitemaps
from factcheck.site.pages import browse, listing
from reviews.services.members import add_member

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
LANGUAGES = ["en", "de", "ru", "ar", "hi", "zh-hans"]
COLD_URLS = [
    "/fact-checks/",
    "/fact-checks/?q=claim",
    "/fact-checks/?q=claim+number&topic=topic-1&rating=false",
    "/fact-checks/?claimant=Claimant",
    "/fact-checks/?claimant=claimant-1",
    "/fact-checks/?language=ru",
    "/fact-checks/?page=2",
    "/topics/",
    "/sitemap.xml",
    "/feeds/fact-checks.atom",
    "/feeds/claimreview.json",
]


@pytest.fixture(autouse=True)
def multilingual_reviewer(reviewer):
    """The desk needs a reviewer who reads each claim's language before it can publish the verdict."""
    return add_member(username=reviewer.username, role=Role.REVIEWER, languages=LANGUAGES)


@pytest.fixture
def publish_many(make_claim, publish):
    """Fact-checks numbered from `start`, each with its own claimant and topic, in a few languages and scripts."""

    def published(start: int, stop: int) -> None:
        for n in range(start, stop):
            Topic.objects.create(slug=f"topic-{n}", name=f"Topic {n}")
            claim = make_claim(
                f"Claim number {n}", claimant=f"Claimant {n}", language=LANGUAGES[n % 6], topics=[f"topic-{n}"]
            )
            publish(claim, rating="false" if n % 2 else "true")

    return published


def cold_queries(client, url: str) -> int:
    """SQL queries of one rendering with nothing cached (page, filter choices and stamp alike)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url)
    assert answer.status_code == 200, url
    return len(queries)


def test_it_renders_the_public_pages_with_the_same_queries_for_5_or_40_fact_checks(client, publish_many, monkeypatch):
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)  # a page 2 of five, as of forty
    publish_many(0, 5)
    few = {url: cold_queries(client, url) for url in COLD_URLS}

    publish_many(5, 40)
    many = {url: cold_queries(client, url) for url in COLD_URLS}

    assert many == few


def test_a_list_page_rendered_afresh_reads_its_shared_values_in_one_cache_round_trip(client, publish_many, monkeypatch):
    publish_many(0, 3)
    client.get("/fact-checks/")  # the filter choices and the ratings sheet's digest are cached now
    reads = []
    kind = type(caches["default"])
    read_many = kind.get_many
    monkeypatch.setattr(
        kind,
        "get_many",
        lambda self, keys, version=None: reads.append(list(keys)) or read_many(self, keys, version=version),
    )

    # A parameter the page does not read: rendered afresh, bypassing the page cache (core.page_cache).
    answer = client.get("/fact-checks/?utm_source=feed")

    assert answer.status_code == 200 and "Claim number 2" in answer.content.decode()
    assert len(reads) == 1
    assert {key.rsplit(":", 1)[0] for key in reads[0][1:]} == {
        "factcheck:filter-choices",
        "factcheck:badge-sheet-version",
    }


def test_it_renders_sitemap_pages_and_the_index_with_the_same_queries_as_fact_checks_grow(
    client, publish_many, monkeypatch
):
    monkeypatch.setattr(sitemaps.FactCheckSitemap, "limit", 3)
    publish_many(0, 7)
    urls = [
        "/sitemap.xml",
        "/sitemap-fact-checks.xml",
        "/sitemap-fact-checks.xml?p=2",
        "/sitemap-claimants.xml",
        "/sitemap-topics.xml",
        "/sitemap-pages.xml",
    ]
    few = {url: cold_queries(client, url) for url in urls}

    publish_many(7, 40)
    many = {url: cold_queries(client, url) for url in urls}

    assert many == few
    index = ET.fromstring(client.get("/sitemap.xml").content)
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    # 40 fact-checks by 3, then one page each of claimants, topics and the standing pages
    assert len(index.findall("s:sitemap", SITEMAP_NS)) == 14 + 3


def test_it_serves_cached_lists_searches_sitemaps_and_feeds_without_sql(
    client, publish_many, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(sitemaps.FactCheckSitemap, "limit", 3)
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)  # a page 2 of the list
    publish_many(0, 5)
    urls = [*COLD_URLS, "/sitemap-fact-checks.xml?p=2", "/sitemap-pages.xml"]
    first = {url: client.get(url) for url in urls}

    with django_assert_num_queries(0):
        again = {url: client.get(url) for url in urls}

    for url in urls:
        assert again[url].status_code == 200, url
        assert again[url].content == first[url].content, url
    assert again["/sitemap.xml"]["X-Robots-Tag"] == first["/sitemap.xml"]["X-Robots-Tag"]
    assert again["/feeds/claimreview.json"]["Access-Control-Allow-Origin"] == "*"
    assert again["/feeds/fact-checks.atom"]["Content-Type"].startswith("application/atom+xml")


def test_it_counts_the_filter_choices_once_until_something_is_published(
    client, publish_many, make_claim, publish, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(listing, "PAGE_SIZE", 2)  # a page 2 of the list
    publish_many(0, 3)
    counted = []
    original = choices.public_filter_choices
    monkeypatch.setattr(choices, "public_filter_choices", lambda: counted.append(1) or original())

    for url in ["/fact-checks/", "/fact-checks/?q=claim", "/fact-checks/?claimant=Claimant+1", "/fact-checks/?page=2"]:
        assert client.get(url).status_code == 200
    assert len(counted) == 1

    Topic.objects.create(slug="energy", name="Energy")
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_claim("Wind power doubled", claimant="Новый Оратор", language="ru", topics=["energy"]))

    html = client.get("/fact-checks/?q=claim").content.decode()
    assert len(counted) == 2
    assert '<option value="energy">Energy (1)</option>' in html
    assert '<option value="Новый Оратор"></option>' in html


def test_it_counts_topics_from_published_fact_checks_only(client, publish_many, make_claim, desk):
    publish_many(0, 2)
    desk.in_review(make_claim("Not yet public", claimant="Hidden Person", topics=["topic-0"]))

    html = client.get("/fact-checks/").content.decode()

    assert '<option value="topic-0">Topic 0 (1)</option>' in html
    assert "Hidden Person" not in html


def test_it_shows_a_publication_correction_and_retraction_everywhere_once_committed(
    client, publish_many, make_claim, publish, editor, django_capture_on_commit_callbacks
):
    publish_many(0, 3)
    pages = ["/fact-checks/", "/fact-checks/?q=glaciers", "/sitemap.xml", "/feeds/fact-checks.atom"]
    for url in pages:
        assert "Glaciers grew" not in client.get(url).content.decode()

    Topic.objects.create(slug="climate", name="Climate")
    with django_capture_on_commit_callbacks(execute=True):
        fact_check = publish(make_claim("Glaciers grew last year", topics=["climate"]), summary="They shrank.")

    assert "Glaciers grew last year" in client.get("/fact-checks/?q=glaciers").content.decode()
    assert fact_check.public_url in client.get("/sitemap.xml").content.decode()
    assert "Glaciers grew last year" in client.get("/feeds/fact-checks.atom").content.decode()
    assert '<option value="climate">Climate (1)</option>' in client.get("/fact-checks/").content.decode()
    assert "Glaciers grew last year" not in client.get("/fact-checks/?q=retreated").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        publishing.correct(claim_id=fact_check.claim_id, editor=editor, note="New data.", summary="They retreated.")

    # The search reads the corrected summary, and no longer the old one.
    assert "Glaciers grew last year" in client.get("/fact-checks/?q=retreated").content.decode()
    assert "Glaciers grew last year" not in client.get("/fact-checks/?q=shrank").content.decode()
    assert (
        "(corrected): Glaciers grew last year"
        in feedparser.parse(client.get("/feeds/fact-checks.atom").content)["entries"][0]["title"]
    )

    with django_capture_on_commit_callbacks(execute=True):
        publishing.retract(claim_id=fact_check.claim_id, editor=editor, reason="Fabricated data.")

    entry = feedparser.parse(client.get("/feeds/fact-checks.atom").content)["entries"][0]
    assert entry["title"] == "Retracted: Glaciers grew last year"
    assert "<strong>Retracted</strong>" in client.get("/fact-checks/?q=glaciers").content.decode()
    claim_reviews = client.get("/feeds/claimreview.json").json()["items"]
    assert fact_check.public_url not in [item["url"] for item in claim_reviews]


def test_it_counts_a_broad_search_only_up_to_a_cap(client, publish_many, monkeypatch):
    monkeypatch.setattr(listing, "SEARCH_COUNT_CAP", 4)
    publish_many(0, 6)

    broad = client.get("/fact-checks/?q=claim")
    narrow = client.get("/fact-checks/?q=claim&language=ru")

    assert broad.context["page"].paginator.count == 5  # it stopped counting one past the cap
    assert "More than 4 fact-checks found" in broad.content.decode()
    assert "1 fact-check found." in narrow.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_it_answers_a_search_from_the_gin_index(publish_many, monkeypatch):
    publish_many(0, 3)
    with connection.cursor() as cursor:
        # A table this small is cheaper to scan, or to read in list order through the date index while filtering
        # every row; forbid both so the plan shows whether the search index can serve (GIN serves bitmap scans).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    searched = []
    monkeypatch.setattr(selectors, "text_matches", lambda rows, text: searched.append(text) or text_matches(rows, text))

    words = text_matches(FactCheck.objects.all(), "claim number").explain()
    chinese = text_matches(FactCheck.objects.all(), "经济增长").explain()
    listed = list(search_fact_checks(text="claim number"))

    assert "factcheck_search_vector_idx" in words
    assert "factcheck_search_vector_idx" in chinese
    # The list's search filters through that same predicate (on a three-row table the planner may join first and
    # filter after, so its own plan says nothing about the index at scale).
    assert searched == ["claim number"] and listed


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored lexemes exist on PostgreSQL only")
def test_a_common_words_page_compares_stored_lexemes_instead_of_parsing_documents(publish_many):
    publish_many(0, 3)
    with connection.cursor() as cursor:
        # How PostgreSQL reads a common word's first page at scale: newest first, filtering each row it passes.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")

    plan = search_fact_checks(text="claim")[:20].explain()

    assert "factcheck_newest_idx" in plan
    assert "search_vector @@" in plan
    assert "to_tsvector" not in plan  # computed when the row was written (migration 0012), not per row read


def test_the_topic_pages_take_their_counts_from_the_filter_choices(
    client, make_claim, publish, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(browse, "PAGE_SIZE", 2)
    Topic.objects.create(slug="energy", name="Energy")
    for text in ("Wind power doubled", "Солнечная энергия подешевела", "Coal use fell"):
        with django_capture_on_commit_callbacks(execute=True):  # each publication's task counts them again
            publish(make_claim(text, topics=["energy"]))

    with CaptureQueriesContext(connection) as queries:
        index = client.get("/topics/").content.decode()
        first = client.get("/topics/energy/").content.decode()
        second = client.get("/topics/energy/?page=2").content.decode()

    assert '<a href="/topics/energy/" dir="auto">Energy</a> <span class="meta">(3)</span>' in index
    assert [text in first for text in ("Coal use fell", "Солнечная энергия подешевела", "Wind power doubled")] == [
        True,
        True,
        False,
    ]
    assert "Wind power doubled" in second and "Coal use fell" not in second
    assert not [query["sql"] for query in queries if "COUNT(" in query["sql"]]  # at a million claims 0.15-0.8 s
