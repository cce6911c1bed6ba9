from functools import lru_cache
from types import MappingProxyType

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf

from core.links import reverse_once
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


def publisher(request) -> dict:
    return {
        "publisher_name": settings.FACTCHECK_PUBLISHER_NAME,
        "site_url": settings.SITE_URL,
        "site_links": _site_links(get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF),
        # A callable: only templates that link /ratings.css read the colours.
        "ratings_css_version": sheet_version,
    }


@lru_cache(maxsize=64)
def _site_links(script_prefix: str, urlconf: str | None, root_urlconf: str) -> MappingProxyType:
    # Once per URL map and script prefix, as core.links does for each address: every page shows the same links.
    return MappingProxyType({key: reverse_once(route) for key, route in _SITE_LINKS.items()})
