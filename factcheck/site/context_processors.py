from django.conf import settings

from factcheck.site.ratings_css import sheet_version


def publisher(request) -> dict:
    return {
        "publisher_name": settings.FACTCHECK_PUBLISHER_NAME,
        "site_url": settings.SITE_URL,
        # A callable: only templates that link /ratings.css read the colours.
        "ratings_css_version": sheet_version,
    }
