"""Pure: a fact-check version → the schema.org ClaimReview JSON-LD object its page embeds and the API returns."""

from typing import Any

from factcheck.record.models import FactCheckVersion


def _rating(version: FactCheckVersion) -> dict[str, Any]:
    rating = version.rating
    data: dict[str, Any] = {"@type": "Rating", "alternateName": rating.label}
    if rating.value is not None:
        data |= {
            "ratingValue": rating.value,
            "bestRating": rating.scale.best,
            "worstRating": rating.scale.worst,
        }
    return data


def _item_reviewed(version: FactCheckVersion) -> dict[str, Any]:
    claim = version.fact_check.claim
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.claimant:
        item["author"] = {"@type": claim.claimant.kind, "name": claim.claimant.name}
    if claim.claim_date:
        item["datePublished"] = claim.claim_date.isoformat()
    report = claim.report
    if report and report.url:
        appearance: dict[str, Any] = {"@type": "CreativeWork", "url": report.url, "headline": report.headline}
        if report.published_at:
            appearance["datePublished"] = report.published_at.date().isoformat()
        if report.outlet:
            appearance["publisher"] = {"@type": "Organization", "name": report.outlet}
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
