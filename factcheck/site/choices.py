"""What several public pages derive from all the published fact-checks: the list's filter choices, whose topic counts
the topic index and topic pages show too.

Counting them takes 1.5 s at a million claims, so a task counts them again after each publication
(`refresh_filter_choices`, sent by core.freshness.invalidate_public_pages) while pages show the previous counts; the
page cache keeps a page built from those only until the recount lands (core.freshness.lagging_value).
"""

from factcheck.record.selectors import FilterChoices, public_filter_choices
from factcheck.site.cache import lagging, refresh_lagging

FILTER_CHOICES = "filter-choices"


def filter_choices() -> FilterChoices:
    # A verdict's rating or topic may join the dropdowns a moment after the verdict joins the list: at a million
    # claims the counts take longer than publications may take to follow each other.
    return lagging(FILTER_CHOICES, public_filter_choices)


def topic_count(slug: str) -> int:
    """The published fact-checks on a topic (retracted ones too, as its page lists their tombstones)."""
    return next((count for topic, _, count in filter_choices().topics if topic == slug), 0)


def refresh_filter_choices() -> int:
    """Count the choices for the current content unless that is done or under way (a task, after each publication)."""
    return refresh_lagging(FILTER_CHOICES, public_filter_choices)
