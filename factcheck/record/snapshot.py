"""What a published version copies from rows that live on (the rating, its scale, the claimant, the report).

A version is shown from these copies alone, so editing one of those rows afterwards changes nothing already
published; a correction copies them again (`differs` tells whether that would change anything).
"""

from typing import Any

from claims.models import Claim
from factcheck.record.models import FactCheckVersion, Rating

SNAPSHOT_FIELDS = (
    "rating_label",
    "rating_value",
    "rating_definition",
    "rating_colour",
    "scale_name",
    "scale_best",
    "scale_worst",
    "claimant_name",
    "claimant_kind",
    "report_headline",
    "report_url",
    "report_outlet",
    "report_published_at",
)


def snapshot(*, rating: Rating, claim: Claim) -> dict[str, Any]:
    """The current values of everything a version shows besides its own text, keyed by FactCheckVersion field."""
    scale, claimant, report = rating.scale, claim.claimant, claim.report
    return {
        "rating_label": rating.label,
        "rating_value": rating.value,
        "rating_definition": rating.definition,
        "rating_colour": rating.colour,
        "scale_name": scale.name,
        "scale_best": scale.best,
        "scale_worst": scale.worst,
        "claimant_name": claimant.name if claimant else "",
        "claimant_kind": claimant.kind if claimant else "",
        "report_headline": report.headline if report else "",
        "report_url": report.url if report else "",
        "report_outlet": report.outlet if report else "",
        "report_published_at": report.published_at if report else None,
    }


def differs(version: FactCheckVersion, fresh: dict[str, Any]) -> bool:
    """Whether `fresh` (from `snapshot`) shows anything `version` does not."""
    return any(getattr(version, field) != fresh[field] for field in SNAPSHOT_FIELDS)
