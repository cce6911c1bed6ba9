"""Claims as the desk answers them: with the verdict each one shows (its own, or its canonical claim's for a
duplicate), read once per page in lists."""

from django.db.models import Manager
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.ingest.serializers import ClaimWithSimilarSerializer
from claims.models import Claim
from claims.serializers import ClaimSerializer
from factcheck.record import selectors as record_selectors
from factcheck.record.models import FactCheck


class FollowedVerdictSerializer(serializers.Serializer):
    slug = serializers.CharField()
    url = serializers.CharField(source="public_url", help_text="The verdict's public page (a tombstone if retracted).")
    rating = serializers.SerializerMethodField(help_text="The rating's label; null once the verdict is retracted.")

    def get_rating(self, fact_check: FactCheck) -> str | None:
        return None if fact_check.retracted_at else fact_check.current_version.rating_label


def attach_verdicts(claims: list[Claim]) -> None:
    """Give each claim the verdict it follows (its own, or its canonical claim's) in one query."""
    found = record_selectors.verdicts_of(claims)
    for claim in claims:
        claim.followed_verdict = found.get(claim.pk)


class WithVerdictsList(serializers.ListSerializer):
    def to_representation(self, data):
        claims = list(data.all() if isinstance(data, Manager) else data)
        attach_verdicts(claims)
        return super().to_representation(claims)


class FollowsVerdict(serializers.Serializer):
    """Adds `verdict` to a claim's answer: the published verdict it shows, read once per page in a list."""

    verdict = serializers.SerializerMethodField()

    @extend_schema_field(
        FollowedVerdictSerializer(
            allow_null=True,
            help_text="The verdict the claim shows: its own, or, for a duplicate, its canonical claim's; null while "
            "there is none.",
        )
    )
    def get_verdict(self, claim: Claim) -> dict | None:
        if not hasattr(claim, "followed_verdict"):
            claim.followed_verdict = record_selectors.verdict_of(claim)
        return FollowedVerdictSerializer(claim.followed_verdict).data if claim.followed_verdict else None


class DeskClaimSerializer(FollowsVerdict, ClaimSerializer):
    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "verdict"]
        read_only_fields = fields
        list_serializer_class = WithVerdictsList


class NewClaimSerializer(FollowsVerdict, ClaimWithSimilarSerializer):
    class Meta(ClaimWithSimilarSerializer.Meta):
        fields = [*ClaimWithSimilarSerializer.Meta.fields, "verdict"]
        read_only_fields = fields
