"""How crawlers and other sites find and show our verdicts: sitemap.xml (read with an XML parser), robots.txt (read
with the stdlib's robots parser), social cards, the embeddable card and oEmbed (read with json)."""

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit
from urllib.robotparser import RobotFileParser

import pytest
from django.conf import settings

from claims.models import Topic
from factcheck.record import services as publishing

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


class _HeadTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")
        elif tag == "link":
            self.links.append(attrs)


def head_tags(html: str) -> _HeadTags:
    parser = _HeadTags()
    parser.feed(html)
    return parser


def oembed(client, **params):
    return client.get("/oembed/?" + urlencode(params))


# sitemap.xml and robots.txt


def test_it_lists_fact_checks_and_standing_pages_in_the_sitemap(client, make_claim, publish, editor, time_machine):
    time_machine.move_to(T0, tick=False)
    first = publish(make_claim("The talks lasted more than five hours"))
    time_machine.shift(timedelta(days=3))
    second = publish(make_claim("Trade rose by 12% last year"))
    time_machine.shift(timedelta(days=2))
    publishing.correct(claim_id=first.claim_id, editor=editor, note="Misread schedule.", summary="It was 4.5 hours.")

    answer = client.get("/sitemap.xml")

    assert answer.status_code == 200
    root = ET.fromstring(answer.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    entries = {
        u.findtext("s:loc", namespaces=SITEMAP_NS): u.findtext("s:lastmod", namespaces=SITEMAP_NS)
        for u in root.findall("s:url", SITEMAP_NS)
    }
    site = settings.SITE_URL
    assert entries == {
        first.public_url: "2025-03-06",
        second.public_url: "2025-03-04",
        f"{site}/claimants/{first.claim.claimant.slug}/": None,
        f"{site}/fact-checks/": "2025-03-06",
        f"{site}/topics/": None,
        f"{site}/methodology/": None,
        f"{site}/corrections/": "2025-03-06",
    }


def test_it_lists_the_pages_of_claimants_and_topics_with_a_published_verdict(client, make_claim, publish, desk):
    Topic.objects.create(slug="economy", name="Экономика")
    Topic.objects.create(slug="health", name="Health")
    published = make_claim("Путин сказал, что экономика выросла", claimant="Владимир Путин", topics=["economy"])
    publish(published)
    make_claim("An unpublished claim", claimant="A Private Person", topics=["health"])

    root = ET.fromstring(client.get("/sitemap.xml").content)

    paths = [urlsplit(u.text).path for u in root.iterfind("s:url/s:loc", SITEMAP_NS)]
    listed = [path for path in paths if path.startswith(("/claimants/", "/topics/"))]
    assert sorted(listed) == ["/claimants/vladimir-putin/", "/topics/", "/topics/economy/"]
    assert all(client.get(path).status_code == 200 for path in listed)


def test_it_keeps_retracted_pages_in_the_sitemap_so_crawlers_see_the_tombstone(client, make_claim, publish, editor):
    fact_check = publish(make_claim())
    publishing.retract(claim_id=fact_check.claim_id, editor=editor, reason="Fabricated source.")

    root = ET.fromstring(client.get("/sitemap.xml").content)

    assert fact_check.public_url in [u.text for u in root.iterfind("s:url/s:loc", SITEMAP_NS)]


def test_it_uses_the_canonical_site_address_in_the_sitemap_whatever_the_host(client, make_claim, publish, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://checks.example.org"
    fact_check = publish(make_claim())

    root = ET.fromstring(client.get("/sitemap.xml", HTTP_HOST="mirror.example.net").content)

    locations = [u.text for u in root.iterfind("s:url/s:loc", SITEMAP_NS)]
    assert f"https://checks.example.org/fact-checks/{fact_check.slug}/" in locations
    assert all(loc.startswith("https://checks.example.org/") for loc in locations)


def test_it_lets_crawlers_in_but_not_into_admin_or_the_api(client, db):
    answer = client.get("/robots.txt")
    robots = RobotFileParser()
    robots.parse(answer.content.decode().splitlines())

    assert answer["Content-Type"].startswith("text/plain")
    assert robots.can_fetch("Googlebot", "/fact-checks/some-claim-1/")
    assert robots.can_fetch("*", "/sitemap.xml")
    assert not robots.can_fetch("Googlebot", "/admin/")
    assert not robots.can_fetch("*", "/api/v1/fact-checks/")
    assert robots.site_maps() == [f"{settings.SITE_URL}/sitemap.xml"]


# Social cards and oEmbed discovery on the detail page


def test_it_describes_a_verdict_for_social_cards(client, make_claim, publish):
    fact_check = publish(
        make_claim("Trade rose by <b>12%</b> last year"), rating="mostly-true", summary="It rose by 11.6%."
    )

    tags = head_tags(client.get(fact_check.get_absolute_url()).content.decode())

    assert tags.meta["og:type"] == "article"
    assert tags.meta["og:url"] == fact_check.public_url
    assert tags.meta["og:title"] == "Fact-check: Trade rose by <b>12%</b> last year"
    assert tags.meta["og:description"] == "Mostly true. It rose by 11.6%."
    assert tags.meta["og:site_name"] == settings.FACTCHECK_PUBLISHER_NAME
    assert tags.meta["twitter:card"] == "summary"
    assert tags.meta["twitter:description"] == "Mostly true. It rose by 11.6%."
    assert tags.meta["article:published_time"].startswith(fact_check.published_at.date().isoformat())


def test_it_says_retracted_in_the_social_cards_of_a_tombstone(client, make_claim, publish, editor):
    fact_check = publish(make_claim())
    publishing.retract(claim_id=fact_check.claim_id, editor=editor, reason="The source was fabricated.")

    tags = head_tags(client.get(fact_check.get_absolute_url()).content.decode())

    assert tags.meta["og:description"] == "This fact-check was retracted: The source was fabricated."
    assert "False" not in tags.meta["twitter:description"]


def test_it_lets_consumers_discover_the_oembed_endpoint(client, make_claim, publish):
    fact_check = publish(make_claim())
    tags = head_tags(client.get(fact_check.get_absolute_url()).content.decode())

    [link] = [link for link in tags.links if link.get("type") == "application/json+oembed"]
    answer = client.get(link["href"].removeprefix(settings.SITE_URL))

    assert link["rel"] == "alternate"
    assert answer.status_code == 200
    assert json.loads(answer.content)["title"] == "Fact-check: The talks lasted more than five hours"


# The embeddable card and oEmbed


def test_it_describes_a_fact_check_as_a_rich_oembed(client, make_claim, publish):
    fact_check = publish(make_claim())

    answer = oembed(client, url=fact_check.public_url, format="json")

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    data = json.loads(answer.content)
    assert (data["version"], data["type"]) == ("1.0", "rich")
    assert data["provider_name"] == settings.FACTCHECK_PUBLISHER_NAME
    assert (data["width"], data["height"]) == (500, 320)
    [(tag, iframe)] = head_tags(data["html"]).tags  # exactly one element: the iframe of the embed card
    assert tag == "iframe"
    assert iframe["src"] == f"{fact_check.public_url}embed/"
    assert (iframe["width"], iframe["height"]) == ("500", "320")
    assert iframe["title"] == "Fact-check: The talks lasted more than five hours"


def test_its_oembed_card_is_served_for_iframes(client, make_claim, publish):
    fact_check = publish(make_claim())
    [(_, iframe)] = head_tags(json.loads(oembed(client, url=fact_check.public_url).content)["html"]).tags

    card = client.get(urlsplit(iframe["src"]).path)

    assert card.status_code == 200
    assert "X-Frame-Options" not in card
    assert "frame-ancestors *" in card["Content-Security-Policy"]
    assert "script-src" not in card["Content-Security-Policy"]  # default-src 'none' covers scripts: none run
    html = card.content.decode()
    assert "The talks lasted more than five hours" in html
    assert '<span class="rating badge badge-8b1a1a">False</span>' in html
    assert f'href="{fact_check.public_url}" target="_blank" rel="noopener"' in html
    assert "<script" not in html
    assert head_tags(html).meta["robots"] == "noindex"


def test_it_shows_the_tombstone_in_the_embed_card(client, make_claim, publish, editor):
    fact_check = publish(make_claim())
    publishing.retract(claim_id=fact_check.claim_id, editor=editor, reason="The source was fabricated.")

    html = client.get(f"{fact_check.get_absolute_url()}embed/").content.decode()

    assert "This fact-check was retracted." in html
    assert "The source was fabricated." in html
    assert 'class="rating' not in html


def test_it_escapes_the_claim_inside_the_oembed_html(client, make_claim, publish):
    fact_check = publish(make_claim('He said "x" <script>alert(1)</script>'))

    data = json.loads(oembed(client, url=fact_check.public_url).content)
    embed = client.get(f"{fact_check.get_absolute_url()}embed/").content.decode()

    [(tag, iframe)] = head_tags(data["html"]).tags
    assert tag == "iframe"
    assert iframe["title"] == 'Fact-check: He said "x" <script>alert(1)</script>'
    assert "<script>" not in embed


def test_it_respects_the_consumers_maximum_size(client, make_claim, publish):
    fact_check = publish(make_claim())

    data = json.loads(oembed(client, url=fact_check.public_url, maxwidth=300, maxheight=9999).content)

    assert (data["width"], data["height"]) == (300, 320)
    assert 'width="300" height="320"' in data["html"]


@pytest.mark.parametrize(
    "url",
    [
        "{site}/fact-checks/no-such-claim-99/",
        "https://elsewhere.example.org/fact-checks/{slug}/",
        "{site}/methodology/",
        "{site}/admin/",
        "javascript:alert(1)",
    ],
)
def test_it_answers_404_for_addresses_that_are_not_our_fact_checks(client, make_claim, publish, url):
    fact_check = publish(make_claim())

    answer = oembed(client, url=url.format(site=settings.SITE_URL, slug=fact_check.slug))

    assert answer.status_code == 404
    assert json.loads(answer.content)["detail"]


def test_it_answers_501_for_xml(client, make_claim, publish):
    fact_check = publish(make_claim())

    assert oembed(client, url=fact_check.public_url, format="xml").status_code == 501


def test_it_answers_400_without_a_url(client, db):
    assert oembed(client, format="json").status_code == 400


def test_it_answers_404_for_the_embed_of_an_unknown_fact_check(client, db):
    assert client.get("/fact-checks/no-such-claim-99/embed/").status_code == 404


def test_it_answers_the_browsers_icon_request_without_a_404(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 204
    assert "max-age=86400" in response["Cache-Control"]


def test_it_keeps_crawlers_out_of_the_workspace(client):
    assert "Disallow: /workspace/" in client.get("/robots.txt").content.decode().splitlines()
