"""The public site beyond the basics of test_pages: filters, versions, claimants, topics, methodology, corrections."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from claims.models import Topic
from factcheck.models import FactCheckVersion
from factcheck.record import services as publishing
from factcheck.site.csp import POLICY
from reviews.services import verdicts
from tests.factcheck.conftest import SUMMARY
from tests.factcheck.page_parsing import json_ld_blocks, scripts_in


@pytest.fixture
def topics(db):
    return {slug: Topic.objects.create(slug=slug, name=slug.title()) for slug in ("economy", "health", "energy")}


def html_of(client, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    return answer.content.decode()


def listed_claims(html: str) -> list[str]:
    """The claims the list shows, in order (each item's heading links to its fact-check)."""
    return re.findall(r'<h[23]><a href="/fact-checks/[^"]+/" lang="[^"]+" dir="auto">([^<]+)</a></h[23]>', html)


def correct(fact_check, editor, django_capture_on_commit_callbacks, **changes):
    changes.setdefault("note", "We misread the schedule.")
    if not changes.keys() & {"rating", "summary", "explanation", "sources"}:
        changes["summary"] = "It was four and a half hours."  # a correction must change what the verdict shows
    with django_capture_on_commit_callbacks(execute=True):
        return publishing.correct(claim_id=fact_check.claim_id, editor=editor, **changes)


# The list: search, filters, pagination


def test_it_filters_the_list_by_rating_topic_claimant_and_language(client, make_claim, publish, topics):
    publish(make_claim("Taxes fell", claimant="Ann Alpha", topics=["economy"]), rating="false")
    publish(make_claim("Clinics closed", claimant="Bob Beta", topics=["health"]), rating="true")
    publish(
        make_claim("Die Steuern sind gesunken", claimant="Ann Alpha", language="de", topics=["economy"]), rating="true"
    )

    assert listed_claims(html_of(client, "/fact-checks/?rating=true")) == [
        "Die Steuern sind gesunken",
        "Clinics closed",
    ]
    assert listed_claims(html_of(client, "/fact-checks/?topic=economy")) == ["Die Steuern sind gesunken", "Taxes fell"]
    assert listed_claims(html_of(client, "/fact-checks/?claimant=bob-beta")) == ["Clinics closed"]
    assert listed_claims(html_of(client, "/fact-checks/?language=de")) == ["Die Steuern sind gesunken"]
    assert listed_claims(html_of(client, "/fact-checks/?topic=economy&rating=true&language=de")) == [
        "Die Steuern sind gesunken"
    ]
    assert "No fact-checks match these filters." in html_of(client, "/fact-checks/?topic=health&rating=false")


def test_it_searches_claims_claimants_and_summaries(client, make_claim, publish):
    publish(make_claim("Taxes fell by a third", claimant="Ann Alpha"), summary="They rose.")
    publish(make_claim("Clinics closed", claimant="Bob Beta"), summary="Two clinics merged instead.")

    assert listed_claims(html_of(client, "/fact-checks/?q=taxes")) == ["Taxes fell by a third"]
    assert listed_claims(html_of(client, "/fact-checks/?q=beta")) == ["Clinics closed"]
    assert listed_claims(html_of(client, "/fact-checks/?q=merged+clinics")) == ["Clinics closed"]
    assert listed_claims(html_of(client, "/fact-checks/?q=taxes+merged")) == []
    assert 'value="merged clinics"' in html_of(client, "/fact-checks/?q=merged+clinics")


def test_it_filters_the_list_by_publication_date(client, make_claim, publish):
    with time_machine.travel(datetime(2025, 1, 10, 12, tzinfo=UTC)):
        publish(make_claim("January claim"))
    with time_machine.travel(datetime(2025, 3, 20, 12, tzinfo=UTC)):
        publish(make_claim("March claim"))

    assert listed_claims(html_of(client, "/fact-checks/?since=2025-03-01")) == ["March claim"]
    assert listed_claims(html_of(client, "/fact-checks/?until=2025-03-19")) == ["January claim"]
    assert listed_claims(html_of(client, "/fact-checks/?since=2025-01-10&until=2025-03-20")) == [
        "March claim",
        "January claim",
    ]


def test_it_ignores_filters_it_does_not_understand(client, make_claim, publish):
    publish(make_claim("Taxes fell"))

    html = html_of(client, "/fact-checks/?since=yesterday&rating=pants-on-fire&topic=%3Cb%3E")

    assert listed_claims(html) == ["Taxes fell"]
    assert "Some filters were not understood and are ignored" in html
    assert "<b>" not in html


def test_it_pages_the_list_and_keeps_the_filters(client, make_claim, publish):
    for n in range(21):
        publish(make_claim(f"Claim number {n:02d}"), rating="false")
    publish(make_claim("A true claim"), rating="true")

    first = html_of(client, "/fact-checks/?rating=false")
    second = html_of(client, "/fact-checks/?rating=false&page=2")

    assert len(listed_claims(first)) == 20
    assert listed_claims(first)[0] == "Claim number 20"
    assert '<a href="?rating=false&amp;page=2" rel="next">Older</a>' in first
    assert "Page 1 of 2" in first
    assert listed_claims(second) == ["Claim number 00"]
    assert '<a href="?rating=false&amp;page=1" rel="prev">Newer</a>' in second


# A fact-check's page


def test_it_links_the_claimant_topics_and_the_report_with_its_date(client, make_claim, publish, topics, report):
    report.published_at = datetime(2025, 3, 11, 8, tzinfo=UTC)
    report.save()
    fact_check = publish(make_claim(topics=["economy", "energy"]))

    html = html_of(client, fact_check.get_absolute_url())

    assert 'Claimed by <a href="/claimants/minister-jane-roe/" dir="auto">Minister Jane Roe</a>' in html
    assert '<a href="/topics/economy/" dir="auto">Economy</a>, <a href="/topics/energy/" dir="auto">Energy</a>' in html
    assert 'published <time datetime="2025-03-11">11 March 2025</time>' in html
    assert f'<link rel="canonical" href="{fact_check.public_url}">' in html


def test_it_shows_the_rating_with_its_place_on_the_scale(client, make_claim, publish):
    on_scale = publish(make_claim("Taxes fell"), rating="mostly-false")
    off_scale = publish(make_claim("Clinics closed"), rating="misleading")

    on_html, off_html = html_of(client, on_scale.get_absolute_url()), html_of(client, off_scale.get_absolute_url())

    assert '<span class="rating badge badge-9a4a0c">Mostly false</span>' in on_html
    assert "The claim contains an element of truth but ignores facts" in on_html
    assert "2 on our accuracy scale, from 1 (least accurate) to 5 (most accurate)." in on_html
    assert 'href="/methodology/#rating-mostly-false"' in on_html
    assert "A rating outside the numbered steps of our accuracy scale." in off_html
    assert "The claim uses accurate facts in a way that leads to a wrong conclusion." in off_html


def test_it_renders_the_explanation_from_markdown(client, make_claim, publish):
    explanation = (
        "The schedule shows **four hours**, not _five_.\n\n"
        "# What we checked\n\n"
        '- the [official schedule](https://gov.example.org/schedule "Schedule")\n'
        "- the minutes\n\n"
        "> Talks ended at 14:00.\n\n"
        "Write to <mailto:desk@example.org> if you have more."
    )
    fact_check = publish(make_claim(), explanation=explanation)

    html = html_of(client, fact_check.get_absolute_url())

    assert '<p dir="auto">The schedule shows <strong>four hours</strong>, not <em>five</em>.</p>' in html
    assert '<h3 dir="auto">What we checked</h3>' in html
    link = '<a href="https://gov.example.org/schedule" title="Schedule" rel="nofollow noopener">official schedule</a>'
    assert f'<li dir="auto">the {link}</li>' in html
    assert '<blockquote dir="auto">\n<p dir="auto">Talks ended at 14:00.</p>\n</blockquote>' in html
    assert '<a href="mailto:desk@example.org" rel="nofollow noopener">desk@example.org</a>' in html


def test_it_keeps_only_safe_markup_from_the_explanation(client, make_claim, publish):
    explanation = (
        '<p onclick="steal()">Raw HTML</p>\n\n'
        "[click me](javascript:steal()) [data](data:text/html;base64,PHNjcmlwdD4=) [here](/admin/)\n\n"
        "![a chart](https://evil.example.org/pixel.gif)\n\n"
        "<style>body{display:none}</style>"
    )
    fact_check = publish(make_claim(), explanation=explanation)

    html = html_of(client, fact_check.get_absolute_url())
    shown = html.split('<div class="explanation" dir="auto">')[1].split("</div>")[0]

    assert '<p dir="auto">&lt;p onclick="steal()"&gt;Raw HTML&lt;/p&gt;</p>' in shown
    assert '<a rel="nofollow noopener">click me</a>' in shown
    assert '<a rel="nofollow noopener">data</a>' in shown
    assert '<a rel="nofollow noopener">here</a>' in shown
    assert "<img" not in shown and "evil.example.org" not in shown
    assert "a chart" in shown
    assert "<style" not in shown and "&lt;style&gt;" in shown


def test_it_numbers_sources_with_publisher_access_date_and_archive(client, make_claim, publish):
    sources = [
        verdicts.SourceInput(
            url="https://gov.example.org/schedule",
            title="Official schedule",
            publisher="Government Press Office",
            archive_url="https://archive.example.org/s",
        ),
        verdicts.SourceInput(url="https://news.example.org/minutes", title="Minutes"),
    ]
    with time_machine.travel(datetime(2025, 3, 14, 9, tzinfo=UTC)):
        fact_check = publish(make_claim(), sources=sources)

    html = html_of(client, fact_check.get_absolute_url())
    items = re.findall(r"<li>(.*?)</li>", html.split('<ol class="sources">')[1].split("</ol>")[0], re.S)

    assert items == [
        '<a href="https://gov.example.org/schedule" rel="nofollow noopener" dir="auto">Official schedule</a>, '
        '<bdi>Government Press Office</bdi>, accessed <time datetime="2025-03-14">14 March 2025</time> '
        '(<a href="https://archive.example.org/s" rel="nofollow noopener">archived</a>)',
        '<a href="https://news.example.org/minutes" rel="nofollow noopener" dir="auto">Minutes</a>, '
        'accessed <time datetime="2025-03-14">14 March 2025</time>',
    ]


def test_it_never_links_a_source_that_is_not_http(client, make_claim, publish):
    # The review service refuses such URLs (see test_four_eyes); a snapshot written another way, e.g. by an old
    # import or by hand in the database, still gets no live link.
    fact_check = publish(make_claim())
    FactCheckVersion.objects.filter(pk=fact_check.current_version_id).update(
        sources=[
            {
                "url": "javascript:alert(1)",
                "title": "Sneaky",
                "publisher": "",
                "archive_url": "data:text/html,x",
                "accessed_at": "2026-03-02",
            },
        ]
    )

    html = html_of(client, fact_check.get_absolute_url())

    assert "<li><bdi>Sneaky</bdi>, accessed <time" in html
    assert "javascript:" not in html and "data:text" not in html


# Versions and the tombstone


def test_it_keeps_each_old_version_at_its_own_address(
    client, make_claim, publish, other_editor, django_capture_on_commit_callbacks
):
    fact_check = publish(make_claim(), rating="false")
    correct(
        fact_check,
        other_editor,
        django_capture_on_commit_callbacks,
        rating="mostly-false",
        summary="It was four and a half hours.",
    )
    base = fact_check.get_absolute_url()

    current, old = html_of(client, base), html_of(client, f"{base}v1/")

    assert f'<a href="{base}v1/">Version 1</a>' in current
    assert "The rating changed from False to Mostly false." in current
    assert "<strong>You are reading an old version.</strong> This is version 1 of 2" in old
    assert f'<a href="{base}">Read the current version</a>' in old
    assert '<span class="rating badge badge-8b1a1a">False</span>' in old
    assert SUMMARY in old and "It was four and a half hours." not in old
    assert f'<link rel="canonical" href="{fact_check.public_url}">' in old
    assert '<meta name="robots" content="noindex">' in old
    assert json_ld_blocks(old) == [] and scripts_in(old) == []


def test_it_says_so_on_the_current_versions_own_address(
    client, make_claim, publish, other_editor, django_capture_on_commit_callbacks
):
    fact_check = publish(make_claim())
    correct(fact_check, other_editor, django_capture_on_commit_callbacks)

    html = html_of(client, f"{fact_check.get_absolute_url()}v2/")

    assert "This is version 2, the current version of this fact-check." in html
    assert "You are reading an old version." not in html
    for missing in ("v3/", "v0/", "v01x/"):
        assert client.get(f"{fact_check.get_absolute_url()}{missing}").status_code == 404


def test_it_shows_the_tombstone_at_every_address_of_a_retracted_verdict(
    client, make_claim, publish, editor, other_editor, django_capture_on_commit_callbacks
):
    fact_check = publish(make_claim())
    correct(fact_check, other_editor, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.retract(claim_id=fact_check.claim_id, editor=editor, reason="The schedule was forged.")

    for url in ("", "v1/", "v2/"):
        html = html_of(client, fact_check.get_absolute_url() + url)
        assert "This fact-check was retracted" in html
        assert "The schedule was forged." in html
        assert 'class="rating' not in html and SUMMARY not in html and "Official schedule" not in html
        assert json_ld_blocks(html) == []


# Claimants and topics


def test_it_shows_a_claimants_track_record_by_rating(
    client, make_claim, publish, editor, django_capture_on_commit_callbacks
):
    publish(make_claim("Taxes fell"), rating="false")
    publish(make_claim("Debt halved"), rating="false")
    publish(make_claim("Jobs grew"), rating="mostly-true")
    withdrawn = publish(make_claim("Exports doubled"), rating="true")
    publish(make_claim("Clinics closed", claimant="Someone Else"), rating="true")
    with django_capture_on_commit_callbacks(execute=True):
        publishing.retract(claim_id=withdrawn.claim_id, editor=editor, reason="Wrong figures.")

    html = html_of(client, "/claimants/minister-jane-roe/")
    record = dict(re.findall(r'#rating-[a-z-]+">([^<]+)</a></th><td>(\d+)</td>', html))

    assert '<h1 dir="auto">Minister Jane Roe</h1>' in html
    assert "3 standing verdicts on claims by <bdi>Minister Jane Roe</bdi>" in html
    assert record == {
        "True": "0",
        "Mostly true": "1",
        "Half true": "0",
        "Mostly false": "0",
        "False": "2",
        "Misleading": "0",
        "Unverifiable": "0",
    }
    assert listed_claims(html) == ["Exports doubled", "Jobs grew", "Debt halved", "Taxes fell"]
    assert "Clinics closed" not in html


def test_it_has_no_page_for_a_claimant_without_a_published_verdict(client, make_claim, desk):
    desk.in_review(make_claim("Exports doubled", claimant="Not Yet Public"))

    assert client.get("/claimants/not-yet-public/").status_code == 404
    assert client.get("/claimants/nobody-at-all/").status_code == 404


def test_it_lists_topics_and_their_fact_checks(client, make_claim, publish, topics, desk):
    publish(make_claim("Taxes fell", topics=["economy"]))
    publish(make_claim("Clinics closed", topics=["health", "economy"]))
    desk.in_review(make_claim("Wind power doubled", topics=["energy"]))

    index = html_of(client, "/topics/")
    economy = html_of(client, "/topics/economy/")

    assert '<a href="/topics/economy/" dir="auto">Economy</a> <span class="meta">(2)</span>' in index
    assert '<a href="/topics/health/" dir="auto">Health</a> <span class="meta">(1)</span>' in index
    assert "Energy" not in index.split("<main")[1]
    assert listed_claims(economy) == ["Clinics closed", "Taxes fell"]
    assert "No fact-checks on this topic yet." in html_of(client, "/topics/energy/")
    assert "Wind power doubled" not in html_of(client, "/topics/energy/")
    assert client.get("/topics/no-such-topic/").status_code == 404


# Methodology and corrections


def test_it_explains_the_method_from_the_scale_and_settings(client, db, settings):
    settings.FACTCHECK_PUBLISHER_NAME = "Acme Checks"
    settings.REVIEW_SLA_HOURS = {**settings.REVIEW_SLA_HOURS, "high": {"accept": 3, "verdict": 12}}

    html = html_of(client, "/methodology/")

    assert "Acme Checks checks claims made in public" in html
    assert '<tr><th scope="row">High</th><td>3 hours</td><td>12 hours</td></tr>' in html
    for slug, label, definition in [
        ("true", "True", "The claim is accurate and nothing significant is missing."),
        ("false", "False", "The claim is not accurate."),
        ("unverifiable", "Unverifiable", "The available evidence can neither prove nor disprove the claim."),
    ]:
        assert f'<dt id="rating-{slug}"><span class="rating-label">{label}</span>' in html
        assert f"<dd>{definition}</dd>" in html
    assert "(5 of 5)" in html and "(1 of 5)" in html
    assert '<a href="/tips/">Tell us</a>' in html
    assert 'href="/corrections/"' in html
    assert "never the reviewer who wrote it" in html


def test_it_logs_every_correction_and_retraction_newest_first(
    client, make_claim, publish, editor, other_editor, django_capture_on_commit_callbacks
):
    first = publish(make_claim("Taxes fell"))
    second = publish(make_claim("Clinics closed"))
    with time_machine.travel(datetime(2030, 1, 5, 10, tzinfo=UTC)):
        correct(first, other_editor, django_capture_on_commit_callbacks, note="Added the minutes.")
    with time_machine.travel(datetime(2030, 2, 7, 10, tzinfo=UTC)):
        correct(
            first,
            other_editor,
            django_capture_on_commit_callbacks,
            note="Rating revised.",
            rating="half-true",
        )
    with time_machine.travel(datetime(2030, 3, 9, 10, tzinfo=UTC)), django_capture_on_commit_callbacks(execute=True):
        publishing.retract(claim_id=second.claim_id, editor=editor, reason="The source was forged.")

    html = html_of(client, "/corrections/")

    order = [html.index(text) for text in ("The source was forged.", "Rating revised.", "Added the minutes.")]
    assert order == sorted(order)
    assert re.search(r'<time datetime="2030-03-09T10:00:00[.0-9]*\+00:00">9 March 2030</time>', html)
    assert "<strong>Retraction</strong>" in html
    assert "Correction, version 3" in html and "Correction, version 2" in html
    assert "<bdi>Rating revised.</bdi> The rating changed from False to Half true." in html
    assert f'<a href="{first.get_absolute_url()}v2/">Version 2, before this correction</a>' in html


def test_it_says_when_nothing_was_ever_corrected(client, make_claim, publish):
    publish(make_claim())

    assert "No corrections or retractions so far." in html_of(client, "/corrections/")


# Headers and static files


def test_it_sends_a_content_security_policy_without_inline_scripts(client, make_claim, publish, topics):
    fact_check = publish(make_claim(topics=["economy"]))
    pages = [
        "/fact-checks/",
        fact_check.get_absolute_url(),
        "/claimants/minister-jane-roe/",
        "/topics/",
        "/topics/economy/",
        "/methodology/",
        "/corrections/",
    ]

    for url in pages:
        answer = client.get(url)
        html = answer.content.decode()
        assert answer["Content-Security-Policy"] == POLICY
        assert "'unsafe-inline'" not in answer["Content-Security-Policy"]
        assert "script-src 'self'" in answer["Content-Security-Policy"]
        assert {s["type"] for s in scripts_in(html)} <= {"application/ld+json"}
        assert "<style" not in html and " style=" not in html
        assert re.search(r"<link rel=\"stylesheet\" href=\"/static/factcheck/site[^\"]*\.css\">", html)


def test_it_leaves_other_policies_alone(client, make_claim, publish):
    fact_check = publish(make_claim())

    embed = client.get(f"{fact_check.get_absolute_url()}embed/")

    assert embed.status_code == 200
    assert "frame-ancestors *" in embed["Content-Security-Policy"]  # the card sets its own, for other sites' frames
    assert "Content-Security-Policy" not in client.get("/api/v1/fact-checks/")
    assert "Content-Security-Policy" not in client.get("/admin/login/")


def test_it_serves_the_stylesheet_under_a_hashed_name_through_whitenoise(db, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    reader = Client()  # its handler (and WhiteNoise) starts after collectstatic, as a deployed server does

    html = reader.get("/methodology/").content.decode()
    (href,) = re.findall(r'<link rel="stylesheet" href="(/static/[^"]+)">', html)
    stylesheet = reader.get(href)

    assert re.fullmatch(r"/static/factcheck/site\.[0-9a-f]{12}\.css", href)
    assert stylesheet.status_code == 200
    assert "max-age=315360000" in stylesheet["Cache-Control"] and "immutable" in stylesheet["Cache-Control"]
    assert b"@media print" in b"".join(stylesheet.streaming_content)
