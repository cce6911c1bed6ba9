"""How machines find what we publish: pages announce the Atom feed in their <head>, /sitemap.xml turns into a sitemap
index once a section outgrows one sitemap, and the ClaimReview JSON feed takes `updated_since` for polling."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import feedparser
import pytest
from django.conf import settings

from claims.models import Claimant, Topic
from factcheck.record import services as publishing
from factcheck.site.sitemaps import FactCheckSitemap

ATOM = "/feeds/fact-checks.atom"
JSON_FEED = "/feeds/claimreview.json"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


class _HeadLinks(HTMLParser):
    """The <link> elements inside <head>, as attribute dicts: what a feed reader looks at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[dict] = []
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        if tag == "head":
            self._in_head = True
        elif tag == "link" and self._in_head:
            self.links.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False


def announced_feeds(html: str) -> list[dict]:
    parser = _HeadLinks()
    parser.feed(html)
    return [link for link in parser.links if link.get("rel") == "alternate" and "xml" in link.get("type", "")]


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


@pytest.fixture
def fact_check(make_claim, publish):
    Topic.objects.create(slug="talks", name="Talks")
    return publish(make_claim("The talks lasted more than five hours", topics=["talks"]))


# Feed autodiscovery


@pytest.mark.parametrize("page", ["list", "verdict", "claimant", "topic"])
def test_it_announces_the_atom_feed_in_the_head_of_each_page(client, fact_check, page):
    paths = {
        "list": "/fact-checks/",
        "verdict": fact_check.get_absolute_url(),
        "claimant": f"/claimants/{Claimant.objects.get().slug}/",
        "topic": "/topics/talks/",
    }
    answer = client.get(paths[page])
    assert answer.status_code == 200

    [feed] = announced_feeds(answer.content.decode())

    assert feed["type"] == "application/atom+xml"
    assert feed["href"] == settings.SITE_URL + ATOM
    assert feed["title"] == f"{settings.FACTCHECK_PUBLISHER_NAME}: fact-checks"


def test_it_announces_a_feed_that_a_feed_reader_can_read(client, fact_check):
    [feed] = announced_feeds(client.get("/fact-checks/").content.decode())

    answer = client.get(urlsplit(feed["href"]).path)
    parsed = feedparser.parse(answer.content)

    assert answer.status_code == 200
    assert not parsed.bozo
    assert [entry.link for entry in parsed.entries] == [fact_check.public_url]


# The sitemap index


def sitemap_locations(client, url: str, **headers) -> tuple[str, list[str]]:
    """The root element's local name (urlset or sitemapindex) and every <loc> in it."""
    answer = client.get(url, **headers)
    assert answer.status_code == 200, url
    root = ET.fromstring(answer.content)
    return root.tag.split("}")[1], [loc.text for loc in root.iterfind("s:*/s:loc", NS)]


@pytest.fixture
def five_fact_checks(make_claim, publish, clock):
    published = []
    for number in range(5):
        clock.shift(timedelta(hours=1))
        published.append(publish(make_claim(f"Trade rose by {number + 10}% last year")))
    return published


def test_it_serves_one_sitemap_while_every_section_fits_in_one(client, five_fact_checks):
    kind, locations = sitemap_locations(client, "/sitemap.xml")

    assert kind == "urlset"
    assert {fc.public_url for fc in five_fact_checks} <= set(locations)


def test_it_serves_a_sitemap_index_once_fact_checks_outgrow_one_sitemap(
    client, five_fact_checks, monkeypatch, settings
):
    monkeypatch.setattr(FactCheckSitemap, "limit", 2)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "mirror.example.net"]
    site = settings.SITE_URL

    kind, sitemaps = sitemap_locations(client, "/sitemap.xml", HTTP_HOST="mirror.example.net")

    assert kind == "sitemapindex"
    assert sitemaps == [
        f"{site}/sitemap-fact-checks.xml",
        f"{site}/sitemap-fact-checks.xml?p=2",
        f"{site}/sitemap-fact-checks.xml?p=3",
        f"{site}/sitemap-claimants.xml",
        f"{site}/sitemap-topics.xml",
        f"{site}/sitemap-pages.xml",
    ]
    pages = [sitemap_locations(client, url.removeprefix(site)) for url in sitemaps]
    assert all(kind == "urlset" for kind, _ in pages)
    listed = [location for _, locations in pages for location in locations]
    claimants = {f"{site}/claimants/{fc.claim.claimant.slug}/" for fc in five_fact_checks}
    assert sorted(listed) == sorted(
        [fc.public_url for fc in five_fact_checks]
        + sorted(claimants)
        + [f"{site}/fact-checks/", f"{site}/topics/", f"{site}/methodology/", f"{site}/corrections/"]
    )
    assert [len(locations) for _, locations in pages[:3]] == [2, 2, 1]


def test_it_answers_404_for_a_sitemap_page_past_the_last(client, five_fact_checks, monkeypatch):
    monkeypatch.setattr(FactCheckSitemap, "limit", 2)

    assert client.get("/sitemap-fact-checks.xml?p=4").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


# updated_since on the JSON feed


def feed_urls(client, query: str) -> list[str]:
    """Every item's url across all pages of the JSON feed, following next_url."""
    urls, url = [], f"{JSON_FEED}?{query}"
    for _ in range(20):
        answer = client.get(url)
        assert answer.status_code == 200, answer.content
        body = answer.json()
        urls += [item["url"] for item in body["items"]]
        if not body["next_url"]:
            return urls
        url = body["next_url"].removeprefix(settings.SITE_URL)
    raise AssertionError("the feed did not end")


@pytest.fixture
def old_new_corrected(make_claim, publish, editor, clock):
    """One verdict published at T0, one at T0 + 2 days, and one from T0 corrected at T0 + 4 days."""
    old = publish(make_claim("The talks lasted more than five hours"))
    corrected = publish(make_claim("Trade rose by 12% last year"))
    clock.shift(timedelta(days=2))
    new = publish(make_claim("Exports fell by 3%"))
    clock.shift(timedelta(days=2))
    publishing.correct(claim_id=corrected.claim_id, editor=editor, note="Wrong year.", summary="It rose by 10%.")
    return old, new, corrected


def test_it_lists_only_verdicts_updated_at_or_after_updated_since(client, old_new_corrected):
    _old, new, corrected = old_new_corrected

    assert feed_urls(client, "updated_since=2025-03-02T00:00:00Z") == [corrected.public_url, new.public_url]
    assert feed_urls(client, "updated_since=2025-03-05T09:00:00Z") == [corrected.public_url]  # at, inclusive
    assert feed_urls(client, "updated_since=2025-03-05T09:00:01Z") == []
    assert len(feed_urls(client, "")) == 3


@pytest.mark.parametrize(
    "since",
    ["2025-03-03T10:00:00%2B01:00", "2025-03-03T09:00:00", "2025-03-03T09:00:00.000000Z", "2025-03-03"],
)
def test_it_reads_updated_since_in_the_forms_iso_8601_allows(client, old_new_corrected, since):
    _old, new, corrected = old_new_corrected

    assert set(feed_urls(client, f"updated_since={since}")) == {new.public_url, corrected.public_url}


def test_it_keeps_updated_since_on_every_page(client, old_new_corrected):
    _old, new, corrected = old_new_corrected

    first = client.get(f"{JSON_FEED}?updated_since=2025-03-02T00:00:00Z&limit=1").json()

    assert "updated_since=2025-03-02T00%3A00%3A00%2B00%3A00" in first["next_url"]
    assert feed_urls(client, "updated_since=2025-03-02T00:00:00Z&limit=1") == [corrected.public_url, new.public_url]


def test_a_poll_learns_of_verdicts_retracted_since_it_last_read(client, old_new_corrected, editor, clock):
    old, new, _corrected = old_new_corrected
    clock.shift(timedelta(days=1))
    publishing.retract(claim_id=old.claim_id, editor=editor, reason="The source was forged.")

    since_before = client.get(f"{JSON_FEED}?updated_since=2025-03-05T12:00:00Z").json()
    since_after = client.get(f"{JSON_FEED}?updated_since=2025-03-06T12:00:00Z").json()
    full_crawl = client.get(JSON_FEED).json()

    assert since_before["items"] == []
    assert since_before["retracted"] == [{"url": old.public_url, "retracted_at": "2025-03-06T09:00:00+00:00"}]
    assert since_after["retracted"] == []
    assert "retracted" not in full_crawl and old.public_url not in [item["url"] for item in full_crawl["items"]]
    assert new.public_url in [item["url"] for item in full_crawl["items"]]


@pytest.mark.parametrize("since", ["yesterday", "2025-13-01", "", "0001-01-01T00:00:00%2B01:00", "1741000000"])
def test_it_answers_400_to_an_updated_since_that_is_not_a_time(client, db, since):
    answer = client.get(f"{JSON_FEED}?updated_since={since}")

    assert answer.status_code == 400
    assert "updated_since must be an ISO 8601" in answer.json()["detail"]
