from rest_framework import serializers

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


class FactCheckSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="public_url", read_only=True)
    claim = serializers.CharField(source="claim.text", read_only=True)
    claimant = serializers.CharField(source="claim.claimant.name", default=None, allow_null=True, read_only=True)
    rating = RatingSerializer(source="current_version.rating", read_only=True)
    summary = serializers.CharField(source="current_version.summary", read_only=True)
    explanation = serializers.CharField(source="current_version.explanation", read_only=True)
    sources = serializers.JSONField(source="current_version.sources", read_only=True)
    version = serializers.IntegerField(source="current_version.number", read_only=True)
    corrections = serializers.SerializerMethodField()
    claim_review = serializers.SerializerMethodField()
    retracted = serializers.SerializerMethodField()

    class Meta:
        model = FactCheck
        fields = [
            "slug",
            "url",
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

    def get_corrections(self, fact_check: FactCheck) -> list[dict]:
        return [
            {"version": v.number, "note": v.note, "at": v.created_at} for v in fact_check.versions.all() if v.number > 1
        ]

    def get_claim_review(self, fact_check: FactCheck) -> dict | None:
        # The same object the page embeds: a retracted verdict's tombstone embeds none.
        if fact_check.retracted_at is not None:
            return None
        return claim_review_for(fact_check)

    def get_retracted(self, fact_check: FactCheck) -> dict | None:
        if fact_check.retracted_at is None:
            return None
        return {"at": fact_check.retracted_at, "reason": fact_check.retraction_reason}


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


class RetractInputSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=5000)
