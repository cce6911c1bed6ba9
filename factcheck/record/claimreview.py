"""Pure: a fact-check version → the schema.org ClaimReview JSON-LD object its page embeds and the API returns.

The rating, claimant and report come from the version's own copies (record/snapshot.py), never the live rows. The
claim's later repetitions (claims.ingest's ClaimAppearance) are live facts about the claim, not part of the frozen
verdict: `with_repetitions` adds them to a built object where a page or an answer shows them.
"""

import copy
from collections.abc import Iterable
from typing import Any

from claims.ingest.models import ClaimAppearance
from factcheck.record.models import FactCheckVersion


def _on_scale(version: FactCheckVersion) -> bool:
    low, high = sorted((version.scale_worst, version.scale_best))
    return version.rating_value is not None and low <= version.rating_value <= high


def _rating(version: FactCheckVersion) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Rating", "alternateName": version.rating_label}
    # A value beyond its scale (frozen before the rating's form refused one) would tell readers nothing true: such a
    # verdict is rated by its label alone, as one off the scale is.
    if _on_scale(version):
        data |= {
            "ratingValue": version.rating_value,
            "bestRating": version.scale_best,
            "worstRating": version.scale_worst,
        }
    return data


def _item_reviewed(version: FactCheckVersion) -> dict[str, Any]:
    claim = version.fact_check.claim
    item: dict[str, Any] = {"@type": "Claim"}
    if version.claimant_name:
        item["author"] = {"@type": version.claimant_kind, "name": version.claimant_name}
    if claim.claim_date:
        item["datePublished"] = claim.claim_date.isoformat()
    if version.report_url:
        appearance: dict[str, Any] = {
            "@type": "CreativeWork",
            "url": version.report_url,
            "headline": version.report_headline,
        }
        if version.report_published_at:
            appearance["datePublished"] = version.report_published_at.date().isoformat()
        if version.report_outlet:
            appearance["publisher"] = {"@type": "Organization", "name": version.report_outlet}
        item["appearance"] = [appearance]
        item["firstAppearance"] = appearance
    return item


def build_claim_review(version: FactCheckVersion, *, site_url: str, publisher_name: str) -> dict[str, Any]:
    fact_check = version.fact_check
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": site_url + fact_check.get_absolute_url(),
        "claimReviewed": fact_check.claim.text,
        "datePublished": fact_check.published_at.date().isoformat(),
        "dateModified": version.created_at.isoformat(),
        "inLanguage": fact_check.claim.language,
        "author": {"@type": "Organization", "name": publisher_name, "url": site_url + "/"},
        "reviewRating": _rating(version),
        "itemReviewed": _item_reviewed(version),
    }


def repetition(appearance: ClaimAppearance) -> dict[str, Any]:
    """A report that repeated the claim, as a schema.org CreativeWork; its author is the claimant when one is known.
    Reads `appearance.report` and `appearance.claimant`: select them with the appearance."""
    report = appearance.report
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if report.url:
        work["url"] = report.url
    work["headline"] = report.headline or appearance.quote
    if report.published_at:
        work["datePublished"] = report.published_at.date().isoformat()
    if appearance.claimant:
        work["author"] = {"@type": appearance.claimant.kind, "name": appearance.claimant.name}
    if report.outlet:
        work["publisher"] = {"@type": "Organization", "name": report.outlet}
    return work


def with_repetitions(claim_review: dict[str, Any], appearances: Iterable[ClaimAppearance]) -> dict[str, Any]:
    """A copy of `claim_review` whose itemReviewed lists the repetitions after the report the claim came from."""
    repeated = [repetition(appearance) for appearance in appearances]
    if not repeated:
        return claim_review
    review = copy.deepcopy(claim_review)
    item = review["itemReviewed"]
    item["appearance"] = [*item.get("appearance", []), *repeated]
    return review
