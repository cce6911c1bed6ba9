"""Reads of the published record, shaped for pages and the public API."""

from django.conf import settings
from django.db.models import QuerySet

from claims.errors import InvalidInput
from factcheck.claimreview import build_claim_review
from factcheck.models import FactCheck, Rating


def public_fact_checks() -> QuerySet[FactCheck]:
    return FactCheck.objects.select_related(
        "claim__claimant", "claim__report", "current_version__rating__scale",
        "current_version__fact_check",
    ).exclude(current_version=None)


def claim_review_for(fact_check: FactCheck) -> dict:
    version = fact_check.current_version
    version.fact_check = fact_check  # share the already loaded claim, claimant and report
    return build_claim_review(
        version, site_url=settings.SITE_URL, publisher_name=settings.FACTCHECK_PUBLISHER_NAME
    )


def default_ratings() -> QuerySet[Rating]:
    return Rating.objects.filter(scale__is_default=True).select_related("scale")


def rating_on_default_scale(slug: str) -> Rating:
    rating = default_ratings().filter(slug=slug).first()
    if rating is None:
        raise InvalidInput({"rating": [f"'{slug}' is not a rating on the scale."]})
    return rating
