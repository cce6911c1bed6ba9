"""A report's date is the one its page declares, never a year read in its text; and a page is read in the charset a
browser would read it in, whether its server declares it, declares a wrong one, or declares none."""

from datetime import UTC, datetime

import pytest

import claims.tasks  # noqa: F401  (registers the fetch and tracking tasks that run after a report's commit)
from claims.ingest.extract import extract_report
from claims.ingest.models import ClaimAppearance
from claims.models import Report
from tests.factcheck.local_http import LocalWeb, route_to_local_web

PUBLIC_HOST = "news.example.com"
STORY = (
    "<p>The ministers have not met in person {since}, officials noted after the meeting.</p>"
    "<p>Officials said the talks lasted more than five hours on Tuesday evening.</p>"
)


def page(head: str = "", since: str = "since 1998", lang: str = "en", article_head: str = "") -> str:
    body = f"<article>{article_head}<h1>Talks report</h1>{STORY.format(since=since)}</article>"
    return f'<html lang="{lang}"><head><title>Talks</title>{head}</head><body>{body}</body></html>'


# Dates.


@pytest.mark.parametrize("since", ["since 1998", "since 12 March 1998", "since 1998-03-12", "for many years"])
def test_a_page_that_declares_no_date_has_none_whatever_its_text_mentions(api, journalist, since):
    answer = api(journalist).post(
        "/api/v1/reports/", {"url": "http://news.example.com/talks-a", "html": page(since=since)}, format="json"
    )

    assert answer.status_code == 201, answer.content
    assert answer.json()["published_at"] is None


def test_a_year_in_the_text_does_not_hide_a_repetition_of_our_verdict(
    api, journalist, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = api(journalist).post(
            "/api/v1/reports/", {"url": "http://news.example.com/talks-a", "html": page()}, format="json"
        )

    assert ClaimAppearance.objects.filter(claim=published, report_id=answer.json()["id"]).exists()


@pytest.mark.parametrize(
    ("head", "article_head", "url", "expected"),
    [
        ('<meta name="pubdate" content="2024-03-14T09:30:00Z">', "", "", datetime(2024, 3, 14, 9, 30, tzinfo=UTC)),
        ('<meta name="DC.date.issued" content="2024-03-14">', "", "", datetime(2024, 3, 14, tzinfo=UTC)),
        ('<meta itemprop="datePublished" content="2024-03-14">', "", "", datetime(2024, 3, 14, tzinfo=UTC)),
        ("", '<header><time datetime="2024-03-14">14 March</time></header>', "", datetime(2024, 3, 14, tzinfo=UTC)),
        ("", "", "https://news.example.com/2024/03/14/talks", datetime(2024, 3, 14, tzinfo=UTC)),
        ("", "", "https://news.example.com/2024/03/talks", None),  # a month is not the day it was published
    ],
    ids=["pubdate meta", "dublin core", "itemprop", "time in the article's header", "day in the address", "month"],
)
def test_a_date_the_page_declares_is_read(head, article_head, url, expected):
    assert extract_report(page(head, article_head=article_head), url=url).published_at == expected


def test_a_date_marked_up_inside_the_text_is_not_the_articles():
    html = page(since='since <time datetime="1998-03-12">12 March 1998</time>')

    assert extract_report(html).published_at is None


# Charsets.

RUSSIAN = (
    '<html lang="ru"><head>{meta}<title>Доклад министра</title></head><body><article><h1>Доклад министра</h1>'
    "<p>Министр финансов заявил, что уровень безработицы снизился до семи процентов в прошлом году.</p>"
    "<p>Эксперты считают, что эти данные нуждаются в тщательной проверке независимыми статистиками.</p>"
    "</article></body></html>"
)
# Chinese text is punctuated with full-width commas.
CHINESE = (
    '<html lang="zh"><head>{meta}<title>部长报告</title></head><body><article><h1>部长报告</h1>'
    "<p>财政部长周二表示，去年全国失业率下降至百分之七，为近十年来的最低水平。</p>"  # noqa: RUF001
    "<p>多位专家认为，这些数据需要由独立的统计机构进行仔细核实，会谈持续了五个多小时。</p>"  # noqa: RUF001
    "</article></body></html>"
)


@pytest.fixture
def internet(monkeypatch):
    with LocalWeb() as web:
        route_to_local_web(monkeypatch, PUBLIC_HOST)
        yield web


def fetched(api, journalist, internet, capture, path: str, body: bytes, content_type: str) -> Report:
    internet.serve(path, body, content_type=content_type)
    with capture(execute=True):
        answer = api(journalist).post("/api/v1/reports/", {"url": internet.url(path, host=PUBLIC_HOST)}, format="json")
    return Report.objects.get(pk=answer.json()["id"])


@pytest.mark.parametrize(
    ("template", "encoding", "meta", "content_type", "words"),
    [
        (RUSSIAN, "cp1251", "", "text/html", "уровень безработицы снизился"),
        (CHINESE, "gbk", "", "text/html", "失业率下降至百分之七"),
        (RUSSIAN, "cp1251", '<meta charset="windows-1251">', "text/html; charset=utf-8", "уровень безработицы"),
        (CHINESE, "gbk", '<meta charset="gbk">', "text/html; charset=UTF-8", "失业率下降至百分之七"),
        (RUSSIAN, "utf-8", '<meta charset="windows-1251">', "text/html; charset=utf-8", "уровень безработицы"),
    ],
    ids=["cp1251 undeclared", "gbk undeclared", "cp1251 wrong header", "gbk wrong header", "utf-8 wrong meta"],
)
def test_a_page_is_read_in_the_charset_a_browser_would_read_it_in(
    api, journalist, internet, django_capture_on_commit_callbacks, template, encoding, meta, content_type, words
):
    body = template.format(meta=meta).encode(encoding)

    report = fetched(api, journalist, internet, django_capture_on_commit_callbacks, "/p", body, content_type)

    assert (report.status, report.failure) == ("ready", "")
    assert words in report.body
    assert "\ufffd" not in report.body + report.headline


def test_a_page_whose_bytes_are_in_no_charset_fails_saying_so(
    api, journalist, internet, django_capture_on_commit_callbacks
):
    noise = bytes(range(128, 256)) * 40

    report = fetched(api, journalist, internet, django_capture_on_commit_callbacks, "/noise", noise, "text/html")

    assert report.status == "failed"
    assert report.failure.startswith("The page's text could not be decoded")
    assert "No article text" not in report.failure
