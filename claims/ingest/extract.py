"""A news report's main text and metadata from its HTML, and the one normal form for pasted text.

Pure functions: nothing here touches the network. Pages are fetched elsewhere (core.fetching, on the project's address
policy) and handed in as bytes; trafilatura only ever sees an already parsed tree, never a URL to download.

The stored body is the text that sentence offsets are measured on, so every normalisation (line breaks, NFC, control
characters) happens here, before storing, and never after.
"""

import codecs
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import lxml.html
import trafilatura
from lxml.etree import ParserError

from core.languages import language_code
from core.text import normalise_name

# WHATWG: a page declared as Latin-1 or ASCII is decoded as windows-1252 (curly quotes sit in 0x80-0x9F).
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
# Accented letters are a few percent of a Latin-script text; a text in another script is mostly non-ASCII letters.
_STRAY_SHARE = 0.2
_MARKUP = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]*>", re.IGNORECASE | re.DOTALL)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_SPACES = re.compile(r"[^\S\n]+")  # runs of whitespace within a line (tabs, no-break and other wide spaces)
_BLANK_LINES = re.compile(r"\n{3,}")
# Never the report, though trafilatura's fallbacks may take them for it on a page with little else. A footer inside
# the article stays: corrections and editor's notes live there.
_BOILERPLATE = [
    "//nav",
    "//form",
    "//*[@role='navigation' or @role='banner' or @role='contentinfo' or @role='search']",
    "//footer[not(ancestor::article) and not(ancestor::main)]",
]
MIN_LETTERS = 25  # fewer letters than a one-line news brief: a menu, a cookie notice or a copyright line
# Where pages declare their publication date besides article:published_time and JSON-LD (lower-cased meta names).
_DATE_METAS = (
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "date",
    "parsely-pub-date",
    "sailthru.date",
)
# A <time> that marks the article's own date, not one mentioned in its text.
_PUBLISHED_TIME = (
    "//time[@datetime][@itemprop='datePublished' or @pubdate or ancestor::header[ancestor::article or ancestor::main]]"
)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:[/-]|$)")
_ARTICLE_TYPES = ("Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting", "WebPage")


class ExtractionError(ValueError):
    """The page gave no report text; the message says so in words an editor understands."""


@dataclass(frozen=True)
class Extracted:
    headline: str
    text: str
    outlet: str
    author: str
    published_at: datetime | None  # aware; UTC when the page gives no time zone
    language: str  # a language code the desk knows ("en", "ru", "zh-hans"), "" when unknown
    url: str  # the canonical URL the page declares, else ""


def text_from_paste(text: str) -> str:
    """Pasted text in the stored form: NFC, one kind of line break, no control characters, trimmed lines.

    Line breaks stay (a heading on its own line stays its own sentence); three or more collapse into one blank line.
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = "".join(char for char in text if char in "\n\t" or unicodedata.category(char) != "Cc")
    text = text.replace("\ufeff", "")  # a byte-order mark pasted mid-text shows nothing and means nothing
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    # NFC last: dropping a control character can bring a letter and its accent together.
    return unicodedata.normalize("NFC", _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n"))


def extract_report(html: bytes | str, *, url: str = "", charset: str | None = None) -> Extracted:
    """The headline, main text and metadata of a news page. `charset` is what the HTTP answer declared, if any."""
    tree = _parse(html if isinstance(html, str) else decode_html(html, charset))
    document = trafilatura.bare_extraction(
        tree,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        prune_xpath=_BOILERPLATE,
        # Its date is never used (see _published_at); the quick search costs less than the full one.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = text_from_paste(document.text or "") if document is not None else ""
    # Trafilatura falls back to whatever text a page has: on a page without an article that is a menu or a footer.
    if sum(char.isalpha() for char in text) < MIN_LETTERS:
        raise ExtractionError("No article text was found on this page. Paste the report's text instead.")
    ld = list(_json_ld_articles(tree))
    headline = _first(
        document.title, _meta(tree, "og:title"), _ld(ld, "headline"), _title(tree), tree.findtext(".//h1")
    )
    return Extracted(
        headline=headline,
        text=_without_headline(text, headline),
        outlet=_first(_meta(tree, "og:site_name"), _ld_name(ld, "publisher"), document.sitename),
        author=_first(document.author, _meta(tree, "author"), _ld_name(ld, "author")),
        published_at=_published_at(tree, ld, url),
        language=_language(tree, ld),
        url=_canonical_url(tree, url),
    )


def decode_html(raw: bytes, charset: str | None = None) -> str:
    """The page's text as a browser shows it: after a byte-order mark, the first declared charset (the HTTP answer's,
    then the page's <meta>) its bytes are valid in, else UTF-8 if they are valid in it, else the charset the bytes
    themselves point to (a server that declares nothing, or says UTF-8 of a windows-1251 page)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(encoding, errors="replace")
    match = _META_CHARSET.search(raw[:4096])
    declared = [codec for label in (charset, match and match[1].decode("ascii")) if label and (codec := _codec(label))]
    for codec in dict.fromkeys([*declared, "utf-8"]):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    # A page in a Latin script with a few bytes of another charset (accents) stays as it was read, with U+FFFD; one
    # whose letters are mostly undecodable is in a legacy charset of another script (windows-1251, GBK): detect it.
    text = raw.decode(declared[0] if declared else "utf-8", errors="replace")
    if _undecodable_share(text) <= _STRAY_SHARE:
        return text
    if (best := charset_normalizer.from_bytes(raw).best()) is not None:
        return str(best)
    raise ExtractionError("The page's text could not be decoded from its bytes. Paste the report's text instead.")


def _undecodable_share(html: str) -> float:
    """Of the letters a reader sees (markup, scripts and styles left out), the share that could not be decoded."""
    shown = _MARKUP.sub(" ", html)
    undecodable = shown.count("\ufffd")
    return undecodable / max(1, undecodable + sum(char.isalpha() for char in shown))


def _codec(label: str) -> str | None:
    label = label.strip().lower()
    try:
        name = codecs.lookup(_CHARSET_ALIASES.get(label, label)).name
    except LookupError:
        return None
    # A page cannot really be UTF-16 if its <meta> was readable as ASCII; browsers read such pages as UTF-8 too.
    return "utf-8" if name.startswith("utf-16") else name


def _parse(text: str) -> lxml.html.HtmlElement:
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses str input that declares its own encoding
    try:
        return lxml.html.document_fromstring(text)
    except (ParserError, ValueError):
        raise ExtractionError("This is not a web page with readable text.") from None


def _first(*values: str | None) -> str:
    for value in values:
        if value and (clean := normalise_name(value)):
            return clean
    return ""


def _meta(tree, name: str) -> str:
    for node in tree.iterfind(".//meta"):
        key = node.get("property") or node.get("name") or node.get("itemprop") or node.get("http-equiv") or ""
        if key.strip().lower() == name and node.get("content", "").strip():
            return node.get("content").strip()
    return ""


def _title(tree) -> str:
    """<title> without a trailing " | Outlet" when the outlet is named on the page."""
    title = normalise_name(tree.findtext(".//title") or "")
    site = normalise_name(_meta(tree, "og:site_name"))
    for separator in (" | ", " - ", " \u2013 ", " \u2014 "):  # bar, hyphen, en and em dash
        if site and title.endswith(separator + site):
            return title[: -len(separator + site)]
    return title


def _without_headline(text: str, headline: str) -> str:
    """Trafilatura keeps the <h1>; the report stores the headline apart, so the body starts with the story."""
    first, _, rest = text.partition("\n")
    return rest.lstrip("\n") if headline and normalise_name(first) == headline and rest.strip() else text


def _json_ld_articles(tree) -> Iterator[dict]:
    for script in tree.iterfind(".//script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue  # pages often ship broken JSON-LD; the other sources still count
        yield from _articles_in(data)


def _articles_in(data) -> Iterator[dict]:
    items = data if isinstance(data, list) else [data]
    for item in items:
        if not isinstance(item, dict):
            continue
        kinds = item.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(kind in _ARTICLE_TYPES for kind in kinds):
            yield item
        yield from _articles_in(item.get("@graph", []))


def _ld(articles: list[dict], key: str) -> str:
    for article in articles:
        if isinstance(value := article.get(key), str) and value.strip():
            return value
    return ""


def _ld_name(articles: list[dict], key: str) -> str:
    """The name(s) of a JSON-LD person or organisation, which may be a string, an object or a list of either."""
    for article in articles:
        value = article.get(key)
        items = value if isinstance(value, list) else [value]
        names = [item.get("name") if isinstance(item, dict) else item for item in items]
        names = [normalise_name(name) for name in names if isinstance(name, str) and name.strip()]
        if names:
            return "; ".join(names)
    return ""


def _published_at(tree, articles: list[dict], url: str) -> datetime | None:
    """The publication date the page declares: its metadata, a <time> marked as the article's, or a full date in its
    address. Never one guessed from the text: "since 1998" in a sentence is no date of the article, and claim
    tracking skips repetitions in reports dated before our verdict."""
    candidates = (
        _meta(tree, "article:published_time"),
        _ld(articles, "datePublished"),
        *(_meta(tree, name) for name in _DATE_METAS),
        *(node.get("datetime") for node in tree.xpath(_PUBLISHED_TIME)),
        _url_date(url),
    )
    for candidate in candidates:
        if candidate and (moment := _parse_moment(candidate)):
            return moment
    return None


def _url_date(url: str) -> str:
    """A whole date in the address (/2024/03/14/, /2024-03-14-): publishers put the day they publish there."""
    match = _URL_DATE.search(urlsplit(url).path) if url else None
    return "-".join(match.groups()) if match else ""


def _parse_moment(value: str) -> datetime | None:
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(value[:10]), time())
        except ValueError:
            return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _language(tree, articles: list[dict]) -> str:
    candidates = (
        tree.get("lang"),
        tree.get("xml:lang"),  # XHTML, as lxml's HTML parser names it
        _meta(tree, "content-language"),
        _ld(articles, "inLanguage"),
        _meta(tree, "og:locale"),
    )
    for candidate in candidates:
        if candidate and (code := language_code(candidate)):
            return code
    return ""


def _canonical_url(tree, page_url: str) -> str:
    """The URL the page names as its own (rel=canonical, og:url), made absolute against where it was fetched."""
    links = (
        link.get("href", "") for link in tree.iterfind(".//link") if "canonical" in link.get("rel", "").lower().split()
    )
    for candidate in (*links, _meta(tree, "og:url")):
        absolute = urljoin(page_url, candidate.strip()) if candidate.strip() else ""
        if urlsplit(absolute).scheme in ("http", "https"):
            return absolute
    return ""
