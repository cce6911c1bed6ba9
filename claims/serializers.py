from rest_framework import serializers

from claims.ingest.services import HTML_MAX, TEXT_MAX
from claims.models import Claim, Claimant, Priority, Report, Topic
from core.serializers import LanguageField, StrictInputSerializer
from core.text import normalise_name, normalise_text


class TextField(serializers.CharField):
    """Text as people paste it, stored in one form: NFC, no invisible characters at either end (core.text).

    DRF trims only whitespace, so a value of zero-width spaces passed as text that shows nothing; here it is blank:
    refused (400) where blank is not allowed, stored as "" where it is. `name=True` also collapses inner spacing.
    """

    def __init__(self, *, name: bool = False, **kwargs) -> None:
        self.normalise = normalise_name if name else normalise_text
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        value = self.normalise(super().to_internal_value(data))
        if not value and not self.allow_blank:
            self.fail("blank")
        return value


class ReportInputSerializer(StrictInputSerializer):
    """A report by URL (fetched by a worker: the answer's `status` is `fetching`), by its page's HTML, or by its
    text. Headline, outlet, date and language may be left out when the page can tell them."""

    url = serializers.URLField(required=False, allow_blank=True, max_length=1000, default="")
    html = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=HTML_MAX,
        default="",
        trim_whitespace=False,
        help_text="The page's HTML, when you have it: its main text and metadata are read from it.",
    )
    headline = TextField(required=False, allow_blank=True, max_length=300, default="")
    outlet = TextField(required=False, allow_blank=True, max_length=200, default="")
    published_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    language = LanguageField(required=False, allow_blank=True, default="")
    body = TextField(required=False, allow_blank=True, max_length=TEXT_MAX, default="")

    def validate(self, attrs):
        if str(self.initial_data.get("headline") or "").strip() and not attrs["headline"]:
            raise serializers.ValidationError({"headline": "This headline shows nothing: write it, or leave it out."})
        if not (attrs["url"] or attrs["body"] or attrs["html"]):
            raise serializers.ValidationError({"body": "Give the report's URL, its HTML or paste its text."})
        if attrs["body"] and attrs["html"]:
            raise serializers.ValidationError({"html": "Give the HTML or the text, not both."})
        if attrs["body"] and not attrs["language"]:
            raise serializers.ValidationError({"language": "Say which language the pasted text is in."})
        return attrs


class ReportSerializer(serializers.ModelSerializer):
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True)
    # Not a URLField in the answer: a pasted report has no URL, and "" is not a valid "uri" in the schema.
    url = serializers.CharField(read_only=True, help_text="The report's address; empty for pasted text.")

    class Meta:
        model = Report
        fields = [
            "id",
            "url",
            "status",
            "failure",
            "headline",
            "outlet",
            "author",
            "published_at",
            "language",
            "body",
            "submitted_by",
            "created_at",
            "fetched_at",
        ]
        read_only_fields = fields


# Labels of their own: the schema then lists this field's values as an enum of its own (ClaimantKindEnum), apart
# from the claimant's `kind` (KindEnum), instead of one choice set under two names.
CLAIMANT_KINDS = [(Claimant.Kind.PERSON, "A person"), (Claimant.Kind.ORGANIZATION, "An organisation")]
QUOTE_START_HELP = (
    "Where the quote was selected in the report's text (a character offset): of a phrase the text holds more than "
    "once, the occurrence nearest it is stored. Without it, the first."
)
CLAIMANT_KIND_HELP = (
    "Whether the claimant is a Person or an Organization (ClaimReview names the claim's author with this type). "
    "Applies only when the claimant is new to the desk: a known claimant keeps its kind, which editors change. "
    "Default: Person."
)


class ClaimInputSerializer(StrictInputSerializer):
    text = TextField(max_length=2000, required=False, allow_blank=True, default="")
    report = serializers.IntegerField(required=False, allow_null=True, default=None)
    quote = TextField(required=False, allow_blank=True, max_length=5000, default="")
    quote_start = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=10_000_000, help_text=QUOTE_START_HELP
    )
    claimant = TextField(name=True, required=False, allow_blank=True, max_length=200, default="")
    claimant_kind = serializers.ChoiceField(
        choices=CLAIMANT_KINDS,
        required=False,
        default=Claimant.Kind.PERSON,
        help_text=CLAIMANT_KIND_HELP,
    )
    claim_date = serializers.DateField(required=False, allow_null=True, default=None)
    language = LanguageField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Default: the report's, unless the claim is written in another script (docs/ingestion.md).",
    )
    topics = serializers.ListField(child=serializers.SlugField(), required=False, default=list, max_length=20)
    sentence = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A candidate sentence's id (GET reports/{id}/candidates/): it becomes the quote, at its place, and "
        "the claim's text unless `text` words it otherwise.",
    )

    def validate(self, attrs):
        if not attrs.get("text") and attrs.get("sentence") is None:
            raise serializers.ValidationError({"text": "Write the claim, or give the sentence it comes from."})
        if not attrs.get("language") and attrs.get("report") is None and attrs.get("sentence") is None:
            raise serializers.ValidationError({"language": "Say which language the claim is in."})
        if attrs.get("quote_start") is not None and not attrs.get("quote"):
            raise serializers.ValidationError({"quote_start": "This is where the quote stands: send the quote too."})
        return attrs


class TriageInputSerializer(StrictInputSerializer):
    decision = serializers.ChoiceField(choices=["accept", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    priority = serializers.ChoiceField(choices=Priority.values, required=False, allow_null=True, default=None)


class ClaimEventSerializer(serializers.Serializer):
    to = serializers.CharField(source="to_status")
    actor = serializers.CharField(
        source="actor.username",
        default=None,
        allow_null=True,
        help_text="Null for steps the system took (routing, deadlines).",
    )
    at = serializers.DateTimeField()
    note = serializers.CharField()

    def get_fields(self):
        # "from" is a Python keyword, so it cannot be declared in the class body.
        return {"from": serializers.CharField(source="from_status"), **super().get_fields()}


class ClaimSerializer(serializers.ModelSerializer):
    claimant = serializers.CharField(source="claimant.name", default=None, allow_null=True, read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True)
    history = ClaimEventSerializer(source="events", many=True, read_only=True)
    duplicate_of = serializers.IntegerField(
        source="duplicate_of_id",
        allow_null=True,
        read_only=True,
        help_text="The id of the claim an editor found this one repeats (it is then rejected and shows that claim's "
        "verdict); null otherwise.",
    )

    class Meta:
        model = Claim
        fields = [
            "id",
            "text",
            "report",
            "quote",
            "quote_start",
            "quote_end",
            "claimant",
            "claim_date",
            "language",
            "topics",
            "status",
            "priority",
            "checkworthiness",
            "submitted_by",
            "created_at",
            "history",
            "duplicate_of",
        ]
        read_only_fields = fields


class ClaimEditInputSerializer(StrictInputSerializer):
    """What a claim's submitter (or an editor) may change while it is `submitted`; status, priority, report and
    submitter are not here, so they cannot be set. Fields left out stay as they are."""

    text = TextField(max_length=2000, required=False)
    quote = TextField(required=False, allow_blank=True, max_length=5000)
    quote_start = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=10_000_000, help_text=QUOTE_START_HELP
    )
    claimant = TextField(name=True, required=False, allow_blank=True, max_length=200)
    claimant_kind = serializers.ChoiceField(choices=CLAIMANT_KINDS, required=False, help_text=CLAIMANT_KIND_HELP)
    claim_date = serializers.DateField(required=False, allow_null=True)
    language = LanguageField(required=False)
    topics = serializers.ListField(child=serializers.SlugField(), required=False, max_length=20)


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name"]
        read_only_fields = fields


class TopicInputSerializer(StrictInputSerializer):
    slug = serializers.SlugField(
        max_length=50, required=False, default="", help_text="Made from the name, in any script, when left out."
    )
    name = TextField(name=True, max_length=100)


class ClaimantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Claimant
        fields = ["id", "name", "slug", "kind", "description"]
        read_only_fields = fields


class ClaimantInputSerializer(StrictInputSerializer):
    """Editors may rename a claimant, say whether it is a person or an organisation, and describe it."""

    name = TextField(name=True, max_length=200, required=False)
    kind = serializers.ChoiceField(choices=Claimant.Kind.choices, required=False)
    description = TextField(max_length=300, required=False, allow_blank=True)
