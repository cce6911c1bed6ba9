"""Importing other publishers' ClaimReviews: from their pages (served by a local HTTP server) or saved files, with
bad markup reported instead of crashing, and the result findable by journalists."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from factcheck.integrations.importing import parse_page
from factcheck.models import ExternalFactCheck
from tests.factcheck.local_http import LocalWeb

REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://checkers.example.org/2024/moon-cheese",
    "claimReviewed": "The moon is made of cheese",
    "datePublished": "2024-05-02",
    "inLanguage": "en",
    "author": {"@type": "Organization", "name": "Other Checkers", "url": "https://checkers.example.org/"},
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Wallace"}, "datePublished": "2024-04-01"},
    "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1, "alternateName": "False"},
}

MICRODATA = """<html><body>
<article itemscope itemtype="https://schema.org/ClaimReview">
  <link itemprop="url" href="/2024/tides">
  <meta itemprop="datePublished" content="2024-06-10">
  <h1 itemprop="claimReviewed">Tides are caused by the wind</h1>
  <div itemprop="itemReviewed" itemscope itemtype="https://schema.org/Claim">
    <span itemprop="author" itemscope itemtype="https://schema.org/Person">
      <span itemprop="name">Sailor Sam</span></span>
  </div>
  <div itemprop="author" itemscope itemtype="https://schema.org/Organization">
    <span itemprop="name">Micro Checks</span><link itemprop="url" href="https://micro.example.org/">
  </div>
  <div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">
    <meta itemprop="ratingValue" content="2"><meta itemprop="bestRating" content="7">
    <meta itemprop="worstRating" content="1"><span itemprop="alternateName">Mostly false</span>
  </div>
</article></body></html>"""

NO_REVIEW = """<html><head><script type="application/ld+json">{"@context": "https://schema.org",
"@type": "NewsArticle", "headline": "Not a fact-check"}</script></head><body><p>Just news.</p></body></html>"""


def page_with(*blocks: object) -> str:
    scripts = "".join(
        f'<script type="application/ld+json">{b if isinstance(b, str) else json.dumps(b)}</script>' for b in blocks
    )
    return f"<html><head><title>Fact-check</title>{scripts}</head><body><p>Text</p></body></html>"


@pytest.fixture
def web(db, settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True  # the "other publisher" is our own local server
    with LocalWeb() as server:
        yield server


def run_import(*sources: str) -> str:
    out = StringIO()
    call_command("import_claimreview", *sources, stdout=out)
    return out.getvalue()


# Reading markup (pure)


def test_it_reads_a_json_ld_claim_review():
    [review] = parse_page(page_with(REVIEW), page_url="https://checkers.example.org/page").reviews

    assert review.fields == {
        "url": "https://checkers.example.org/2024/moon-cheese",
        "claim_reviewed": "The moon is made of cheese",
        "claimant": "Wallace",
        "claim_date": review.fields["claim_date"],
        "publisher_name": "Other Checkers",
        "publisher_url": "https://checkers.example.org/",
        "date_published": review.fields["date_published"],
        "language": "en",
        "rating_label": "False",
        "rating_value": 1.0,
        "best_rating": 5.0,
        "worst_rating": 1.0,
    }
    assert (str(review.fields["claim_date"]), str(review.fields["date_published"])) == ("2024-04-01", "2024-05-02")
    assert review.problems == []


@pytest.mark.parametrize(
    "wrap",
    [
        lambda r: {"@context": "https://schema.org", "@graph": [{"@type": "WebPage", "name": "x"}, r]},
        lambda r: [{"@type": "Organization", "name": "x"}, r],
        lambda r: {"@type": "NewsArticle", "headline": "x", "review": r},
        lambda r: {**r, "@type": "http://schema.org/ClaimReview"},
        lambda r: {**r, "@type": ["ClaimReview", "Review"]},
    ],
)
def test_it_finds_claim_reviews_wherever_json_ld_puts_them(wrap):
    reviews = parse_page(page_with(wrap(REVIEW)), page_url="https://checkers.example.org/page").reviews

    assert [r.fields["claim_reviewed"] for r in reviews] == ["The moon is made of cheese"]


def test_it_flags_a_rating_value_outside_its_scale():
    review = {**REVIEW, "reviewRating": {**REVIEW["reviewRating"], "ratingValue": 9, "bestRating": 5}}

    [parsed] = parse_page(page_with(review), page_url="https://p.example.org/").reviews

    assert parsed.fields["rating_value"] == 9.0
    assert parsed.problems == ["reviewRating.ratingValue 9 lies outside its scale (worst 1, best 5)."]


def test_it_accepts_a_scale_that_runs_from_high_to_low():
    review = {
        **REVIEW,
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "True",
            "ratingValue": "1",
            "bestRating": "1",
            "worstRating": "6",
        },
    }

    [parsed] = parse_page(page_with(review), page_url="https://p.example.org/").reviews

    assert parsed.problems == []


def test_it_checks_a_value_without_a_scale_against_schema_org_defaults():
    review = {**REVIEW, "reviewRating": {"@type": "Rating", "alternateName": "False", "ratingValue": 0}}

    [parsed] = parse_page(page_with(review), page_url="https://p.example.org/").reviews

    assert any("without bestRating and worstRating" in p for p in parsed.problems)
    assert any("outside its scale (worst 1, best 5)" in p for p in parsed.problems)


def test_it_reports_partial_markup_and_keeps_what_it_could_read():
    review = {
        "@type": "ClaimReview",
        "itemReviewed": {"@type": "Claim", "name": "Cats can fly"},
        "datePublished": "last Tuesday",
        "reviewRating": {"@type": "Rating", "ratingValue": "high"},
        "author": {"@type": "Organization", "name": "Partial", "url": "javascript:alert(1)"},
    }

    [parsed] = parse_page(page_with(review), page_url="https://partial.example.org/cats").reviews

    assert parsed.fields["url"] == "https://partial.example.org/cats"
    assert parsed.fields["claim_reviewed"] == "Cats can fly"
    assert parsed.fields["publisher_url"] == ""
    assert parsed.fields["date_published"] is None
    assert parsed.fields["rating_value"] is None
    problems = " | ".join(parsed.problems)
    for expected in (
        "url is missing",
        "claimReviewed is missing",
        "'last Tuesday' is not an ISO 8601 date",
        "'high' is not a number",
        "alternateName is missing",
        "'javascript:alert(1)'",
    ):
        assert expected in problems


def test_it_reports_a_broken_json_ld_block_and_reads_the_others():
    page = parse_page(
        page_with('{"@context": "https://schema.org", "@type": ', REVIEW), page_url="https://p.example.org/"
    )

    assert [r.url for r in page.reviews] == [REVIEW["url"]]
    assert len(page.problems) == 1
    assert page.problems[0].startswith("JSON-LD block 1 is not valid JSON")


@pytest.mark.parametrize("html", ["", "   ", "<html>", "\x00\x01garbage", "<<<>>>", b"\xff\xfe\x00<"])
def test_it_survives_pages_that_are_barely_html(html):
    page = parse_page(html, page_url="https://p.example.org/")

    assert page.reviews == []
    assert page.problems


@pytest.mark.parametrize(
    ("body", "encoding"),
    [
        ("utf-8", None),  # no charset anywhere: UTF-8 if it decodes
        ("cp1252", None),  # ...else windows-1252, as browsers do
        ("latin-1", "latin-1"),  # the HTTP charset (a name lxml itself does not know)
        ("latin-1", "no-such-charset"),
    ],
)
def test_it_decodes_pages_as_browsers_do(body, encoding):
    review = {**REVIEW, "claimReviewed": "Café prices doubled in Zürich"}
    html = page_with(review).replace("\\u00e9", "é").replace("\\u00fc", "ü")

    page = parse_page(html.encode(body), page_url="https://p.example.org/", encoding=encoding)

    assert [r.fields["claim_reviewed"] for r in page.reviews] == ["Café prices doubled in Zürich"]


def test_it_keeps_one_review_when_json_ld_and_microdata_repeat_it():
    html = MICRODATA.replace("</body>", page_with({**REVIEW, "url": "https://micro.example.org/2024/tides"}))

    page = parse_page(html, page_url="https://micro.example.org/2024/tides")

    assert [r.url for r in page.reviews] == ["https://micro.example.org/2024/tides"]
    assert page.problems == ["ClaimReview 2 repeats https://micro.example.org/2024/tides; the first one was kept."]


# Importing from pages and files


def test_it_imports_json_ld_from_a_page(web):
    url = web.serve("/fc/moon", page_with(REVIEW))

    output = run_import(url)

    row = ExternalFactCheck.objects.get()
    assert (row.url, row.source_page, row.claim_reviewed) == (REVIEW["url"], url, "The moon is made of cheese")
    assert (row.claimant, row.rating_label, row.publisher_name) == ("Wallace", "False", "Other Checkers")
    assert row.raw == REVIEW
    assert row.problems == []
    assert f"{url}: 1 created, 0 updated" in output


def test_it_imports_microdata_from_a_page_resolving_relative_urls(web):
    url = web.serve("/2024/tides-page", MICRODATA)

    run_import(url)

    row = ExternalFactCheck.objects.get()
    assert row.url == web.url("/2024/tides")
    assert (row.claim_reviewed, row.claimant) == ("Tides are caused by the wind", "Sailor Sam")
    assert (row.rating_label, row.rating_value, row.best_rating, row.worst_rating) == ("Mostly false", 2, 7, 1)
    assert (row.publisher_name, str(row.date_published)) == ("Micro Checks", "2024-06-10")


def test_it_updates_a_review_imported_before(web):
    url = web.serve("/fc/moon", page_with(REVIEW))
    run_import(url)
    web.serve("/fc/moon", page_with({**REVIEW, "reviewRating": {**REVIEW["reviewRating"], "alternateName": "Pants"}}))

    output = run_import(url)

    assert list(ExternalFactCheck.objects.values_list("url", "rating_label")) == [(REVIEW["url"], "Pants")]
    assert "0 created, 1 updated" in output


def test_it_stores_the_problem_of_an_out_of_range_rating(web):
    url = web.serve("/fc/bad", page_with({**REVIEW, "reviewRating": {**REVIEW["reviewRating"], "ratingValue": -3}}))

    output = run_import(url)

    row = ExternalFactCheck.objects.get()
    assert row.problems == ["reviewRating.ratingValue -3 lies outside its scale (worst 1, best 5)."]
    assert "problem: reviewRating.ratingValue -3 lies outside its scale" in output


def test_it_reports_a_page_with_broken_json_ld_without_crashing(web):
    url = web.serve("/fc/broken", page_with('{"@type": "ClaimReview", "claimReviewed": "x",'))

    with pytest.raises(CommandError, match="1 of 1 source"):
        run_import(url)

    assert not ExternalFactCheck.objects.exists()


def test_it_reports_a_page_without_claim_review(web):
    out = StringIO()
    url = web.serve("/news", NO_REVIEW)

    with pytest.raises(CommandError):
        call_command("import_claimreview", url, stdout=out)

    assert "no ClaimReview markup" in out.getvalue()
    assert not ExternalFactCheck.objects.exists()


def test_it_goes_on_after_a_failing_source(web, tmp_path):
    good = web.serve("/fc/moon", page_with(REVIEW))
    out = StringIO()

    with pytest.raises(CommandError, match="2 of 3 source"):
        call_command("import_claimreview", web.url("/missing"), str(tmp_path / "nope.html"), good, stdout=out)

    assert ExternalFactCheck.objects.count() == 1
    assert "answered HTTP 404" in out.getvalue()
    assert "could not be read" in out.getvalue()


def test_it_refuses_to_fetch_private_addresses_by_default(db, settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = False
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("import_claimreview", "http://169.254.169.254/latest/meta-data/", stdout=out)

    assert "non-public address" in out.getvalue()


def test_it_imports_a_saved_file(db, tmp_path):
    saved = tmp_path / "moon.html"
    saved.write_text(
        page_with(
            REVIEW,
            {**REVIEW, "url": "https://checkers.example.org/other", "claimReviewed": "Mars is made of chocolate"},
        )
    )

    run_import(str(saved))

    assert sorted(ExternalFactCheck.objects.values_list("claim_reviewed", flat=True)) == [
        "Mars is made of chocolate",
        "The moon is made of cheese",
    ]


def test_it_needs_a_page_url_for_a_saved_review_without_its_own(db, tmp_path):
    saved = tmp_path / "no-url.html"
    saved.write_text(page_with({key: value for key, value in REVIEW.items() if key != "url"}))

    with pytest.raises(CommandError):
        run_import(str(saved))
    out = StringIO()
    call_command("import_claimreview", str(saved), "--page-url", "https://checkers.example.org/saved", stdout=out)

    assert ExternalFactCheck.objects.get().url == "https://checkers.example.org/saved"


# The editors' admin view


ADMIN_IMPORT = "/admin/factcheck/externalfactcheck/import/"
ADMIN_LIST = "/admin/factcheck/externalfactcheck/"


def test_it_lets_an_editor_import_from_the_admin(client, editor, web, mailoutbox):
    good = web.serve("/fc/moon", page_with({**REVIEW, "reviewRating": {**REVIEW["reviewRating"], "ratingValue": 8}}))
    empty = web.serve("/news", NO_REVIEW)
    editor.email = "eddie@example.org"
    editor.save()
    client.force_login(editor)

    listing = client.get(ADMIN_LIST).content.decode()
    answer = client.post(ADMIN_IMPORT, {"urls": f"{good}\n\n{empty}\n"}, follow=True)

    assert 'href="/admin/factcheck/externalfactcheck/import/"' in listing
    assert answer.redirect_chain == [(ADMIN_LIST, 302)]
    assert [str(m) for m in answer.context["messages"]] == [
        "Import of 2 page(s) queued: the reviews appear in this list as they are read, and the outcome is emailed "
        "to eddie@example.org."
    ]
    assert ExternalFactCheck.objects.get().claim_reviewed == "The moon is made of cheese"
    # The worker (in-process here) emails the editor what it found, page by page.
    (report,) = mailoutbox
    assert report.to == ["eddie@example.org"]
    messages = report.body.splitlines()
    assert f"{good}: 1 created, 0 updated." in messages
    assert f"{REVIEW['url']}: reviewRating.ratingValue 8 lies outside its scale (worst 1, best 5)." in messages
    assert f"{empty}: 0 created, 0 updated." in messages
    assert "The page has no ClaimReview markup (neither JSON-LD nor microdata)." in messages


def test_it_lets_an_editor_reimport_selected_reviews_from_their_pages(client, editor, web):
    url = web.serve("/fc/moon", page_with(REVIEW))
    run_import(url)
    web.serve("/fc/moon", page_with({**REVIEW, "reviewRating": {**REVIEW["reviewRating"], "alternateName": "Pants"}}))
    client.force_login(editor)

    client.post(ADMIN_LIST, {"action": "reimport", "_selected_action": [ExternalFactCheck.objects.get().pk]})

    assert ExternalFactCheck.objects.get().rating_label == "Pants"
    assert web.paths_requested() == ["/fc/moon", "/fc/moon"]


def test_it_rejects_what_is_not_a_web_address_in_the_admin_form(client, editor, web):
    client.force_login(editor)

    answer = client.post(ADMIN_IMPORT, {"urls": "file:///etc/passwd"})

    assert answer.status_code == 200
    assert "is not an http(s) URL" in answer.content.decode()
    assert web.requests == []


def test_it_keeps_the_admin_import_to_editors(client, reviewer, web):
    url = web.serve("/fc/moon", page_with(REVIEW))
    client.force_login(reviewer)

    answer = client.post(ADMIN_IMPORT, {"urls": url})

    # Reviewers are not staff: the editors' desk sends them to its sign-in page.
    assert answer.status_code == 302 and answer["Location"].startswith("/admin/login/")
    assert web.requests == []


# Finding external fact-checks


def test_it_finds_external_fact_checks_by_the_words_of_a_claim(api, journalist, db, tmp_path):
    saved = tmp_path / "page.html"
    saved.write_text(
        page_with(
            REVIEW,
            {
                **REVIEW,
                "url": "https://checkers.example.org/mars",
                "claimReviewed": "Mars is made of chocolate",
                "datePublished": "2024-07-01",
            },
        )
    )
    run_import(str(saved))

    found = api(journalist).get("/api/v1/external-fact-checks/", {"q": "made of CHEESE"}).json()
    everything = api(journalist).get("/api/v1/external-fact-checks/").json()

    assert [r["claim_reviewed"] for r in found["results"]] == ["The moon is made of cheese"]
    assert found["results"][0]["rating_label"] == "False"
    assert [r["claim_reviewed"] for r in everything["results"]] == [
        "Mars is made of chocolate",
        "The moon is made of cheese",
    ]


def test_it_shows_external_fact_checks_only_to_signed_in_users(api, db):
    assert api().get("/api/v1/external-fact-checks/").status_code == 401
