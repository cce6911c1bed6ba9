"""Markup the public lists repeat many times a page, written in Python: a card through Django's templates cost about
230 µs (an include, a nested include, two date filters), in Python 35 µs, and a list page shows 20.

Every value from the record goes through `escaped` (core/html.py); only our own literals are written unescaped.
"""

from django.utils import dateformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from core.html import escaped
from factcheck.record.cards import FactCheckCard


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
        return f'<a href="{escaped(card.claimant_url)}">{escaped(card.claimant_name)}</a> · '
    return f"{escaped(card.claimant_name)} · "


def _topics(card: FactCheckCard) -> str:
    if not card.topics:
        return ""
    return " · " + ", ".join(f'<a href="{escaped(topic.url)}">{escaped(topic.name)}</a>' for topic in card.topics)


def fact_check_card(card: FactCheckCard, heading: str = "h2") -> SafeString:
    """A fact-check in a list (record/cards.py): its claim linking to the verdict, the claimant, the rating, the
    date, whether it was corrected, its topics and, unless retracted, the summary."""
    h = "h3" if heading == "h3" else "h2"
    published = localtime(card.published_at)
    badge = rating_badge(card.rating_label, card.rating_colour, card.retracted)
    summary = "" if card.retracted else f'  <p class="summary">{escaped(card.summary)}</p>\n'
    return mark_safe(
        f'<article class="item">\n  <{h}><a href="{escaped(card.url)}" lang="{escaped(card.language)}">'
        f"{escaped(card.claim_text)}</a></{h}>\n"
        f'  <p class="meta">\n    {_claimant(card)}{badge}'
        f' · <time datetime="{published.isoformat()}">{escaped(dateformat.format(published, "j F Y"))}</time>'
        f"{' · corrected' if card.corrected else ''}{_topics(card)}\n  </p>\n{summary}</article>\n"
    )
