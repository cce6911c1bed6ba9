"""Markup the public lists repeat many times a page, written in Python: a card through Django's templates cost about
230 µs (an include, a nested include, two date filters), in Python 55 µs, and a list page shows 20.

Escaping is format_html's: every value from the record goes in as a placeholder, never into the format string.
"""

from django.utils import dateformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import localtime

from factcheck.record.cards import FactCheckCard


def rating_badge(label: str, colour: str = "", retracted: bool = False) -> SafeString:
    """The label in white on the rating's colour (a class from /ratings.css: no inline styles under our CSP). A
    retracted verdict's badge is struck through, outlined in red and says so."""
    if retracted:
        return format_html('<span class="badge retracted"><del>{}</del> <strong>Retracted</strong></span>', label)
    return format_html('<span class="rating badge badge-{}">{}</span>', colour[1:], label)


def _claimant(card: FactCheckCard) -> SafeString | str:
    if not card.claimant_name:
        return ""
    if card.claimant_url:
        return format_html('<a href="{}">{}</a> · ', card.claimant_url, card.claimant_name)
    return format_html("{} · ", card.claimant_name)


def fact_check_card(card: FactCheckCard, heading: str = "h2") -> SafeString:
    """A fact-check in a list (record/cards.py): its claim linking to the verdict, the claimant, the rating, the
    date, whether it was corrected, its topics and, unless retracted, the summary."""
    published = localtime(card.published_at)
    topics = format_html_join(", ", '<a href="{}">{}</a>', ((topic.url, topic.name) for topic in card.topics))
    return format_html(
        '<article class="item">\n  <{h}><a href="{}" lang="{}">{}</a></{h}>\n  <p class="meta">\n    {}{}'
        ' · <time datetime="{}">{}</time>{}{}\n  </p>\n{}</article>\n',
        card.url,
        card.language,
        card.claim_text,
        _claimant(card),
        rating_badge(card.rating_label, card.rating_colour, card.retracted),
        published.isoformat(),
        dateformat.format(published, "j F Y"),
        " · corrected" if card.corrected else "",
        format_html(" · {}", topics) if card.topics else "",
        "" if card.retracted else format_html('  <p class="summary">{}</p>\n', card.summary),
        h="h3" if heading == "h3" else "h2",
    )
