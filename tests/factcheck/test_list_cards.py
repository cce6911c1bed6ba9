"""The lists' cards: read as plain values (record/cards.py), they must show what the fact-checks' own models say;
written in Python (site/markup.py), they must escape every value."""

from datetime import UTC, datetime

from django.test.html import parse_html
from django.urls import reverse

from claims.models import Topic
from core.slugs import slug_url
from factcheck.record import services as publishing
from factcheck.record.cards import FactCheckCard, TopicLink, fact_check_cards
from factcheck.record.selectors import search_fact_checks
from factcheck.site import markup
from tests.factcheck.conftest import SUMMARY


def test_a_card_shows_what_the_models_say(make_claim, publish, editor, other_editor):
    Topic.objects.create(slug="trade", name="Trade")
    Topic.objects.create(slug="economy", name="Экономика")
    plain = publish(make_claim("Trade rose by 12% last year", claimant="Министр Анна", topics=["trade", "economy"]))
    corrected = publish(make_claim("Exports doubled", claimant=""))
    publishing.correct(claim_id=corrected.claim_id, editor=other_editor, rating="mostly-false", note="A misread table.")
    retracted = publish(make_claim("Imports halved"))
    publishing.retract(claim_id=retracted.claim_id, editor=editor, reason="Forged source.")

    cards = {card.claim_text: card for card in fact_check_cards(search_fact_checks())}

    card = cards["Trade rose by 12% last year"]
    plain.refresh_from_db()
    assert card.url == plain.get_absolute_url()
    assert card.claimant_name == "Министр Анна"
    assert card.claimant_url == reverse("factcheck:claimant", kwargs={"slug": plain.claim.claimant.slug})
    assert [topic.name for topic in card.topics] == [t.name for t in Topic.objects.order_by("name")]
    assert [topic.url for topic in card.topics] == [
        reverse("factcheck:topic", kwargs={"slug": t.slug}) for t in Topic.objects.order_by("name")
    ]
    assert (card.rating_label, card.summary, card.corrected, card.retracted) == ("False", SUMMARY, False, False)
    assert (card.published_at, card.updated_at) == (plain.published_at, plain.updated_at)

    card = cards["Exports doubled"]
    assert (card.claimant_name, card.claimant_url, card.language) == ("", "", "en")
    assert (card.rating_label, card.corrected, card.topics) == ("Mostly false", True, ())

    assert cards["Imports halved"].retracted is True


def test_the_list_page_shows_the_cards(client, make_claim, publish, other_editor):
    Topic.objects.create(slug="trade", name="Trade")
    fact_check = publish(make_claim(claimant="Minister Jane Roe", topics=["trade"]))
    publishing.correct(claim_id=fact_check.claim_id, editor=other_editor, rating="mostly-false", note="A misread.")

    html = client.get("/fact-checks/").content.decode()

    claim_link = f'<a href="{fact_check.get_absolute_url()}" lang="en" dir="auto">'
    assert f"{claim_link}The talks lasted more than five hours</a>" in html
    assert f'<a href="/claimants/{fact_check.claim.claimant.slug}/" dir="auto">Minister Jane Roe</a>' in html
    assert '<a href="/topics/trade/" dir="auto">' in html
    assert "· corrected" in html
    assert '<span class="rating badge badge-9a4a0c">Mostly false</span>' in html


def test_a_slug_url_is_what_reverse_gives():
    for slug in ("trade", "a-b_c-9", "slug-placeholder-2"):
        assert slug_url("factcheck:detail")(slug) == reverse("factcheck:detail", kwargs={"slug": slug})


def _card(**changes) -> FactCheckCard:
    values = {
        "url": "/fact-checks/trade-rose-1/",
        "claim_text": 'Trade rose <script>alert("x")</script>',
        "language": "ru",
        "claimant_name": "Министр & <b>Анна</b>",
        "claimant_url": "/claimants/ministr-anna/",
        "rating_label": "Mostly <false>",
        "rating_colour": "#9a4a0c",
        "retracted": False,
        "corrected": True,
        "summary": "It fell by 3% <i>in fact</i>.",
        "published_at": datetime(2026, 11, 6, 21, 24, 42, tzinfo=UTC),
        "updated_at": datetime(2026, 11, 7, tzinfo=UTC),
        "topics": (TopicLink("Экономика & <торговля>", "/topics/ekonomika/"), TopicLink("Trade", "/topics/trade/")),
    }
    return FactCheckCard(**{**values, **changes})


def test_a_card_is_written_escaped(settings):
    settings.TIME_ZONE = "UTC"
    html = markup.fact_check_cards([_card()])
    assert parse_html(html) == parse_html(
        '<article class="item"><h2><a href="/fact-checks/trade-rose-1/" lang="ru" dir="auto">'
        "Trade rose &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</a></h2>"
        '<p class="meta"><a href="/claimants/ministr-anna/" dir="auto">Министр &amp; &lt;b&gt;Анна&lt;/b&gt;</a> · '
        '<span class="rating badge badge-9a4a0c">Mostly &lt;false&gt;</span>'
        ' · <time datetime="2026-11-06T21:24:42+00:00">6 November 2026</time> · corrected'
        ' · <a href="/topics/ekonomika/" dir="auto">Экономика &amp; &lt;торговля&gt;</a>,'
        ' <a href="/topics/trade/" dir="auto">Trade</a></p>'
        '<p class="summary" dir="auto">It fell by 3% &lt;i&gt;in fact&lt;/i&gt;.</p></article>'
    )


def test_a_retracted_card_says_so_without_its_summary_and_a_claimant_without_a_page_is_plain_text():
    html = markup.fact_check_cards([_card(retracted=True, claimant_url="", topics=(), corrected=False)], "h3")
    assert parse_html(html) == parse_html(
        '<article class="item"><h3><a href="/fact-checks/trade-rose-1/" lang="ru" dir="auto">'
        "Trade rose &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</a></h3>"
        '<p class="meta"><bdi>Министр &amp; &lt;b&gt;Анна&lt;/b&gt;</bdi> · '
        '<span class="badge retracted"><del>Mostly &lt;false&gt;</del> <strong>Retracted</strong></span>'
        ' · <time datetime="2026-11-06T21:24:42+00:00">6 November 2026</time></p></article>'
    )
    assert "summary" not in html


def test_a_card_shows_its_date_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Asia/Kolkata"
    assert '<time datetime="2026-11-07T02:54:42+05:30">7 November 2026</time>' in markup.fact_check_cards([_card()])
