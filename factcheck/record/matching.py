"""Our verdicts in the matcher ("already fact-checked?"), kept current by the changes that record the published,
corrected and retracted events, in their transaction: a retracted verdict is never offered again."""

from django.conf import settings

from claims import indexing
from factcheck.record.models import FactCheck, FactCheckVersion


def index_version(version: FactCheckVersion) -> None:
    fact_check: FactCheck = version.fact_check
    claim = fact_check.claim
    text = claim.text if not claim.quote or claim.quote in claim.text else f"{claim.text} {claim.quote}"
    indexing.index_fact_check(
        claim_id=claim.pk,
        text=text,
        language=claim.language,
        payload={
            "claim": claim.text,  # what lists show: the indexed text may carry the quote after it
            "slug": fact_check.slug,
            "url": fact_check.public_url,
            "path": fact_check.get_absolute_url(),  # answers link it under SITE_URL as set then (claims.similar)
            "rating": version.rating_label,
            "rating_colour": version.rating_colour,
            "publisher": settings.FACTCHECK_PUBLISHER_NAME,
            "published_at": fact_check.published_at.isoformat(),
        },
    )


def withdraw(fact_check: FactCheck) -> None:
    indexing.withdraw_fact_check(claim_id=fact_check.claim_id)
