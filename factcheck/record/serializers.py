from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from core.renderers import in_current_timezone
from core.serializers import StrictInputSerializer
from factcheck.record.models import FactCheck, Rating, RatingScale
from factcheck.record.selectors import claim_review_for


class RatingSerializer(serializers.ModelSerializer):
    best = serializers.IntegerField(source="scale.best", read_only=True)
    worst = serializers.IntegerField(source="scale.worst", read_only=True)

    class Meta:
        model = Rating
        fields = ["slug", "label", "value", "best", "worst", "definition"]
        read_only_fields = fields


class RatingScaleSerializer(serializers.ModelSerializer):
    ratings = RatingSerializer(many=True, read_only=True)

    class Meta:
        model = RatingScale
        fields = ["slug", "name", "best", "worst", "is_default", "ratings"]
        read_only_fields = fields


class VerdictRatingSerializer(serializers.Serializer):
    """The rating as the version shows it: copied at publication or at the last correction, never the live row."""

    slug = serializers.CharField(source="rating.slug", read_only=True)
    label = serializers.CharField(source="rating_label", read_only=True)
    value = serializers.IntegerField(source="rating_value", allow_null=True, read_only=True)
    best = serializers.IntegerField(source="scale_best", read_only=True)
    worst = serializers.IntegerField(source="scale_worst", read_only=True)
    definition = serializers.CharField(source="rating_definition", read_only=True)


class RetractionSerializer(serializers.Serializer):
    at = serializers.DateTimeField(source="retracted_at", read_only=True)
    reason = serializers.CharField(source="retraction_reason", read_only=True, help_text="The public retraction note.")


def _claimant(fact_check: FactCheck) -> str | None:
    return fact_check.current_version.claimant_name or None


class RetractedFactCheckSerializer(serializers.ModelSerializer):
    """A retracted verdict as its page shows it, a tombstone: which claim, when and why it was withdrawn, and
    nothing of the verdict itself (no rating, summary, explanation, sources or ClaimReview)."""

    url = serializers.CharField(source="public_url", read_only=True)
    status = serializers.SerializerMethodField()
    claim = serializers.CharField(source="claim.text", read_only=True)
    claimant = serializers.SerializerMethodField()
    retracted = RetractionSerializer(source="*", read_only=True)

    class Meta:
        model = FactCheck
        fields = ["slug", "url", "status", "claim", "claimant", "published_at", "updated_at", "retracted"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": ["retracted"]})
    def get_status(self, fact_check: FactCheck) -> str:
        return "retracted"

    def get_claimant(self, fact_check: FactCheck) -> str | None:
        return _claimant(fact_check)


class FactCheckSerializer(serializers.ModelSerializer):
    """A standing verdict as published: its current version. A retracted one is answered in the tombstone shape
    instead, wherever it is rendered (the API, webhooks)."""

    url = serializers.CharField(source="public_url", read_only=True)
    status = serializers.SerializerMethodField()
    claim = serializers.CharField(source="claim.text", read_only=True)
    claimant = serializers.SerializerMethodField()
    rating = VerdictRatingSerializer(source="current_version", read_only=True)
    summary = serializers.CharField(source="current_version.summary", read_only=True)
    explanation = serializers.CharField(source="current_version.explanation", read_only=True)
    sources = serializers.JSONField(source="current_version.sources", read_only=True)
    version = serializers.IntegerField(source="current_version.number", read_only=True)
    corrections = serializers.SerializerMethodField()
    claim_review = serializers.SerializerMethodField()
    retracted = serializers.SerializerMethodField(help_text="Always null here: a retracted verdict is a tombstone.")

    class Meta:
        model = FactCheck
        fields = [
            "slug",
            "url",
            "status",
            "claim",
            "claimant",
            "rating",
            "summary",
            "explanation",
            "sources",
            "published_at",
            "updated_at",
            "version",
            "corrections",
            "retracted",
            "claim_review",
        ]
        read_only_fields = fields

    def to_representation(self, fact_check: FactCheck) -> dict:
        if fact_check.retracted_at is not None:
            return RetractedFactCheckSerializer(fact_check, context=self.context).data
        return super().to_representation(fact_check)

    @extend_schema_field({"type": "string", "enum": ["published"]})
    def get_status(self, fact_check: FactCheck) -> str:
        return "published"

    def get_claimant(self, fact_check: FactCheck) -> str | None:
        return _claimant(fact_check)

    def get_corrections(self, fact_check: FactCheck) -> list[dict]:
        return [
            {"version": v.number, "note": v.note, "at": v.created_at} for v in fact_check.versions.all() if v.number > 1
        ]

    def get_claim_review(self, fact_check: FactCheck) -> dict:
        return claim_review_for(fact_check, with_repeats=True)

    def get_retracted(self, fact_check: FactCheck) -> dict | None:
        return None


# The public list at speed: FactCheckSerializer's answer built as plain dicts from the same rows. The DRF fields
# cost more than the ClaimReview itself at a page of 25; tests/api/test_keyset_pagination.py holds the paths equal.
# Dates and times stay objects, which OrjsonRenderer writes as the serializer's fields would.


def _tombstone(fact_check: FactCheck) -> dict:
    return {
        "slug": fact_check.slug,
        "url": fact_check.public_url,
        "status": "retracted",
        "claim": fact_check.claim.text,
        "claimant": _claimant(fact_check),
        "published_at": in_current_timezone(fact_check.published_at),
        "updated_at": in_current_timezone(fact_check.updated_at),
        "retracted": {"at": in_current_timezone(fact_check.retracted_at), "reason": fact_check.retraction_reason},
    }


def fact_check_answer(fact_check: FactCheck) -> dict:
    """What FactCheckSerializer answers for one fact-check (read with `public_fact_checks()` and its prefetches)."""
    if fact_check.retracted_at is not None:
        return _tombstone(fact_check)
    version = fact_check.current_version
    return {
        "slug": fact_check.slug,
        "url": fact_check.public_url,
        "status": "published",
        "claim": fact_check.claim.text,
        "claimant": _claimant(fact_check),
        "rating": {
            "slug": version.rating.slug,
            "label": version.rating_label,
            "value": version.rating_value,
            "best": version.scale_best,
            "worst": version.scale_worst,
            "definition": version.rating_definition,
        },
        "summary": version.summary,
        "explanation": version.explanation,
        "sources": version.sources,
        "published_at": in_current_timezone(fact_check.published_at),
        "updated_at": in_current_timezone(fact_check.updated_at),
        "version": version.number,
        "corrections": [
            {"version": v.number, "note": v.note, "at": v.created_at} for v in fact_check.versions.all() if v.number > 1
        ],
        "retracted": None,
        "claim_review": claim_review_for(fact_check, with_repeats=True),
    }


def public_fact_check_schema(*, many: bool = False) -> PolymorphicProxySerializer:
    """What the public fact-check endpoints answer, for the OpenAPI schema: the verdict, or the tombstone of a
    retracted one, told apart by `status`."""
    return PolymorphicProxySerializer(
        component_name="PublicFactCheck",
        serializers={"published": FactCheckSerializer, "retracted": RetractedFactCheckSerializer},
        resource_type_field_name="status",
        many=many,
    )


class HttpUrlField(serializers.URLField):
    """A URL that must be http(s): javascript:, data: and the like never reach a public page."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError("Enter an http(s) URL.")
        return value


class SourceInputSerializer(StrictInputSerializer):
    url = HttpUrlField(max_length=1000)
    title = serializers.CharField(max_length=300)
    publisher = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    archive_url = HttpUrlField(max_length=1000, required=False, allow_blank=True, default="")


class CorrectionInputSerializer(StrictInputSerializer):
    note = serializers.CharField(max_length=5000)
    rating = serializers.SlugField(required=False)
    summary = serializers.CharField(max_length=1000, required=False)
    explanation = serializers.CharField(max_length=50_000, required=False)
    sources = SourceInputSerializer(many=True, required=False, max_length=100)
    based_on = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The version number this correction was written against: when the verdict was corrected since, "
        "the correction is refused with 409 instead of undoing the other one.",
    )


class RetractInputSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=5000)
