from rest_framework import serializers
from rest_framework.settings import api_settings

from claims.serializers import ClaimSerializer
from core.serializers import StrictInputSerializer
from factcheck.record.serializers import SourceInputSerializer
from reviews.claim_serializers import DeskClaimSerializer
from reviews.models import Assignment, Review, ReviewerProfile, Source, SweepFailure


class ReviewInputSerializer(StrictInputSerializer):
    rating = serializers.SlugField(required=False, allow_null=True, default=None)
    summary = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    explanation = serializers.CharField(max_length=50_000, required=False, allow_blank=True, default="")
    sources = SourceInputSerializer(many=True, required=False, default=list, max_length=100)


class ReviewDraftInputSerializer(StrictInputSerializer):
    """A partial autosave of the draft: only the fields sent change; sources have their own endpoints."""

    rating = serializers.SlugField(required=False, allow_null=True)
    summary = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    explanation = serializers.CharField(max_length=50_000, required=False, allow_blank=True)


class SourceOrderInputSerializer(StrictInputSerializer):
    order = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        max_length=100,
        allow_empty=True,
        help_text="Every source id of the review, once each, in the new order.",
    )


class SourceSerializer(serializers.ModelSerializer):
    # Blank when the source has no archived copy; "" is not a valid "uri" in the schema.
    archive_url = serializers.CharField(read_only=True)

    class Meta:
        model = Source
        fields = ["id", "url", "title", "publisher", "archive_url", "accessed_at"]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer):
    claim = serializers.IntegerField(source="claim_id", read_only=True)
    reviewer = serializers.CharField(source="reviewer.username", read_only=True)
    rating = serializers.CharField(source="rating.slug", default=None, allow_null=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = ["claim", "reviewer", "rating", "summary", "explanation", "sources", "updated_at", "submitted_at"]
        read_only_fields = fields


class AssignmentSerializer(serializers.ModelSerializer):
    claim = ClaimSerializer(read_only=True)
    reviewer = serializers.CharField(source="reviewer.username", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "claim", "reviewer", "state", "offered_at", "accept_by", "accepted_at", "due_at", "finished_at",
                  "reason"]  # fmt: skip
        read_only_fields = fields


class PublishedLinkSerializer(serializers.Serializer):
    slug = serializers.CharField()
    url = serializers.URLField()


class ApprovalSerializer(serializers.Serializer):
    """The answer to an approval: the published claim and where its verdict now lives."""

    claim = DeskClaimSerializer()
    fact_check = PublishedLinkSerializer()


class ReasonInputSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class NoteInputSerializer(StrictInputSerializer):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ApproveInputSerializer(NoteInputSerializer):
    submitted_at = serializers.DateTimeField(
        required=False,
        help_text="The review's `submitted_at` as `GET claims/{id}/review/` showed it when it was read: when the "
        "review was returned and submitted again since, the approval is refused with 409 instead of publishing a "
        "verdict nobody read. Left out, whatever awaits approval is published.",
    )


class AssignInputSerializer(StrictInputSerializer):
    # The id `GET reviewers/` lists: the API shows no user ids, so a user id here named whoever had that id.
    reviewer = serializers.PrimaryKeyRelatedField(
        queryset=ReviewerProfile.objects.all(),
        help_text="The reviewer's `id` as `GET reviewers/` lists it.",
        error_messages={"does_not_exist": "No such reviewer: send an id from GET reviewers/."},
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    based_on_assignment = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text="The `id` of the claim's active assignment when the choice was made (`GET assignments/?claim=`), or "
        "null when it had none: when another one is active now (someone assigned or reassigned the claim since), "
        "the assignment is refused with 409 instead of withdrawing that offer. Left out, any active one is released.",
    )


class ReviewerProfileSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    load = serializers.IntegerField(read_only=True)

    class Meta:
        model = ReviewerProfile
        fields = ["id", "username", "languages", "topics", "capacity", "active", "away_until", "load"]
        read_only_fields = fields


class ReviewerProfileInputSerializer(StrictInputSerializer):
    """Reviewers may send languages, topics and away_until; editors also active and capacity."""

    languages = serializers.ListField(
        child=serializers.CharField(max_length=10),
        required=False,
        max_length=20,
        help_text='Language codes, e.g. ["en", "pt-br"]; kept lower case, each once, in the order given.',
    )
    topics = serializers.ListField(child=serializers.SlugField(), required=False, max_length=50)
    away_until = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Back on this day: today or later (a past day is refused); null when the reviewer is back.",
    )
    active = serializers.BooleanField(required=False)
    capacity = serializers.IntegerField(required=False, min_value=1, max_value=1000)


class StuckRowSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=SweepFailure.Step.choices, help_text="The part of the sweep that failed.")
    row = serializers.IntegerField(help_text="The assignment (expire, escalate) or claim (route, alert) it skipped.")
    claim = serializers.IntegerField()
    error = serializers.CharField()
    failed_at = serializers.DateTimeField()


class DeskStatsSerializer(serializers.Serializer):
    claims_by_status = serializers.DictField(child=serializers.IntegerField())
    overdue = serializers.ListField(child=serializers.DictField())
    reviewers = serializers.ListField(child=serializers.DictField())
    median_seconds_queued_to_published = serializers.FloatField(allow_null=True)
    stuck = StuckRowSerializer(many=True, help_text="Rows the last queue sweep could not handle and skipped.")


class EmptyInputSerializer(StrictInputSerializer):
    """The body of a call that takes none: absent or `{}`; any key is refused with 400, saying so (the strict base's
    "Accepted fields: ." listed nothing)."""

    NO_FIELDS = "Unknown field: this call takes no body fields (send no body, or {})."

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as refused:
            if not isinstance(refused.detail, dict) or api_settings.NON_FIELD_ERRORS_KEY in refused.detail:
                raise
            raise serializers.ValidationError({key: [self.NO_FIELDS] for key in refused.detail}) from None
