"""API shapes of candidates and "already fact-checked?" answers (claims.similar, claims.ingest.selectors)."""

from rest_framework import serializers

from claims.matching.models import MatchDocument
from claims.serializers import ClaimSerializer, TextField
from core.serializers import LanguageField, StrictInputSerializer


class VerdictLinkSerializer(serializers.Serializer):
    slug = serializers.CharField(allow_null=True, help_text="Ours only; null for another publisher's fact-check.")
    url = serializers.CharField()
    rating = serializers.CharField(allow_null=True)
    publisher = serializers.CharField(allow_null=True)
    published_at = serializers.CharField(allow_null=True, help_text="ISO date (or date and time) of publication.")


class SimilarItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MatchDocument.Kind.choices)
    id = serializers.IntegerField(help_text="The claim's id (claims and our fact-checks) or the external fact-check's.")
    text = serializers.CharField()
    language = serializers.CharField()
    score = serializers.FloatField(help_text="0 to 1: how likely the two say the same thing.")
    fact_check = VerdictLinkSerializer(allow_null=True, help_text="The verdict it carries; null for a bare claim.")


class ClaimWithSimilarSerializer(ClaimSerializer):
    """A new claim, with what it resembles: `already_fact_checked` is the best verdict above the desk's threshold."""

    similar = SimilarItemSerializer(many=True, read_only=True)
    already_fact_checked = SimilarItemSerializer(read_only=True, allow_null=True)

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "similar", "already_fact_checked"]
        read_only_fields = fields


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="sentence_id", help_text="Give it as `sentence` to POST claims/.")
    position = serializers.IntegerField()
    text = serializers.CharField()
    start = serializers.IntegerField(help_text="Offset in the report's body: body[start:end] is the text.")
    end = serializers.IntegerField()
    score = serializers.FloatField(help_text="Check-worthiness, 0 to 1.")
    match = SimilarItemSerializer(allow_null=True, help_text="The closest earlier claim or verdict, if close.")
    already_fact_checked = serializers.BooleanField()


class SimilarQueryInputSerializer(StrictInputSerializer):
    text = TextField(max_length=5000)
    language = LanguageField()
    limit = serializers.IntegerField(required=False, min_value=1, max_value=20, default=5)


class DuplicateInputSerializer(StrictInputSerializer):
    canonical = serializers.IntegerField(help_text="The id of the claim this one repeats.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
