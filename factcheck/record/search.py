"""The aggregator's search: `GET /api/v1/fact-checks/?query=…` answered in the shape of Google's Fact Check Tools
`claims:search`, so a consumer written for that API reads ours unchanged.

Pages are keyset-paged on (published_at, id) with an opaque `nextPageToken`: stable while new verdicts are
published, and one SQL query per page whatever its size. Retracted verdicts are left out, as their pages carry no
ClaimReview.
"""

import base64
import binascii
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import Truncator
from rest_framework import serializers

from factcheck.record.lexemes import text_matches
from factcheck.record.models import FactCheck
from factcheck.record.selectors import public_fact_checks

MAX_TERMS = 10


class ClaimSearchQuerySerializer(serializers.Serializer):
    """The query parameters (not a request body, so not strict about unknown keys: the list's own filters may come
    along). The names are Google's, camelCase included, so an aggregator's client needs no mapping."""

    query = serializers.CharField(
        max_length=500, help_text="Words that must all appear in the claim, its claimant or the verdict's summary."
    )
    languageCode = serializers.CharField(
        max_length=35, required=False, help_text='BCP-47, e.g. "en-US"; the region is ignored, as Google does.'
    )
    maxAgeDays = serializers.IntegerField(
        min_value=1,
        max_value=36500,
        required=False,
        help_text="Only verdicts published, or claims made, this recently.",
    )
    pageSize = serializers.IntegerField(min_value=1, max_value=100, default=10)
    pageToken = serializers.CharField(max_length=200, required=False)


class PublisherSerializer(serializers.Serializer):
    name = serializers.CharField()
    site = serializers.CharField()


class ClaimReviewEntrySerializer(serializers.Serializer):
    publisher = PublisherSerializer()
    url = serializers.URLField()
    title = serializers.CharField()
    reviewDate = serializers.DateTimeField()
    textualRating = serializers.CharField()
    languageCode = serializers.CharField()


class ClaimEntrySerializer(serializers.Serializer):
    text = serializers.CharField()
    claimant = serializers.CharField(required=False, help_text="Left out when the claim has none.")
    claimDate = serializers.DateTimeField(required=False, help_text="Left out when unknown.")
    claimReview = ClaimReviewEntrySerializer(many=True)


class ClaimSearchSerializer(serializers.Serializer):
    claims = ClaimEntrySerializer(many=True)
    nextPageToken = serializers.CharField(required=False, help_text="Absent on the last page.")


class InvalidPageToken(Exception):
    pass


def _encode_token(fact_check: FactCheck) -> str:
    raw = json.dumps([fact_check.published_at.isoformat(), fact_check.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_token(token: str) -> tuple[datetime, int]:
    try:
        published, pk = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        when = parse_datetime(published)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidPageToken from None
    if when is None or not isinstance(pk, int) or isinstance(pk, bool):
        raise InvalidPageToken
    return when, pk


def _matching(params: dict[str, Any]) -> QuerySet[FactCheck]:
    qs = text_matches(public_fact_checks().filter(retracted_at__isnull=True), params["query"], terms=MAX_TERMS)
    if code := params.get("languageCode"):
        primary = code.split("-")[0].lower()
        qs = qs.filter(Q(claim__language__iexact=primary) | Q(claim__language__istartswith=f"{primary}-"))
    if days := params.get("maxAgeDays"):
        # Google: "age is determined by either claim date or review date, whichever is newer".
        cutoff = timezone.now() - timedelta(days=days)
        qs = qs.filter(Q(published_at__gte=cutoff) | Q(claim__claim_date__gte=cutoff.date()))
    return qs.order_by("-published_at", "-id")


def _rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _entry(fact_check: FactCheck) -> dict[str, Any]:
    claim, version = fact_check.claim, fact_check.current_version
    entry: dict[str, Any] = {"text": claim.text}
    if version.claimant_name:
        entry["claimant"] = version.claimant_name
    if claim.claim_date:
        entry["claimDate"] = f"{claim.claim_date.isoformat()}T00:00:00Z"
    entry["claimReview"] = [
        {
            "publisher": {
                "name": settings.FACTCHECK_PUBLISHER_NAME,
                "site": urlsplit(settings.SITE_URL).hostname or "",
            },
            "url": fact_check.public_url,
            # The page's own title (factcheck/detail.html), as Google reports the reviewing article's title.
            "title": Truncator(claim.text).chars(70),
            "reviewDate": _rfc3339(fact_check.published_at),
            "textualRating": version.rating_label,
            "languageCode": claim.language,
        }
    ]
    return entry


def claim_search(params: dict[str, Any]) -> dict[str, Any]:
    """`params` validated by ClaimSearchQuerySerializer; raises InvalidPageToken for a token we did not issue."""
    qs = _matching(params)
    if token := params.get("pageToken"):
        when, pk = _decode_token(token)
        qs = qs.filter(Q(published_at__lt=when) | Q(published_at=when, pk__lt=pk))
    size = params["pageSize"]
    page = list(qs[: size + 1])
    answer: dict[str, Any] = {"claims": [_entry(fc) for fc in page[:size]]}
    if len(page) > size:
        answer["nextPageToken"] = _encode_token(page[size - 1])
    return answer
