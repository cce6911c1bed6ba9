from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from factcheck.site.ratings_css import sheet_version

# The addresses every public page links in its head, header and footer, and a verdict page's oEmbed link.
_SITE_LINKS = {
    "list": "factcheck:list",
    "topics": "factcheck:topics",
    "corrections": "factcheck:corrections",
    "methodology": "factcheck:methodology",
    "ratings_css": "factcheck:ratings-css",
    "atom": "discovery:atom",
    "oembed": "discovery:oembed",
}


@lru_cache(maxsize=16)
def _site_links(script_prefix: str, urlconf: str | None, root_urlconf: str) -> dict[str, str]:
    # Reversed once per URL map and prefix instead of nine times a page (each reverse costs about 50 µs).
    return {key: reverse(name) for key, name in _SITE_LINKS.items()}


def publisher(request) -> dict:
    return {
        "publisher_name": settings.FACTCHECK_PUBLISHER_NAME,
        "site_url": settings.SITE_URL,
        "site_links": _site_links(get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF),
        # A callable: only templates that link /ratings.css read the colours.
        "ratings_css_version": sheet_version,
    }
