"""A verdict's page tells readers where the claim was repeated after we checked it (newest first, capped), its
ClaimReview lists those reports as the claim's appearances, and a repetition recorded later reaches the cached page."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.ingest.tracking import record_claim_appearance
from claims.models import Claim, Claimant, ClaimAppearance, Report
from claims.similar import SimilarItem
from factcheck.record import services as publishing
from tests.factcheck.page_parsing import the_json_ld

HEADING = re.compile(r"This claim has been repeated (\d+) times? since we checked it")
ORIGINAL = {
    "@type": "CreativeWork",
    "url": "https://news.example.org/geneva-talks",
    "headline": "Ministers meet in Geneva",
    "publisher": {"@type": "Organization", "name": "Example News"},
}


@pytest.fixture
def checked(make_claim, publish):
    """A published verdict on the claim "The talks lasted more than five hours"."""
    return publish(make_claim())


@pytest.fixture
def repeated_in(checked, journalist):
    """`repeated_in(headline, on=date, ...)` records that a report of that day repeated the checked claim."""

    def add(headline: str, *, on: date, url: str = "", outlet: str = "", claimant: Claimant | None = None):
        report = Report.objects.create(
            url=url,
            headline=headline,
            outlet=outlet,
            language="en",
            published_at=datetime.combine(on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9),
            body="The talks lasted more than five hours, he said.",
            submitted_by=journalist,
        )
        return ClaimAppearance.objects.create(
            claim=checked.claim,
            report=report,
            start=0,
            end=37,
            quote="The talks lasted more than five hours",
            claimant=claimant,
            appeared_on=on,
            score=0.93,
        )

    return add


def page(client, fact_check) -> str:
    response = client.get(fact_check.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def section_of(html: str) -> str:
    found = re.search(r'<section class="repetitions".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_it_tells_how_often_and_where_the_claim_was_repeated_newest_first(client, checked, repeated_in):
    senator = Claimant.objects.create(name="Senator Ann Smith", kind=Claimant.Kind.PERSON, slug="senator-ann-smith")
    repeated_in("Five-hour talks, again", on=date(2026, 3, 20), url="https://radio.example.net/a", outlet="Radio X")
    repeated_in("Переговоры затянулись", on=date(2026, 4, 2), url="https://ru.example.org/b", claimant=senator)

    section = section_of(page(client, checked))

    assert HEADING.search(section).group(1) == "2"
    newest, older = re.findall(r"<li>.*?</li>", section, re.S)
    assert '<a href="https://ru.example.org/b" rel="nofollow noopener" dir="auto">Переговоры затянулись</a>' in newest
    assert "Senator Ann Smith" in newest and '<time datetime="2026-04-02">2 April 2026</time>' in newest
    assert (
        '<a href="https://radio.example.net/a" rel="nofollow noopener" dir="auto">Five-hour talks, again</a>' in older
    )
    assert "(Radio X)" in older and "20 March 2026" in older


def test_it_says_once_without_a_plural(client, checked, repeated_in):
    repeated_in("Five-hour talks, again", on=date(2026, 3, 20), url="https://radio.example.net/a")

    section = section_of(page(client, checked))

    assert "This claim has been repeated 1 time since we checked it" in section


def test_a_report_whose_address_is_not_http_is_not_public(client, checked, repeated_in):
    repeated_in("Pasted from a newsletter", on=date(2026, 3, 20), url="javascript:alert(1)")

    html = page(client, checked)

    assert "repeated" not in html and "javascript:" not in html and "Pasted from a newsletter" not in html
    assert the_json_ld(html)["itemReviewed"]["appearance"] == [ORIGINAL]


def test_it_shows_the_newest_twenty_and_the_total(client, checked, repeated_in):
    for day in range(23):
        repeated_in(f"Repeat on day {day}", on=date(2026, 3, 1) + timedelta(days=day), url=f"https://e.example/{day}")

    section = section_of(page(client, checked))

    assert HEADING.search(section).group(1) == "23"
    assert len(re.findall(r"<li>", section)) == 20
    assert "Repeat on day 22" in section and "Repeat on day 3<" in section and "Repeat on day 2<" not in section
    assert "3 earlier repetitions are not shown" in section


def test_it_says_nothing_when_the_claim_was_not_repeated(client, checked):
    html = page(client, checked)

    assert "repeated" not in html and 'class="repetitions"' not in html
    assert the_json_ld(html)["itemReviewed"]["appearance"] == [ORIGINAL]


def test_a_newsroom_can_turn_repetitions_off(client, checked, repeated_in, settings):
    repeated_in("Five-hour talks, again", on=date(2026, 3, 20), url="https://radio.example.net/a")
    settings.FACTCHECK_SHOW_REPETITIONS = False

    html = page(client, checked)

    assert "repeated" not in html and "Five-hour talks, again" not in html
    assert the_json_ld(html)["itemReviewed"]["appearance"] == [ORIGINAL]


def test_the_claim_review_lists_each_repetition_as_an_appearance(client, checked, repeated_in):
    office = Claimant.objects.create(name="Trade Office", kind=Claimant.Kind.ORGANIZATION, slug="trade-office")
    repeated_in("Five-hour talks, again", on=date(2026, 3, 20), url="https://radio.example.net/a", outlet="Radio X")
    repeated_in("Talks ran long", on=date(2026, 4, 2), url="https://b.example.org/c", claimant=office)

    item = the_json_ld(page(client, checked))["itemReviewed"]

    assert item["appearance"] == [
        ORIGINAL,
        {
            "@type": "CreativeWork",
            "url": "https://b.example.org/c",
            "headline": "Talks ran long",
            "datePublished": "2026-04-02",
            "author": {"@type": "Organization", "name": "Trade Office"},
        },
        {
            "@type": "CreativeWork",
            "url": "https://radio.example.net/a",
            "headline": "Five-hour talks, again",
            "datePublished": "2026-03-20",
            "publisher": {"@type": "Organization", "name": "Radio X"},
        },
    ]
    assert item["firstAppearance"] == ORIGINAL


def test_a_retracted_verdict_shows_no_repetitions(client, checked, repeated_in, editor):
    repeated_in("Five-hour talks, again", on=date(2026, 3, 20), url="https://radio.example.net/a")
    publishing.retract(claim_id=checked.claim_id, editor=editor, reason="The schedule was forged.")

    html = page(client, checked)

    assert "This fact-check was retracted" in html
    assert "repeated" not in html and "Five-hour talks, again" not in html


def test_a_repetition_recorded_later_reaches_the_cached_page(
    client, checked, journalist, django_capture_on_commit_callbacks
):
    assert not HEADING.search(page(client, checked))  # now cached without repetitions
    report = Report.objects.create(
        url="https://radio.example.net/a", headline="Five-hour talks, again", language="en", submitted_by=journalist
    )
    repeat = Claim.objects.create(
        text="The talks lasted more than five hours",
        report=report,
        quote="The talks lasted more than five hours",
        quote_start=0,
        quote_end=37,
        language="en",
        submitted_by=journalist,
    )
    verdict = SimilarItem(
        kind="fact_check",
        id=checked.claim_id,
        text=checked.claim.text,
        language="en",
        score=0.97,
        payload={"published_at": checked.published_at.isoformat()},
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert record_claim_appearance(repeat, [verdict])

    section = section_of(page(client, checked))
    assert HEADING.search(section).group(1) == "1"
    assert "Five-hour talks, again" in section


def test_the_page_reads_no_report_body_and_no_more_queries_for_more_repetitions(client, checked, repeated_in):
    repeated_in("Talks lasted five hours, minister says", on=date(2026, 3, 1), url="https://a.example.org/1")

    def rendered() -> list[str]:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            page(client, checked)
        return [query["sql"] for query in queries]

    one = rendered()
    for n in range(2, 6):
        repeated_in(f"Repeated again {n}", on=date(2026, 3, n), url=f"https://a.example.org/{n}")
    five = rendered()
    assert len(five) == len(one)
    appearances = [sql for sql in five if "claims_claimappearance" in sql and "claims_report" in sql]
    assert appearances and all('"claims_report"."body"' not in sql for sql in appearances)


def test_a_report_repeating_the_claim_in_two_places_is_one_repetition(client, checked, repeated_in):
    senator = Claimant.objects.create(name="Senator Ann Smith", kind=Claimant.Kind.PERSON, slug="senator-ann-smith")
    first = repeated_in("Bridge talks", on=date(2026, 3, 20), url="https://third.example.org/bridge")
    ClaimAppearance.objects.create(  # the same report, again further down, with the claimant named
        claim=checked.claim,
        report=first.report,
        start=40,
        end=77,
        quote="The talks lasted more than five hours",
        claimant=senator,
        appeared_on=first.appeared_on,
        score=0.91,
    )

    html = page(client, checked)

    section = section_of(html)
    assert HEADING.search(section).group(1) == "1"
    assert section.count("https://third.example.org/bridge") == 1 and "Senator Ann Smith" in section
    appearances = the_json_ld(html)["itemReviewed"]["appearance"]
    assert [work["url"] for work in appearances] == [ORIGINAL["url"], "https://third.example.org/bridge"]
    assert appearances[1]["author"] == {"@type": "Person", "name": "Senator Ann Smith"}
