import json
from collections.abc import Iterable

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from factcheck.record.cards import FactCheckCard
from factcheck.site import markup, verdict_markup
from factcheck.site.pages.present import SourceLine

register = template.Library()

# The characters that could end a <script> element or open a comment inside it, as JSON escapes. Replaced one by one:
# str.translate walks the text in Python-level lookups (66 µs for a verdict's ClaimReview, against 1 µs).
_SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


@register.filter
def jsonld(data: dict) -> str:
    """Render a dict as a JSON-LD script element, safe against `</script>` in user text."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    for character, escape in _SCRIPT_ESCAPES:
        payload = payload.replace(character, escape)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')


@register.filter
def truncated(text: str, limit: int) -> str:
    """As `truncatechars`, cheaper for a text within the limit (site/markup.py)."""
    return markup.truncated(text, limit)


@register.simple_tag
def rating_badge(label: str, colour: str = "", retracted: bool = False) -> SafeString:
    return markup.rating_badge(label, colour, retracted)


@register.simple_tag
def fact_check_cards(cards: Iterable[FactCheckCard], heading: str = "h2") -> SafeString:
    """A list page's cards (a Page of FactCheckCard, site/markup.py), written in one call rather than a tag each."""
    return markup.fact_check_cards(cards, heading)


@register.simple_tag
def time_tag(value, date_only: bool = False) -> SafeString:
    """`<time datetime="…">6 November 2026</time>` for a date or datetime (site/markup.py)."""
    return markup.time_element(value, date_only=date_only)


@register.simple_tag
def datalist(element_id: str, values: list[str]) -> SafeString:
    return markup.datalist(element_id, values)


@register.simple_tag(takes_context=True)
def social_meta(context) -> SafeString:
    """A verdict page's social card tags and oEmbed link (site/markup.py); needs `fact_check`, `claim` and `version`."""
    return markup.social_meta(
        publisher_name=context["publisher_name"],
        site_url=context["site_url"],
        oembed_path=context["site_links"]["oembed"],
        fact_check=context["fact_check"],
        claim_text=context["claim"].text,
        version=context["version"],
    )


@register.simple_tag(takes_context=True)
def claim_header(context) -> SafeString:
    """A verdict page's claim header (site/verdict_markup.py); needs `claim`, `version`, `topics` and `report_url`."""
    return verdict_markup.claim_header(
        claim=context["claim"], version=context["version"], topics=context["topics"], report_url=context["report_url"]
    )


@register.simple_tag
def source_items(sources: Iterable[SourceLine]) -> SafeString:
    return verdict_markup.source_items(sources)
