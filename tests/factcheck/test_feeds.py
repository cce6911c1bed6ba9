"""The feeds: Atom for readers (read with feedparser, as a feed reader would) and the ClaimReview JSON feed for
aggregators (read with json, every item the ClaimReview its page embeds)."""

from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.conf import settings

from factcheck.models import FactCheck
from factcheck.record import services as publishing
from factcheck.record.claimreview import build_claim_review
from tests.factcheck.page_parsing import the_json_ld

ATOM = "/feeds/fact-checks.atom"
JSON_FEED = "/feeds/claimreview.json"
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


def read_atom(client) -> feedparser.FeedParserDict:
    answer = client.get(ATOM)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(answer.content)
    assert not feed.bozo, feed.get("bozo_exception")  # well-formed XML, or feedparser says so
    return feed


def test_it_lists_verdicts_in_an_atom_feed(client, make_claim, publish, clock):
    first = publish(make_claim("The talks lasted more than five hours"), rating="false")
    clock.shift(timedelta(hours=1))
    second = publish(make_claim("Trade rose by 12% last year"), rating="mostly-true")

    feed = read_atom(client)

    assert feed.version == "atom10"
    assert feed.feed.title == f"{settings.FACTCHECK_PUBLISHER_NAME}: fact-checks"
    assert feed.feed.link == settings.SITE_URL + "/fact-checks/"
    assert [e.title for e in feed.entries] == [
        "Mostly true: Trade rose by 12% last year",
        "False: The talks lasted more than five hours",
    ]
    assert [e.link for e in feed.entries] == [second.public_url, first.public_url]
    assert [e.id for e in feed.entries] == [second.public_url, first.public_url]
    assert feed.entries[1].summary == "It was four hours."
    assert feed.entries[1].published_parsed[:5] == (2025, 3, 1, 9, 0)
    assert [t.term for t in feed.entries[0].tags] == ["Mostly true"]


def test_it_brings_a_corrected_verdict_back_to_the_top(client, make_claim, publish, editor, clock):
    older = publish(make_claim("The talks lasted more than five hours"))
    clock.shift(timedelta(hours=1))
    newer = publish(make_claim("Trade rose by 12% last year"))
    clock.shift(timedelta(hours=1))
    publishing.correct(
        claim_id=older.claim_id,
        editor=editor,
        note="The schedule was misread.",
        summary="It was five hours and ten minutes.",
    )

    feed = read_atom(client)

    assert [e.id for e in feed.entries] == [older.public_url, newer.public_url]
    corrected = feed.entries[0]
    assert corrected.title == "False (corrected): The talks lasted more than five hours"
    assert corrected.summary.startswith("Correction (version 2): The schedule was misread.")
    assert "It was five hours and ten minutes." in corrected.summary
    assert corrected.updated_parsed[:5] == (2025, 3, 1, 11, 0)
    assert corrected.published_parsed[:5] == (2025, 3, 1, 9, 0)
    assert feed.feed.updated_parsed[:5] == (2025, 3, 1, 11, 0)


def test_it_announces_a_retraction_in_the_atom_feed(client, make_claim, publish, editor):
    fact_check = publish(make_claim())
    publishing.retract(claim_id=fact_check.claim_id, editor=editor, reason="The source was fabricated.")

    [entry] = read_atom(client).entries

    assert entry.title == "Retracted: The talks lasted more than five hours"
    assert entry.summary == "This fact-check was retracted: The source was fabricated."


def test_it_keeps_the_atom_feed_well_formed_whatever_the_claim_says(client, make_claim, publish):
    # A vertical tab pasted into a claim is forbidden in XML; markup must arrive as text, not as elements.
    publish(make_claim("Crime fell\x0b by <b>half</b> & more"))

    [entry] = read_atom(client).entries

    assert entry.title == "False: Crime fell by <b>half</b> & more"


def test_it_sends_an_empty_but_valid_atom_feed(client, db):
    assert read_atom(client).entries == []


def test_it_serves_every_live_claim_review_in_the_json_feed(client, make_claim, publish, editor):
    live = publish(make_claim("The talks lasted more than five hours"))
    corrected = publish(make_claim("Trade rose by 12% last year"))
    publishing.correct(claim_id=corrected.claim_id, editor=editor, note="New data.", summary="Up 11%.")

    answer = client.get(JSON_FEED)

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    body = answer.json()
    assert body["next_url"] is None
    for fact_check in (live, corrected):
        fact_check = FactCheck.objects.get(pk=fact_check.pk)
        expected = build_claim_review(
            fact_check.current_version, site_url=settings.SITE_URL, publisher_name=settings.FACTCHECK_PUBLISHER_NAME
        )
        assert expected in body["items"]
        # The same object the page embeds, so aggregators and crawlers never disagree.
        assert the_json_ld(client.get(fact_check.get_absolute_url()).content.decode()) == expected
    assert len(body["items"]) == 2


def test_it_leaves_retracted_verdicts_out_of_the_json_feed(client, make_claim, publish, editor):
    kept = publish(make_claim("The talks lasted more than five hours"))
    retracted = publish(make_claim("Trade rose by 12% last year"))
    publishing.retract(claim_id=retracted.claim_id, editor=editor, reason="Fabricated source.")

    items = client.get(JSON_FEED).json()["items"]

    assert [item["url"] for item in items] == [kept.public_url]


def test_it_pages_the_json_feed_until_next_url_is_null(client, make_claim, publish):
    published = [publish(make_claim(f"Claim number {n} about the talks")) for n in range(5)]

    seen, url, pages = [], f"{JSON_FEED}?limit=2", 0
    while url:
        body = client.get(url.removeprefix(settings.SITE_URL)).json()
        seen += [item["url"] for item in body["items"]]
        url, pages = body["next_url"], pages + 1

    assert pages == 3
    assert seen == [fc.public_url for fc in published]  # oldest first, each exactly once


def test_it_reads_the_json_feed_in_a_constant_number_of_queries(
    client, make_claim, publish, django_assert_max_num_queries
):
    for n in range(6):
        publish(make_claim(f"Claim number {n} about the talks"))

    with django_assert_max_num_queries(2):
        assert len(client.get(JSON_FEED).json()["items"]) == 6


@pytest.mark.parametrize("query", ["limit=ten", "after=-x", "limit=1.5"])
def test_it_answers_400_to_a_bad_json_feed_page(client, db, query):
    answer = client.get(f"{JSON_FEED}?{query}")

    assert answer.status_code == 400
    assert "whole numbers" in answer.json()["detail"]
