"""The public pages: the list of fact-checks and each verdict, as an anonymous reader and a crawler see them."""

import json
from datetime import date

from django.conf import settings
from django.utils.text import slugify

from factcheck.record import services as publishing
from reviews.services import verdicts
from tests.factcheck.conftest import EXPLANATION, SUMMARY
from tests.factcheck.page_parsing import json_ld_blocks, scripts_in, the_json_ld

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


def page_of(client, fact_check):
    answer = client.get(f"/fact-checks/{fact_check.slug}/")
    assert answer.status_code == 200
    return answer.content.decode()


def test_it_lists_fact_checks_newest_first_with_their_rating(client, make_claim, publish):
    publish(make_claim("The talks lasted more than five hours"), rating="false")
    publish(make_claim("Trade rose by 12% last year"), rating="mostly-true")

    answer = client.get("/fact-checks/")

    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.index("Trade rose by 12% last year") < html.index("The talks lasted more than five hours")
    assert html.index('<span class="rating badge badge-2e6b30">Mostly true</span>') < html.index(
        '<span class="rating badge badge-8b1a1a">False</span>'
    )
    assert "Minister Jane Roe" in html


def test_it_says_so_when_nothing_is_published(client, db):
    answer = client.get("/fact-checks/")

    assert answer.status_code == 200
    assert "No fact-checks have been published yet." in answer.content.decode()


def test_it_links_each_listed_fact_check_to_its_page(client, make_claim, publish):
    fact_check = publish(make_claim())

    html = client.get("/fact-checks/").content.decode()

    assert f'href="/fact-checks/{fact_check.slug}/"' in html


def test_it_shows_the_verdict_on_its_page(client, make_claim, publish):
    fact_check = publish(make_claim(claim_date=date(2025, 3, 12)))

    html = page_of(client, fact_check)

    assert '<h1 lang="en" dir="auto">The talks lasted more than five hours</h1>' in html
    assert 'Claimed by <a href="/claimants/minister-jane-roe/" dir="auto">Minister Jane Roe</a>' in html
    assert '<time datetime="2025-03-12">12 March 2025</time>' in html
    report_href = "https://news.example.org/geneva-talks"
    report_link = f'<a href="{report_href}" rel="nofollow noopener" dir="auto">Ministers meet in Geneva</a>'
    assert report_link in html
    assert "(<bdi>Example News</bdi>)" in html
    assert '<span class="rating badge badge-8b1a1a">False</span>' in html
    assert "The claim is not accurate." in html
    assert SUMMARY in html
    assert EXPLANATION in html
    assert '<a href="https://gov.example.org/schedule" rel="nofollow noopener" dir="auto">Official schedule</a>' in html
    assert "Government Press Office" in html
    assert "version 2" not in html


def test_it_lists_sources_in_the_reviewers_order_with_archive_links(client, make_claim, publish):
    sources = [
        verdicts.SourceInput(url="https://b.example.org/second", title="Second source"),
        verdicts.SourceInput(
            url="https://a.example.org/first", title="First source", archive_url="https://archive.example.org/a"
        ),
    ]
    fact_check = publish(make_claim(), sources=sources)

    html = page_of(client, fact_check)

    assert html.index("Second source") < html.index("First source")
    assert '<a href="https://archive.example.org/a" rel="nofollow noopener">archived</a>' in html


def test_it_embeds_one_claim_review_for_crawlers(client, make_claim, publish):
    fact_check = publish(make_claim())

    html = page_of(client, fact_check)

    assert [s["type"] for s in scripts_in(html)] == ["application/ld+json"]
    review = the_json_ld(html)
    assert review["@type"] == "ClaimReview"
    assert review["url"] == settings.SITE_URL + f"/fact-checks/{fact_check.slug}/"
    assert review["reviewRating"]["alternateName"] == "False"


def test_it_escapes_user_text_on_the_page_and_in_the_json_ld(client, make_claim, publish):
    text = f"Candidates said {SCRIPT} & more"
    claimant = "</script><script>alert(1)</script>"
    fact_check = publish(
        make_claim(text, claimant=claimant, quote=SCRIPT),
        summary=f"Summary {SCRIPT}",
        explanation=f"Explanation {SCRIPT}",
        sources=[verdicts.SourceInput(url="https://gov.example.org/schedule", title=SCRIPT, publisher=SCRIPT)],
    )

    html = page_of(client, fact_check)

    assert SCRIPT not in html
    assert "</script><script>" not in html
    assert [s["type"] for s in scripts_in(html)] == ["application/ld+json"]
    assert f'<h1 lang="en" dir="auto">Candidates said {ESCAPED_SCRIPT} &amp; more</h1>' in html
    claimant_link = f'href="/claimants/{fact_check.claim.claimant.slug}/" dir="auto">'
    assert f"Claimed by <a {claimant_link}&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a>" in html
    assert f'rel="nofollow noopener" dir="auto">{ESCAPED_SCRIPT}</a>' in html
    assert f'<blockquote lang="en" dir="auto">{ESCAPED_SCRIPT}</blockquote>' in html
    assert f"Summary {ESCAPED_SCRIPT}" in html
    assert f"Explanation {ESCAPED_SCRIPT}" in html

    (block,) = json_ld_blocks(html)
    assert "<" not in block and ">" not in block and "&" not in block
    review = json.loads(block)
    assert review["claimReviewed"] == text
    assert review["itemReviewed"]["author"]["name"] == claimant


def test_it_escapes_user_text_in_the_list(client, make_claim, publish):
    publish(make_claim(f"Candidates said {SCRIPT}", claimant="</script><script>alert(1)</script>"))

    html = client.get("/fact-checks/").content.decode()

    assert SCRIPT not in html
    assert scripts_in(html) == []
    assert ESCAPED_SCRIPT in html


def test_it_shows_a_correction_as_version_two_with_its_note(client, make_claim, publish, other_editor):
    fact_check = publish(make_claim())
    publishing.correct(
        claim_id=fact_check.claim_id,
        editor=other_editor,
        rating="mostly-false",
        note="We misread the schedule: the talks ran for four and a half hours.",
    )

    html = page_of(client, fact_check)

    assert "version 2" in html
    assert "<h2>Corrections</h2>" in html
    assert "We misread the schedule: the talks ran for four and a half hours." in html
    assert '<span class="rating badge badge-9a4a0c">Mostly false</span>' in html
    assert '">False</span>' not in html
    assert SUMMARY in html
    review = the_json_ld(html)
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Mostly false",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
    }


def test_it_keeps_a_retracted_verdict_as_a_tombstone_without_json_ld(client, make_claim, publish, editor):
    fact_check = publish(make_claim())
    publishing.retract(claim_id=fact_check.claim_id, editor=editor, reason="The schedule we relied on was forged.")

    html = page_of(client, fact_check)

    assert "This fact-check was retracted" in html
    assert "The schedule we relied on was forged." in html
    assert "The talks lasted more than five hours" in html
    assert json_ld_blocks(html) == []
    assert scripts_in(html) == []
    assert 'class="rating' not in html
    assert SUMMARY not in html
    assert "Official schedule" not in html


def test_it_marks_a_retracted_verdict_in_the_list(client, make_claim, publish, editor):
    fact_check = publish(make_claim())
    publishing.retract(claim_id=fact_check.claim_id, editor=editor, reason="Forged source.")

    html = client.get("/fact-checks/").content.decode()

    assert "<strong>Retracted</strong>" in html
    assert 'class="rating' not in html


def test_it_answers_404_for_an_unknown_slug(client, db):
    assert client.get("/fact-checks/no-such-fact-check-1/").status_code == 404


def test_it_has_no_page_for_a_claim_awaiting_approval(client, make_claim, desk):
    claim = make_claim("Exports doubled in a year")
    desk.awaiting_approval(claim)

    assert client.get(f"/fact-checks/{slugify(claim.text)}-{claim.pk}/").status_code == 404
    assert "Exports doubled in a year" not in client.get("/fact-checks/").content.decode()


def test_it_lists_only_published_claims(client, make_claim, publish, desk, editor):
    publish(make_claim("The talks lasted more than five hours"))
    desk.in_review(make_claim("Exports doubled in a year"))
    make_claim("Imports fell by half")

    html = client.get("/fact-checks/").content.decode()

    assert "The talks lasted more than five hours" in html
    assert "Exports doubled in a year" not in html
    assert "Imports fell by half" not in html
