"""Markup the public pages repeat many times a page, written in Python: a card through Django's templates cost about
230 µs (an include, a nested include, two date filters), in Python 35 µs, and a list page shows 20. A date through
the `date` filter cost about 40 µs, and a verdict page shows a dozen. A verdict's social tags (a dozen values, three
truncations, two dates, `spaceless`) took an eighth of a cold verdict page's Python through a template.

Every value from the record goes through `escaped` (core/html.py); only our own literals are written unescaped.
What people wrote (claims, names, summaries, topics) sits in an element with dir="auto", or in a <bdi> where it runs
inside our own words: a claim in Arabic or Hebrew then reads right to left without reordering the text around it.
"""

import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, tzinfo
from functools import lru_cache
from urllib.parse import quote

from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import get_current_timezone, localtime
from django.utils.translation import get_language

from core.html import escaped
from factcheck.record.cards import FactCheckCard


@lru_cache(maxsize=256)
def _month_name(month: int, language: str | None) -> str:
    # `language` only keys the cache: MONTHS translates into the active language, which the caller passes.
    return str(MONTHS[month])


def long_date(value: date, language: str | None) -> str:
    """The date as `{{ value|date:"j F Y" }}` writes it with `language` active ("6 November 2026"), without the date
    filter's per-call formatter: a verdict page shows a dozen dates and a list page twenty."""
    return f"{value.day} {_month_name(value.month, language)} {value.year}"


def time_element(value: date | datetime | None, *, date_only: bool = False) -> SafeString:
    """A <time> element for a date or a datetime, in the site's time zone as the `date` filter shows it;
    `date_only` gives a datetime's machine-readable value as its day alone (a report's publication)."""
    if value is None:
        return mark_safe("")
    return mark_safe(written_time(value, get_current_timezone(), get_language(), date_only=date_only))


def written_time(value: date | datetime, zone: tzinfo, language: str | None, *, date_only: bool = False) -> str:
    # The zone and the language are looked up by the caller: each lookup reads a context-local value (about 4 µs),
    # and a list page writes twenty dates in the same ones.
    if isinstance(value, datetime) and value.utcoffset() is not None:
        value = value.astimezone(zone)
    if date_only and isinstance(value, datetime):
        value = value.date()
    return f'<time datetime="{value.isoformat()}">{escaped(long_date(value, language))}</time>'


def rating_badge(label: str, colour: str = "", retracted: bool = False) -> SafeString:
    """The label in white on the rating's colour (a class from /ratings.css: no inline styles under our CSP). A
    retracted verdict's badge is struck through, outlined in red and says so."""
    if retracted:
        return mark_safe(f'<span class="badge retracted"><del>{escaped(label)}</del> <strong>Retracted</strong></span>')
    return mark_safe(f'<span class="rating badge badge-{escaped(colour[1:])}">{escaped(label)}</span>')


def _claimant(card: FactCheckCard) -> str:
    if not card.claimant_name:
        return ""
    if card.claimant_url:
        return f'<a href="{escaped(card.claimant_url)}" dir="auto">{escaped(card.claimant_name)}</a> · '
    return f"<bdi>{escaped(card.claimant_name)}</bdi> · "


def _topics(card: FactCheckCard) -> str:
    if not card.topics:
        return ""
    return " · " + ", ".join(
        f'<a href="{escaped(topic.url)}" dir="auto">{escaped(topic.name)}</a>' for topic in card.topics
    )


def fact_check_cards(cards: Iterable[FactCheckCard], heading: str = "h2") -> SafeString:
    """A list's fact-checks (record/cards.py), one after the other: each claim linking to its verdict, the claimant,
    the rating, the date, whether it was corrected, its topics and, unless retracted, the summary."""
    h = "h3" if heading == "h3" else "h2"
    zone, language = get_current_timezone(), get_language()
    return mark_safe("".join(_card(card, h, zone, language) for card in cards))


def _card(card: FactCheckCard, h: str, zone: tzinfo, language: str | None) -> str:
    badge = rating_badge(card.rating_label, card.rating_colour, card.retracted)
    summary = "" if card.retracted else f'  <p class="summary" dir="auto">{escaped(card.summary)}</p>\n'
    return (
        f'<article class="item">\n  <{h}><a href="{escaped(card.url)}" lang="{escaped(card.language)}" dir="auto">'
        f"{escaped(card.claim_text)}</a></{h}>\n"
        f'  <p class="meta">\n    {_claimant(card)}{badge}'
        f" · {written_time(card.published_at, zone, language)}"
        f"{' · corrected' if card.corrected else ''}{_topics(card)}\n  </p>\n{summary}</article>\n"
    )


def datalist(element_id: str, values: list[str]) -> SafeString:
    """A <datalist> of suggestions (the list's claimant field offers frequent names); nothing when there are none."""
    if not values:
        return mark_safe("")
    options = "".join(f'<option value="{escaped(value)}"></option>' for value in values)
    return mark_safe(f'\n      <datalist id="{escaped(element_id)}">{options}</datalist>')


def truncated(text: str, limit: int) -> str:
    """`text` as the `truncatechars` filter gives it, without its per-call cost (two translation lookups and a walk
    over every character) for the commonest case: a text already within the limit."""
    if len(text) <= limit and unicodedata.is_normalized("NFC", text):
        return text
    return Truncator(text).chars(limit)


def social_meta(
    *, publisher_name: str, site_url: str, oembed_path: str, fact_check, claim_text: str, version
) -> SafeString:
    """Open Graph and Twitter card tags for a verdict's page, and its oEmbed discovery link, for the page's <head>.
    A retracted verdict's tags say so and show neither the rating nor the summary."""
    url = fact_check.public_url
    short_title = truncated(claim_text, 70)
    if fact_check.retracted_at:
        og_description = f"This fact-check was retracted: {truncated(fact_check.retraction_reason, 160)}"
        twitter_description = "This fact-check was retracted."
    else:
        og_description = twitter_description = f"{version.rating_label}. {truncated(version.summary, 180)}"
    tags = (
        ("property", "og:type", "article"),
        ("property", "og:site_name", publisher_name),
        ("property", "og:url", url),
        ("property", "og:title", f"Fact-check: {truncated(claim_text, 90)}"),
        ("property", "og:description", og_description),
        ("property", "article:published_time", localtime(fact_check.published_at).isoformat()),
        ("property", "article:modified_time", localtime(fact_check.updated_at).isoformat()),
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", f"Fact-check: {short_title}"),
        ("name", "twitter:description", twitter_description),
    )
    meta = "".join(f'<meta {kind}="{name}" content="{escaped(value)}">' for kind, name, value in tags)
    oembed = f"{site_url}{oembed_path}?url={quote(url, safe='')}&format=json"
    link = f'<link rel="alternate" type="application/json+oembed" href="{escaped(oembed)}"'
    return mark_safe(f'{meta}{link} title="Fact-check: {escaped(short_title)}">')
