# The pages are Russian and Arabic on purpose: their letters are not look-alikes of Latin ones.
# ruff: noqa: RUF001
"""Reading a submitted report: the page is fetched from its publisher, its article text and metadata are extracted,
and the stored body is the text that sentence offsets are measured on.

Pages come from a real HTTP server on 127.0.0.1 that stands in for the publisher (a public host name is made to
resolve to a public-looking address whose connections reach it), so fetching and decoding run as in production.
"""

import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest

from claims.ingest.extract import ExtractionError, extract_report, text_from_paste
from claims.ingest.sentences import split_sentences
from core.fetching import fetch_html
from tests.factcheck.local_http import LocalWeb, route_to_local_web

FIXTURES = Path(__file__).parent / "fixtures"
PUBLIC_HOST = "news.example.com"


@pytest.fixture
def web():
    with LocalWeb() as server:
        yield server


@pytest.fixture
def publisher(monkeypatch, web):
    """Serves a page as PUBLIC_HOST would, through the real fetcher; returns a function path, page -> Extracted."""
    route_to_local_web(monkeypatch, PUBLIC_HOST)

    def read(path: str, body: bytes, content_type: str = "text/html; charset=utf-8"):
        web.serve(path, body, content_type=content_type)
        page = fetch_html(f"http://{PUBLIC_HOST}:{web.port}{path}")
        return extract_report(page.body, url=page.url, charset=page.charset)

    return read


def fixture_page(name: str, encoding: str = "utf-8") -> bytes:
    # Kept as UTF-8 in the repository; served in the legacy encoding each page declares, as such sites still do.
    return (FIXTURES / name).read_text(encoding="utf-8").encode(encoding)


def lines(text: str) -> list[str]:
    return text.split("\n")


def test_it_reads_an_english_news_page_from_its_publisher(publisher):
    report = publisher("/politics/governor", fixture_page("news_en.html"))

    assert report.headline == "Governor claims state cut unemployment in half"
    assert report.outlet == "The Harbor Ledger"
    assert report.author == "Maria Delgado"
    assert report.published_at == datetime(2024, 3, 14, 13, 30, tzinfo=UTC)
    assert report.language == "en"
    assert report.url == "https://www.harborledger.example/politics/2024/03/14/governor-unemployment-claim"
    assert lines(report.text)[0].startswith("Gov. Ellen Marsh told supporters at a rally in Port Alder")
    assert "What the numbers show" in lines(report.text)
    assert report.text.endswith("would publish its figures by 5 p.m. on Friday.")


@pytest.mark.parametrize(
    "boilerplate",
    [
        "Subscribe for $1 a week",  # navigation
        "Refinance today",  # advertisements
        "patio furniture",
        "We use cookies",  # consent banner
        "Typical politician",  # reader comments
        "harborfan77",
        "Join the discussion",
        "Five takeaways",  # related links
        "All rights reserved",  # footer
        "Share this story",
    ],
)
def test_it_leaves_out_navigation_ads_comments_and_footer(publisher, boilerplate):
    report = publisher("/politics/governor", fixture_page("news_en.html"))

    assert boilerplate not in report.text


def test_its_body_is_the_stored_form_and_splits_into_exact_sentences(publisher):
    report = publisher("/politics/governor", fixture_page("news_en.html"))

    spans = split_sentences(report.text, language=report.language)

    assert text_from_paste(report.text) == report.text
    assert all(report.text[span.start : span.end] == span.text for span in spans)
    assert "What the numbers show" in [span.text for span in spans]
    assert "The remark drew a quick response from her opponents in the U.S. Senate race." in [
        span.text for span in spans
    ]


def test_it_reads_a_russian_page_in_the_charset_its_server_declares(publisher, web):
    report = publisher(
        "/gorod/2024/05/20/proezd",
        fixture_page("news_ru.html", "cp1251"),
        content_type="text/html; charset=windows-1251",
    )

    assert report.headline == "Мэр заявил о снижении цен на проезд"
    assert report.outlet == "Вечерний вестник"
    assert report.author == "Анна Петрова"
    assert report.published_at == datetime(2024, 5, 20, 5, 15, tzinfo=UTC)
    assert report.language == "ru"
    assert report.url == f"http://{PUBLIC_HOST}:{web.port}/gorod/2024/05/20/proezd"  # relative canonical link
    assert lines(report.text)[0].startswith("Мэр г. Северска Игорь Смирнов заявил в понедельник")
    assert "Что показывают данные" in lines(report.text)
    assert "Враньё" not in report.text
    assert "Реклама" not in report.text


def test_it_reads_an_arabic_page_in_the_charset_of_its_meta_tag(publisher):
    report = publisher("/siyasa/1", fixture_page("news_ar.html", "cp1256"), content_type="text/html")

    assert report.headline == "وزير الصحة: انخفاض الإصابات بنسبة النصف"
    assert report.outlet == "صحيفة الميناء"
    assert report.author == "خالد منصور"
    assert report.published_at == datetime(2024, 2, 3, 10, 0, tzinfo=UTC)
    assert report.language == "ar"
    assert report.url == ""
    assert lines(report.text)[0].startswith("قال وزير الصحة في مؤتمر صحفي يوم الأحد")
    assert "ماذا تقول الأرقام؟" in lines(report.text)
    assert "هذا كلام غير صحيح" not in report.text
    assert "إعلان" not in report.text


STORY = "<p>The council approved a budget of three million dollars on Monday, the town clerk said.</p>"


def page(head: str = "", body: str = STORY, html_attrs: str = "") -> str:
    return f"<!DOCTYPE html><html {html_attrs}><head>{head}</head><body><article>{body}</article></body></html>"


def test_it_falls_back_to_the_title_without_the_outlet_name():
    report = extract_report(
        page('<title>Council approves budget | Town Crier</title><meta property="og:site_name" content="Town Crier">')
    )

    assert report.headline == "Council approves budget"
    assert report.outlet == "Town Crier"
    assert report.text == "The council approved a budget of three million dollars on Monday, the town clerk said."


def test_it_leaves_unknown_metadata_empty():
    report = extract_report(page())

    assert (report.author, report.published_at, report.language, report.url) == ("", None, "", "")


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("2024-03-14T09:30:00-04:00", datetime(2024, 3, 14, 13, 30, tzinfo=UTC)),
        ("2024-03-14T09:30:00Z", datetime(2024, 3, 14, 9, 30, tzinfo=UTC)),
        ("2024-03-14T09:30:00", datetime(2024, 3, 14, 9, 30, tzinfo=UTC)),  # no zone: read as UTC
        ("2024-03-14", datetime(2024, 3, 14, tzinfo=UTC)),
        ("yesterday", None),
    ],
)
def test_it_reads_the_publication_date_from_json_ld(declared, expected):
    json_ld = f'{{"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": "{declared}"}}'

    report = extract_report(page(f'<script type="application/ld+json">{json_ld}</script>'))

    assert report.published_at == expected
    assert report.published_at is None or report.published_at.tzinfo is not None


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ('lang="en-US"', "en"),
        ('lang="ru-RU"', "ru"),
        ('lang="ar"', "ar"),
        ('lang="hi-IN"', "hi"),
        ('lang="zh-CN"', "zh-hans"),
        ('lang="zh-Hant-TW"', "zh-hant"),
        ('lang="zh"', "zh-hans"),
        ('lang="sr-Latn-RS"', "sr-latn"),
        ('lang="tlh"', ""),  # not a language the desk knows
        ("", ""),
    ],
)
def test_it_reads_the_page_language_as_a_desk_language_code(declared, expected):
    assert extract_report(page(html_attrs=declared)).language == expected


def test_it_reads_the_language_from_a_content_language_header_tag():
    report = extract_report(page('<meta http-equiv="Content-Language" content="de-DE">'))

    assert report.language == "de"


@pytest.mark.parametrize(
    "html",
    [
        b"",
        b"<html><body></body></html>",
        b"<html><body><nav><a href='/'>Home</a> <a href='/about'>About</a></nav></body></html>",
        b"<html><body><footer>(c) 2024 Town Crier. All rights reserved.</footer></body></html>",
        b"<html><body><img src='photo.jpg' alt=''></body></html>",
    ],
    ids=["empty", "empty body", "navigation only", "footer only", "image only"],
)
def test_it_says_plainly_when_a_page_has_no_report_text(html):
    with pytest.raises(ExtractionError, match=r"(No article text was found|not a web page)"):
        extract_report(html)


def test_it_never_reaches_the_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("extraction must not open connections or resolve names")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)

    report = extract_report(fixture_page("news_en.html"), url="https://www.harborledger.example/politics/story")

    assert report.headline == "Governor claims state cut unemployment in half"


CAFE = (
    "<html><head>{meta}</head><body><article>"
    "<p>Le café de la gare a fermé après trente ans, a confirmé la mairie.</p>"
    "</article></body></html>"
)


@pytest.mark.parametrize(
    ("raw", "declared"),
    [
        (CAFE.format(meta="").encode("cp1252"), "windows-1252"),  # the server's header
        (CAFE.format(meta='<meta charset="windows-1252">').encode("cp1252"), None),  # the page's own meta tag
        (CAFE.format(meta='<meta charset="utf-8">').encode("cp1252"), "iso-8859-1"),  # the header wins over meta
        (CAFE.format(meta='<meta charset="windows-1252">').encode("cp1252"), "no-such-charset"),  # unknown: next
        (CAFE.format(meta="").encode("utf-8"), None),  # nothing declared: UTF-8
        (b"\xef\xbb\xbf" + CAFE.format(meta='<meta charset="windows-1252">').encode("utf-8"), None),  # BOM wins
    ],
    ids=["header", "meta", "header over meta", "unknown header", "default", "byte-order mark"],
)
def test_it_decodes_bytes_in_the_declared_charset(raw, declared):
    report = extract_report(raw, charset=declared)

    assert report.text == "Le café de la gare a fermé après trente ans, a confirmé la mairie."


def test_it_replaces_undecodable_bytes_instead_of_failing():
    raw = CAFE.format(meta="").encode("cp1252")  # "é" as 0xE9, which is not UTF-8

    report = extract_report(raw)

    assert "caf\ufffd de la gare" in report.text


def test_pasted_text_is_stored_in_one_normal_form():
    pasted = "  Headline here \r\n\r\n\r\n\r\nCafe\u0301\tand\u00a0\u00a0more.\x00\x07 Second\x1b sentence."
    pasted += "\rLast\u2028line\n"

    assert text_from_paste(pasted) == "Headline here\n\nCafé and more. Second sentence.\nLast\nline"


@pytest.mark.parametrize(
    "kept",
    ["👩\u200d👩\u200d👧", "می\u200cخواهم", "क्\u200dष", "עברית ועוד", "𝐁𝐨𝐥𝐝"],
    ids=["emoji ZWJ sequence", "Persian ZWNJ", "Devanagari ZWJ", "Hebrew", "astral letters"],
)
def test_pasted_text_keeps_joiners_and_every_script(kept):
    assert text_from_paste(f"Before {kept} after.") == f"Before {kept} after."


def test_normalising_twice_changes_nothing():
    once = text_from_paste(" a\r\n\r\n\r\nb\u0301\x00 c \n")

    assert text_from_paste(once) == once
