"""One article is one report and one repetition, however it reaches the desk: through a short link's redirects, with
tracking parameters in its address, or declaring its canonical address. Pages are served by real HTTP servers on
127.0.0.1 (a "shortener" and a "publisher" on two ports); the fetcher may reach loopback as the test settings allow."""

import importlib
import re

import pytest
from django.apps import apps as django_apps

from claims import services as claim_services
from claims.ingest.models import ClaimAppearance, ReportEvent
from claims.ingest.urls import url_key
from claims.models import Report
from tests.factcheck.local_http import LocalWeb
from tests.factcheck.page_parsing import the_json_ld

HEADING = re.compile(r"This claim has been repeated (\d+) times? since we checked it")
SENTENCE = "Once more, the talks lasted more than five hours, officials said on Tuesday evening."


def article(headline: str = "Summit talks", canonical: str = "") -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f'<html lang="en"><head><title>{headline}</title>{link}</head><body><article><h1>{headline}</h1>'
        f"<p>{SENTENCE}</p><p>Diplomats from both delegations called the meeting constructive and said that "
        "another round would follow next month in the same city.</p></article></body></html>"
    )


@pytest.fixture
def publisher(settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True  # the publisher and the shortener are local servers
    with LocalWeb() as server:
        yield server


@pytest.fixture
def shortener(publisher):
    with LocalWeb() as server:
        yield server


@pytest.fixture
def verdict(make_claim, desk):
    return desk.published(make_claim("The talks lasted more than five hours"))


@pytest.fixture
def submit(api, journalist, django_capture_on_commit_callbacks):
    """Submit a URL as a journalist; the fetch and the claim tracking that follow it run before this returns."""

    def submitted(url: str, **extra) -> tuple[int, Report]:
        with django_capture_on_commit_callbacks(execute=True):
            answer = api(journalist).post("/api/v1/reports/", {"url": url, **extra}, format="json")
        assert answer.status_code in (200, 201), answer.content
        return answer.status_code, Report.objects.get(pk=answer.json()["id"])

    return submitted


def public_view(client, api, fact_check) -> tuple[int, list[str], list[str]]:
    """What a reader sees: the page's repetition count, its ClaimReview's and the public API's appearance URLs."""
    html = client.get(fact_check.get_absolute_url()).content.decode()
    heading = HEADING.search(html)
    from_page = [work.get("url") for work in the_json_ld(html)["itemReviewed"]["appearance"]]
    answer = api().get(f"/api/v1/fact-checks/{fact_check.slug}/").json()
    from_api = [work.get("url") for work in answer["claim_review"]["itemReviewed"]["appearance"]]
    return (int(heading.group(1)) if heading else 0), from_page, from_api


def test_it_names_a_report_read_through_a_short_link_by_the_article_and_finds_it_by_either(
    publisher, shortener, submit
):
    page = publisher.serve("/talks", article())
    short = shortener.redirect("/s/1", shortener.url("/s/2"))
    shortener.redirect("/s/2", page)  # a chain of two hops, from one port to the other, as t.co then bit.ly

    created, report = submit(short)

    assert (created, report.status, report.url) == (201, Report.Status.READY, page)
    for again in (page, short, f"{page}?ref=homepage", f"{page}?utm_source=twitter&utm_medium=social&fbclid=x1"):
        status, found = submit(again)
        assert (status, found.pk) == (200, report.pk), again
    assert Report.objects.count() == 1


def test_the_same_article_with_tracking_parameters_is_one_report(publisher, submit):
    page = publisher.serve("/talks", article())
    publisher.serve("/talks?ref=homepage&utm_campaign=spring", article())

    _, first = submit(f"{page}?ref=homepage&utm_campaign=spring")
    status, second = submit(page)

    assert (status, second.pk) == (200, first.pk)


def test_a_page_is_named_by_the_canonical_address_it_declares_on_its_own_site(publisher, submit):
    canonical = publisher.url("/2026/12/05/summit-talks")
    read_at = publisher.serve("/story?id=7&print=1", article(canonical=canonical))

    _, report = submit(read_at)
    status, again = submit(canonical)

    assert report.url == canonical
    assert (status, again.pk) == (200, report.pk)
    assert ReportEvent.objects.filter(report=report, note__contains=f"The page names itself {canonical}.").exists()


@pytest.mark.parametrize(
    "canonical",
    [
        "http://localhost:{port}/talks",  # another host: a page cannot pass for another site's article
        "http://127.0.0.1:{port}/",  # the site's home page, which some sites name as every page's canonical
        "javascript:alert(1)",
    ],
)
def test_a_canonical_elsewhere_leaves_the_report_named_by_where_it_was_read(publisher, submit, canonical):
    read_at = publisher.serve("/talks", article(canonical=canonical.format(port=publisher.port)))

    _, report = submit(read_at)

    assert report.url == read_at
    assert report.article_key == url_key(read_at)


def test_two_reports_of_one_article_count_once_and_publish_the_article_s_address(
    client, api, publisher, shortener, submit, verdict
):
    page = publisher.serve("/talks", article())
    short = shortener.redirect("/s/1", page)

    _, direct = submit(page)
    _, via_link = submit(short)  # not known as the article until read: a second report, of the same article

    assert via_link.pk != direct.pk and via_link.url == page
    assert ClaimAppearance.objects.filter(claim=verdict.claim).count() == 2  # the desk keeps every row
    count, from_page, from_api = public_view(client, api, verdict)
    assert count == 1
    assert from_page == from_api == [verdict.claim.report.url, page]
    assert ReportEvent.objects.filter(report=via_link, note__contains=f"same article as report {direct.pk}").exists()


def test_another_report_of_the_article_a_claim_came_from_is_no_repetition_of_it(
    client, api, journalist, publisher, shortener, submit, desk
):
    page = publisher.serve("/talks", article())
    _, source = submit(page)
    claim = claim_services.submit_claim(
        user=journalist,
        text="The talks lasted more than five hours",
        report=source.pk,
        quote="the talks lasted more than five hours",
        language="en",
    )
    fact_check = desk.published(claim)

    _, via_link = submit(shortener.redirect("/s/1", page))

    assert via_link.url == page
    assert not ClaimAppearance.objects.filter(claim=claim).exists()
    count, from_page, _ = public_view(client, api, fact_check)
    assert (count, from_page) == (0, [page])


def test_html_that_names_an_article_read_already_answers_its_report(api, journalist, publisher, submit):
    page = publisher.serve("/talks", article())
    _, report = submit(page)

    def given(url: str):
        html = article(canonical=page)
        return api(journalist).post("/api/v1/reports/", {"url": url, "html": html, "language": "en"}, format="json")

    same_site = given(publisher.url("/amp/talks"))  # the article's AMP copy, naming the article as its canonical
    short_link = given("https://t.example/abc")  # another site: its canonical is not trusted

    assert (same_site.status_code, same_site.json()["id"]) == (200, report.pk)
    assert short_link.status_code == 201
    assert short_link.json()["url"] == "https://t.example/abc"


def test_url_keys_leave_out_parameters_that_never_select_content():
    noisy = "https://news.example.com/a?id=3&ref=homepage&utm_source=x&fbclid=1&gclid=2&msclkid=3&igshid=4&_ga=5"

    assert url_key(noisy) == "news.example.com/a?id=3"
    # Parameters that may choose what a page shows stay, even when they start like a tracking one.
    assert url_key("https://news.example.com/a?reference=2&refresh=1") == "news.example.com/a?reference=2&refresh=1"


def test_the_migration_names_reports_read_before_by_their_article_from_the_fetch_s_audit(journalist):
    fill = importlib.import_module("claims.migrations.0015_report_article_key").fill_article_keys
    short = Report.objects.create(url="https://t.example/abc", url_key="t.example/abc", submitted_by=journalist)
    ReportEvent.objects.create(
        report=short,
        from_status="fetching",
        to_status="ready",
        note="Read 900 characters from https://news.example.com/a.",
    )
    tracked = Report.objects.create(
        url="https://news.example.com/a?ref=homepage",
        url_key="news.example.com/a?ref=homepage",
        submitted_by=journalist,
    )
    pasted = Report.objects.create(body="A memo.", submitted_by=journalist)

    fill(django_apps, None)

    rows = {row.pk: (row.url, row.article_key) for row in Report.objects.all()}
    assert rows[short.pk] == ("https://news.example.com/a", "news.example.com/a")
    assert rows[tracked.pk] == ("https://news.example.com/a?ref=homepage", "news.example.com/a")
    assert rows[pasted.pk] == ("", "")
