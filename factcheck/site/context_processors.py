from django.conf import settings


def publisher(request) -> dict:
    return {"publisher_name": settings.FACTCHECK_PUBLISHER_NAME, "site_url": settings.SITE_URL}
