"""A verdict page's claim header and list of sources, written in Python as the list's cards are (site/markup.py).

Through templates they took 170 and 110 µs of the 700 µs a cold verdict page spent rendering: a URL reversed for
each topic and for the claimant, three dates, a dozen conditions, and 25 µs for each source. The detail and version
pages show both. Every value from the record goes through `escaped`; only our own literals are written unescaped.
What people wrote has dir="auto", or a <bdi> inside our own words, as on the cards (site/markup.py).
"""

from collections.abc import Iterable, Sequence

from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone
from django.utils.translation import get_language

from claims.models import Claim, Topic
from core.html import escaped
from core.slugs import slug_url
from factcheck.record.models import FactCheckVersion
from factcheck.site.markup import written_time
from factcheck.site.pages.present import SourceLine


def claim_header(*, claim: Claim, version: FactCheckVersion, topics: Sequence[Topic], report_url: str) -> SafeString:
    """The claim as the version published it: its topics, text, claimant, date, the report it was made in, and the
    quote. `report_url` is the report's address when it may be linked (present.http_url), else ""."""
    language = escaped(claim.language)
    topic_url = slug_url("factcheck:topic")
    kicker = "".join(
        f'{", " if n else " · "}<a href="{escaped(topic_url(topic.slug))}" dir="auto">{escaped(topic.name)}</a>'
        for n, topic in enumerate(topics)
    )
    quote = f'\n  <blockquote lang="{language}" dir="auto">{escaped(claim.quote)}</blockquote>' if claim.quote else ""
    return mark_safe(
        f'<header class="claim">\n  <p class="kicker">Fact-check{kicker}</p>\n'
        f'  <h1 lang="{language}" dir="auto">{escaped(claim.text)}</h1>\n'
        f'  <p class="meta">\n    {_made_by_when_where(claim, version, report_url)}\n  </p>{quote}\n</header>'
    )


def _made_by_when_where(claim: Claim, version: FactCheckVersion, report_url: str) -> str:
    zone, language = get_current_timezone(), get_language()
    parts = []
    if version.claimant_name:
        name = escaped(version.claimant_name)
        if claim.claimant_id is not None:
            name = f'<a href="{escaped(slug_url("factcheck:claimant")(claim.claimant.slug))}" dir="auto">{name}</a>'
        else:
            name = f"<bdi>{name}</bdi>"
        parts.append(f"Claimed by {name}")
    if claim.claim_date:
        parts.append(f" on {written_time(claim.claim_date, zone, language)}")
    if version.report_headline:
        headline = escaped(version.report_headline)
        if report_url:
            parts.append(f' in <a href="{escaped(report_url)}" rel="nofollow noopener" dir="auto">{headline}</a>')
        else:
            parts.append(f" in “<bdi>{headline}</bdi>”")
        if version.report_outlet:
            parts.append(f" (<bdi>{escaped(version.report_outlet)}</bdi>)")
        if version.report_published_at:
            published = written_time(version.report_published_at, zone, language, date_only=True)
            parts.append(f", published {published}")
    return "".join(parts)


def source_items(sources: Iterable[SourceLine]) -> SafeString:
    """A version's sources as the <li> items of its numbered list (present.source_lines): the title linked to the
    source when it has an http(s) address, the publisher, when it was read and its archived copy."""
    zone, language = get_current_timezone(), get_language()
    items = []
    for source in sources:
        title = escaped(source.title)
        if source.url:
            title = f'<a href="{escaped(source.url)}" rel="nofollow noopener" dir="auto">{title}</a>'
        else:
            title = f"<bdi>{title}</bdi>"
        publisher = f", <bdi>{escaped(source.publisher)}</bdi>" if source.publisher else ""
        accessed = f", accessed {written_time(source.accessed_at, zone, language)}" if source.accessed_at else ""
        archived = (
            f' (<a href="{escaped(source.archive_url)}" rel="nofollow noopener">archived</a>)'
            if source.archive_url
            else ""
        )
        items.append(f"\n      <li>{title}{publisher}{accessed}{archived}</li>")
    return mark_safe("".join(items) + "\n  ")
