"""Pure: an HTML page → the ClaimReviews it carries (JSON-LD or microdata, read with extruct) and what is wrong.

Other publishers' markup is often partial or broken, so nothing here raises on bad input: each review comes back with
the fields we could read and a `problems` list in words an editor understands, and the page gets its own problems
(a JSON-LD block that is not JSON, no ClaimReview at all).
"""

import codecs
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import extruct
from extruct.jsonld import JsonLdExtractor
from extruct.utils import parse_html

# Lengths of the ExternalFactCheck columns: longer values are cut rather than refused.
_LIMITS = {"claimant": 300, "rating_label": 200, "publisher_name": 300, "language": 10}
_MAX_URL = 1000
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# schema.org's defaults when a Rating gives a value but no scale.
_DEFAULT_BEST, _DEFAULT_WORST = 5.0, 1.0


class UnusableReview(Exception):
    """A ClaimReview that cannot be stored at all; the message says what it lacks."""


@dataclass
class ParsedReview:
    fields: dict[str, Any]  # ExternalFactCheck field values, ready to store
    problems: list[str]
    raw: dict[str, Any]

    @property
    def url(self) -> str:
        return self.fields["url"]


@dataclass
class PageParse:
    reviews: list[ParsedReview] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _type_names(item: dict) -> set[str]:
    """ "ClaimReview", "schema:ClaimReview" and "https://schema.org/ClaimReview" all name the same type."""
    types = item.get("@type", [])
    types = types if isinstance(types, list) else [types]
    return {str(t).rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1] for t in types}


def _find_claim_reviews(data: Any) -> list[dict]:
    """Every ClaimReview object anywhere in the data: top level, in a list, an @graph or nested in an Article."""
    if isinstance(data, list):
        return [review for item in data for review in _find_claim_reviews(item)]
    if not isinstance(data, dict):
        return []
    if "ClaimReview" in _type_names(data):
        return [data]
    return [review for value in data.values() for review in _find_claim_reviews(value)]


def _first(value: Any) -> Any:
    """Markup may repeat a property; the first value is the one we keep."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _text(value: Any) -> str:
    """A plain string from a text property, or from a Thing's name (authors are often objects, sometimes strings)."""
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("alternateName") or value.get("@value")
        value = _first(value)
    return " ".join(str(value).split()) if isinstance(value, str | int | float) else ""


def _http_url(value: Any, what: str, problems: list[str]) -> str:
    """An http(s) URL or "": a javascript: or data: URL from someone else's page never reaches ours."""
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id")
    if not value:
        return ""
    url = str(value).strip()
    if not url.lower().startswith(("http://", "https://")) or len(url) > _MAX_URL or any(c.isspace() for c in url):
        problems.append(f"{what} {url[:100]!r} is not a usable http(s) URL; it was ignored.")
        return ""
    return url


def _date(value: Any, what: str, problems: list[str]) -> date | None:
    value = _first(value)
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text).date()  # takes a date or a date-time, with "Z" or an offset
    except ValueError:
        problems.append(f"{what} {text[:40]!r} is not an ISO 8601 date; it was ignored.")
        return None


def _number(value: Any, what: str, problems: list[str]) -> float | None:
    value = _first(value)
    if value in (None, ""):
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        problems.append(f"{what} {str(value)[:40]!r} is not a number; it was ignored.")
        return None
    if number != number or number in (float("inf"), float("-inf")):  # NaN and infinities are not ratings
        problems.append(f"{what} {value!r} is not a finite number; it was ignored.")
        return None
    return number


def _rating(review: dict, problems: list[str]) -> dict[str, Any]:
    rating = _first(review.get("reviewRating"))
    if not isinstance(rating, dict):
        problems.append("reviewRating is missing: the verdict is unknown.")
        return {"rating_label": "", "rating_value": None, "best_rating": None, "worst_rating": None}
    label = _text(rating.get("alternateName")) or _text(rating.get("name"))
    if not label:
        problems.append("reviewRating.alternateName is missing: the verdict has no words.")
    value = _number(rating.get("ratingValue"), "reviewRating.ratingValue", problems)
    best = _number(rating.get("bestRating"), "reviewRating.bestRating", problems)
    worst = _number(rating.get("worstRating"), "reviewRating.worstRating", problems)
    if value is not None:
        if best is None or worst is None:
            problems.append(
                "reviewRating.ratingValue is given without bestRating and worstRating; "
                "schema.org's defaults (best 5, worst 1) were assumed for the range check."
            )
        low, high = sorted((_DEFAULT_WORST if worst is None else worst, _DEFAULT_BEST if best is None else best))
        if not low <= value <= high:
            problems.append(
                f"reviewRating.ratingValue {value:g} lies outside its scale (worst {low:g}, best {high:g})."
            )
    return {"rating_label": label, "rating_value": value, "best_rating": best, "worst_rating": worst}


def _language(value: Any) -> str:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    return _text(value)


def parse_review(review: dict, *, fallback_url: str) -> ParsedReview:
    """One ClaimReview object → field values and problems; raises UnusableReview without a URL or a claim."""
    problems: list[str] = []
    url = _http_url(review.get("url"), "url", problems)
    if not url:
        if not fallback_url:
            raise UnusableReview("it has no usable url and the source (a file) has none to stand in")
        problems.append("url is missing: the page's URL stands in for the review's.")
        url = fallback_url
    item = _first(review.get("itemReviewed"))
    item = item if isinstance(item, dict) else {}
    claim_reviewed = _text(review.get("claimReviewed"))
    if not claim_reviewed:
        claim_reviewed = _text(item.get("name")) or _text(item.get("text"))
        if not claim_reviewed:
            raise UnusableReview("it says nowhere which claim it reviews (no claimReviewed)")
        problems.append("claimReviewed is missing: the reviewed Claim's name stands in for it.")
    author = _first(review.get("author")) or _first(review.get("publisher"))
    publisher_name = _text(author)
    if not publisher_name:
        problems.append("author is missing: the publisher of the review is unknown.")
    fields: dict[str, Any] = {
        "url": url,
        "claim_reviewed": claim_reviewed,
        "claimant": _text(item.get("author")),
        "claim_date": _date(item.get("datePublished"), "itemReviewed.datePublished", problems),
        "publisher_name": publisher_name,
        "publisher_url": _http_url(author, "author.url", problems) if isinstance(author, dict) else "",
        "date_published": _date(review.get("datePublished"), "datePublished", problems),
        "language": _language(review.get("inLanguage")),
        **_rating(review, problems),
    }
    for name, limit in _LIMITS.items():
        if len(fields[name]) > limit:
            problems.append(f"{name} was longer than {limit} characters and was cut.")
            fields[name] = fields[name][:limit]
    return ParsedReview(fields=fields, problems=problems, raw=review)


def _json_ld_items(tree, page: PageParse) -> list[dict]:
    """JSON-LD block by block, so one broken block is reported without hiding the others."""
    items: list[dict] = []
    for number, script in enumerate(tree.xpath('//script[@type="application/ld+json"]'), start=1):
        try:
            items.extend(JsonLdExtractor().extract_items(script))
        except ValueError as exc:  # json and jstyleson both raise ValueError subclasses
            page.problems.append(f"JSON-LD block {number} is not valid JSON ({exc}); it was skipped.")
    return items


def _microdata_items(tree, base_url: str | None, page: PageParse) -> list[dict]:
    try:
        return extruct.extract(tree, base_url=base_url, syntaxes=["microdata"], uniform=True)["microdata"]
    except Exception as exc:  # extruct's microdata reader has no narrower error type; one bad page must not crash
        page.problems.append(f"The microdata could not be read ({type(exc).__name__}); it was skipped.")
        return []


def _codec(name: str | None) -> str | None:
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


def _as_utf8(html: str | bytes, encoding: str | None) -> bytes:
    """The page as UTF-8 bytes, decoded the way browsers do: the HTTP charset, else a <meta charset>, else UTF-8
    if it decodes, else windows-1252. lxml alone would guess Latin-1 and garble UTF-8 pages without a <meta>."""
    if isinstance(html, str):
        return html.encode("utf-8", errors="replace")
    declared = _META_CHARSET.search(html[:4096])
    codec = _codec(encoding) or _codec(declared.group(1).decode("ascii") if declared else None)
    if codec is None:
        try:
            return html.decode("utf-8").encode("utf-8")
        except UnicodeDecodeError:
            codec = "cp1252"
    return html.decode(codec, errors="replace").encode("utf-8", errors="replace")


def parse_page(html: str | bytes, *, page_url: str = "", encoding: str | None = None) -> PageParse:
    """Read every ClaimReview on a page. `page_url` resolves relative URLs and stands in for a missing review url."""
    page = PageParse()
    if not html or not html.strip():
        page.problems.append("The page is empty.")
        return page
    try:
        tree = parse_html(_as_utf8(html, encoding), encoding="utf-8")
    except Exception as exc:  # lxml rejects some documents outright (e.g. only a comment); report, don't crash
        page.problems.append(f"The page is not readable HTML ({type(exc).__name__}).")
        return page
    found = _find_claim_reviews(_json_ld_items(tree, page)) + _find_claim_reviews(
        _microdata_items(tree, page_url or None, page)
    )
    if not found:
        page.problems.append("The page has no ClaimReview markup (neither JSON-LD nor microdata).")
        return page
    seen: set[str] = set()
    for number, raw in enumerate(found, start=1):
        fallback = page_url if number == 1 or not page_url else f"{page_url}#claimreview-{number}"
        try:
            review = parse_review(raw, fallback_url=fallback)
        except UnusableReview as exc:
            page.problems.append(f"ClaimReview {number} was skipped: {exc}.")
            continue
        if review.url in seen:
            # Pages often carry the same review twice (JSON-LD and microdata); the first one read wins.
            page.problems.append(f"ClaimReview {number} repeats {review.url}; the first one was kept.")
        else:
            seen.add(review.url)
            page.reviews.append(review)
    return page
