"""Claims as the desk answers them: with the verdict each one shows (its own, or its canonical claim's for a
duplicate), read once per page in lists."""

from django.db.models import Manager
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.ingest.serializers import ClaimWithSimilarSerializer
from claims.models import Claim, ClaimEvent
from claims.serializers import ClaimSerializer
from core.renderers import in_current_timezone
from factcheck.record import followed


# The schema of `followed.ShownVerdict`: answers carry the selector's dicts as they are.
class FollowedVerdictSerializer(serializers.Serializer):
    slug = serializers.CharField()
    url = serializers.CharField(help_text="The verdict's public page (a tombstone if retracted).")
    rating = serializers.CharField(
        allow_null=True, read_only=True, help_text="The rating's label; null once the verdict is retracted."
    )


def attach_verdicts(claims: list[Claim]) -> None:
    """Give each claim the verdict it follows (its own, or its canonical claim's) in one query."""
    found = followed.verdicts_shown((claim.pk, claim.duplicate_of_id, claim.status) for claim in claims)
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
    def get_verdict(self, claim: Claim) -> followed.ShownVerdict | None:
        if not hasattr(claim, "followed_verdict"):
            attach_verdicts([claim])
        return claim.followed_verdict


class DeskClaimSerializer(FollowsVerdict, ClaimSerializer):
    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "verdict"]
        read_only_fields = fields
        list_serializer_class = WithVerdictsList


class NewClaimSerializer(FollowsVerdict, ClaimWithSimilarSerializer):
    class Meta(ClaimWithSimilarSerializer.Meta):
        fields = [*ClaimWithSimilarSerializer.Meta.fields, "verdict"]
        read_only_fields = fields


# The desk's claim list at speed: the same answer as DeskClaimSerializer(many=True), built as plain dicts from
# `.values()` rows in four queries per page (claims, topics, history, verdicts). DRF's field machinery cost about
# two thirds of the list's time at a page of 25; tests/api/test_keyset_pagination.py holds the two paths equal.

CLAIM_COLUMNS = (
    "id",
    "text",
    "report_id",
    "quote",
    "quote_start",
    "quote_end",
    "claimant__name",
    "claim_date",
    "language",
    "status",
    "priority",
    "checkworthiness",
    "submitted_by__username",
    "created_at",
    "status_changed_at",  # for `?ordering=status_changed_at`; not shown
    "duplicate_of_id",
)


def _topics_of(ids: list[int]) -> dict[int, list[str]]:
    # In the order of the serializer's prefetch: Topic's own ordering, by name.
    found: dict[int, list[str]] = {}
    links = Claim.topics.through.objects.filter(claim_id__in=ids).order_by("topic__name", "topic_id")
    for claim_id, slug in links.values_list("claim_id", "topic__slug"):
        found.setdefault(claim_id, []).append(slug)
    return found


def _history_of(ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    events = ClaimEvent.objects.filter(claim_id__in=ids).order_by("at", "id")
    for claim_id, from_status, to_status, actor, at, note in events.values_list(
        "claim_id", "from_status", "to_status", "actor__username", "at", "note"
    ):
        found.setdefault(claim_id, []).append(
            {"from": from_status, "to": to_status, "actor": actor, "at": in_current_timezone(at), "note": note}
        )
    return found


def desk_claim_answers(rows: list[dict]) -> list[dict]:
    """What DeskClaimSerializer answers for each claim, from rows of `.values(*CLAIM_COLUMNS)`."""
    ids = [row["id"] for row in rows]
    if not ids:
        return []
    topics, history = _topics_of(ids), _history_of(ids)
    verdicts = followed.verdicts_shown((row["id"], row["duplicate_of_id"], row["status"]) for row in rows)
    return [
        {
            "id": row["id"],
            "text": row["text"],
            "report": row["report_id"],
            "quote": row["quote"],
            "quote_start": row["quote_start"],
            "quote_end": row["quote_end"],
            "claimant": row["claimant__name"],
            "claim_date": row["claim_date"],
            "language": row["language"],
            "topics": topics.get(row["id"], []),
            "status": row["status"],
            "priority": row["priority"],
            "checkworthiness": row["checkworthiness"],
            "submitted_by": row["submitted_by__username"],
            "created_at": in_current_timezone(row["created_at"]),
            "history": history.get(row["id"], []),
            "duplicate_of": row["duplicate_of_id"],
            "verdict": verdicts.get(row["id"]),
        }
        for row in rows
    ]
