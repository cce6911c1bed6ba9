from django.conf import settings

from core.links import reverse_all_once
from factcheck.site.ratings_css import sheet_version

# The addresses every public page links in its head, header and footer, and a verdict page's oEmbed link.
_SITE_LINKS = (
    ("list", "factcheck:list"),
    ("topics", "factcheck:topics"),
    ("corrections", "factcheck:corrections"),
    ("methodology", "factcheck:methodology"),
    ("ratings_css", "factcheck:ratings-css"),
    ("atom", "discovery:atom"),
    ("oembed", "discovery:oembed"),
)


def publisher(request) -> dict:
    return {
        "publisher_name": settings.FACTCHECK_PUBLISHER_NAME,
        "site_url": settings.SITE_URL,
        "site_links": reverse_all_once(_SITE_LINKS),
        # A callable: only templates that link /ratings.css read the colours.
        "ratings_css_version": sheet_version,
    }
